from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "wangge.supplies"
    verbose_name = "物资"

    def ready(self) -> None:
        from wangge.supplies import exports  # noqa: F401  (registers the ledger export)
