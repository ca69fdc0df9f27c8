from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo street (`manage.py seed_demo`, `demo_logins`): the top floor, which may import
    every capability and which nothing imports."""

    name = "wangge.demo"
    verbose_name = "演示街道"
