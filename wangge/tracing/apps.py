from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "wangge.tracing"
    verbose_name = "流调溯源"

    def ready(self) -> None:
        from wangge.tracing import exports  # noqa: F401  (registers the case's export)
