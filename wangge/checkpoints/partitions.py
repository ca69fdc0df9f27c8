"""The scan table, partitioned by day on PostgreSQL (`core.partitions`); its reasons and door
openings point at (id, day) and go with the day's partition."""

from wangge.core.partitions import Child, Partitioned

SCANS = Partitioned(
    "checkpoints_scan",
    children=(
        Child("checkpoints_scanreason", "scan_id", "scan_day", "checkpoints_scanreason_scan_fk"),
        Child("checkpoints_dooropening", "scan_id", "scan_day", "checkpoints_dooropening_scan_fk"),
    ),
)
