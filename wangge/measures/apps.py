from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "wangge.measures"
    verbose_name = "管控措施"
