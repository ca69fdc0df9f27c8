from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "wangge.checkpoints"
    verbose_name = "卡点"

    def ready(self) -> None:
        from wangge.checkpoints import exports  # noqa: F401  (registers the duty roster export)
        from wangge.checkpoints.partitions import SCANS
        from wangge.core.partitions import register

        register(SCANS)

        self._watch_what_scans_cache()

    def _watch_what_scans_cache(self) -> None:
        """Every model whose rows decide who mans a checkpoint, or which doors a scan opens,
        invalidates the per-process caches of duty.py and services/doors.py when written."""
        from wangge.accounts.models import RoleAssignment, User
        from wangge.checkpoints.models import Checkpoint, DoorController, Shift, ShiftAssignment
        from wangge.core import process_cache
        from wangge.regions.models import Community, Grid

        for model in (Checkpoint, DoorController, Shift, ShiftAssignment, RoleAssignment):
            process_cache.watch(model)
        process_cache.watch(Community, fields=["street"])
        process_cache.watch(Grid, fields=["community", "parent"])
        process_cache.watch(User, fields=["is_active", "is_superuser"])
