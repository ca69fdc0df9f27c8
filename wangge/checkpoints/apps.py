from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "wangge.checkpoints"
    verbose_name = "卡点"

    def ready(self) -> None:
        from wangge.checkpoints import exports  # noqa: F401  (registers the duty roster export)
        from wangge.checkpoints.partitions import SCANS
        from wangge.core.partitions import register

        register(SCANS)
