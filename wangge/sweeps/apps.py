from django.apps import AppConfig


class SweepsConfig(AppConfig):
    name = "wangge.sweeps"
    verbose_name = "扫楼"
