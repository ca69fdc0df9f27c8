from django.apps import AppConfig


class TestingConfig(AppConfig):
    name = "wangge.testing"
    verbose_name = "核酸与疫苗"

    def ready(self) -> None:
        from wangge.testing.services import exports  # noqa: F401  (registers the untested list export)
        from wangge.testing.services.lab import jobs  # noqa: F401  (registers the lab file's job kind)
