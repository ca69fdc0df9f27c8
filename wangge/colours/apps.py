from django.apps import AppConfig


class ColoursConfig(AppConfig):
    name = "wangge.colours"
    verbose_name = "五色"
