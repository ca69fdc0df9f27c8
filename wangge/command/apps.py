from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "wangge.command"
    verbose_name = "指挥中心"
