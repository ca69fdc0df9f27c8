"""The report tables: the nightly snapshots of figures, the communities' approvals of them, and the
district's upstream templates (一表通) with every table filled from them; one module per concept."""

from wangge.reports.models.approvals import Approval, ApprovalChange
from wangge.reports.models.snapshots import AreaFigures, Level, Snapshot
from wangge.reports.models.upstream import UpstreamFill, UpstreamFillArea, UpstreamTemplate

__all__ = [
    "Approval",
    "ApprovalChange",
    "AreaFigures",
    "Level",
    "Snapshot",
    "UpstreamFill",
    "UpstreamFillArea",
    "UpstreamTemplate",
]
