from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "wangge.command"
    verbose_name = "指挥中心"

    def ready(self) -> None:
        from wangge.command.services import (
            verification_export,  # noqa: F401  (its export kind)
            verification_jobs,  # noqa: F401  (registers its job kind)
        )
