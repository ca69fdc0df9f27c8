from django.apps import AppConfig


class FrontConfig(AppConfig):
    """The pages that read across capabilities (the home page per role). Sits above them all."""

    name = "wangge.front"
    verbose_name = "首页"
