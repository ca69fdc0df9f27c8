from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "wangge.residents"
    verbose_name = "居民端"

    def ready(self) -> None:
        from wangge.residents import checks  # noqa: F401  (registers the deploy check)
        from wangge.residents.api import base  # noqa: F401  (registers the OpenAPI cookie scheme)
