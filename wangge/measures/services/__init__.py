"""Every write of the measures capability: one transaction each, audited. Views, the API and the
periodic tasks call these; other capabilities import them from here."""

from wangge.measures.services.arrivals import (
    ArrivalData,
    arrival_report_confirm,
    arrival_report_create,
    propose_measure,
)
from wangge.measures.services.assign import measure_assign
from wangge.measures.services.cases import case_measure_type, case_report
from wangge.measures.services.checkins import (
    ClientIdConflict,
    checkin_link_token,
    checkin_mark_missed,
    checkin_record,
    measure_from_link,
    new_client_id,
)
from wangge.measures.services.common import Team, default_team
from wangge.measures.services.digest import health_code_send_digest
from wangge.measures.services.health_codes import CodeRow, health_code_import, health_code_record
from wangge.measures.services.nucleic import measure_test_record
from wangge.measures.services.release import (
    measure_end_early,
    measure_release,
    measure_release_due,
    measure_transfer,
    release_blockers,
)
from wangge.measures.services.risk_areas import (
    AreaData,
    Origin,
    risk_area_create,
    risk_area_import,
    risk_area_update,
)

__all__ = [
    "AreaData",
    "ArrivalData",
    "CodeRow",
    "Origin",
    "Team",
    "arrival_report_confirm",
    "arrival_report_create",
    "ClientIdConflict",
    "case_measure_type",
    "case_report",
    "checkin_link_token",
    "checkin_mark_missed",
    "checkin_record",
    "default_team",
    "health_code_import",
    "health_code_record",
    "health_code_send_digest",
    "measure_assign",
    "measure_end_early",
    "measure_from_link",
    "measure_release",
    "measure_release_due",
    "measure_test_record",
    "measure_transfer",
    "new_client_id",
    "propose_measure",
    "release_blockers",
    "risk_area_create",
    "risk_area_import",
    "risk_area_update",
]
