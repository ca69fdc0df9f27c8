from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "wangge.devices"
    verbose_name = "居家设备"
