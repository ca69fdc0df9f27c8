"""The report's writes: snapshots (`snapshots`), the communities' approvals of them (`approvals`)
and the upstream tables filled from the approved figures (`upstream`)."""

from wangge.reports.services.snapshots import CATCH_UP_DAYS, report_build, report_catch_up

__all__ = ["CATCH_UP_DAYS", "report_build", "report_catch_up"]
