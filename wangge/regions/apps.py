from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "wangge.regions"
    verbose_name = "区划与网格"

    def ready(self) -> None:
        from wangge.regions import jobs  # noqa: F401  (registers the colour recompute's job kind)
