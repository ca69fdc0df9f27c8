from django.apps import AppConfig


class TestingConfig(AppConfig):
    name = "wangge.testing"
    verbose_name = "核酸与疫苗"
