from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "wangge.checkpoints"
    verbose_name = "卡点"
