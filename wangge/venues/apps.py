from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "wangge.venues"
    verbose_name = "场所"
