from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils import timezone


def _partitions_ahead(using: str = "default", **kwargs: Any) -> None:
    """After every `migrate`: the partitions of the coming days (`core.partitions`)."""
    from wangge.core.partitions import partitions_ensure_all

    partitions_ensure_all(connections[using], timezone.localdate())


class CoreConfig(AppConfig):
    name = "wangge.core"
    verbose_name = "核心"

    def ready(self) -> None:
        post_migrate.connect(_partitions_ahead, sender=self)
