from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wangge.reports"
    verbose_name = "报表统计"
