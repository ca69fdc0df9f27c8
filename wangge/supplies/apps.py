from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "wangge.supplies"
    verbose_name = "物资"
