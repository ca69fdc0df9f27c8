from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "wangge.venues"
    verbose_name = "场所"

    def ready(self) -> None:
        from wangge.core.partitions import register
        from wangge.venues import exporting  # noqa: F401  (registers the register's export)
        from wangge.venues.importing import jobs  # noqa: F401  (registers the import's job kind)
        from wangge.venues.partitions import VISITS

        register(VISITS)
