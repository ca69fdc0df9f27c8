from wangge.residents.services.accounts import (
    account_for_phone,
    audit_resident,
    session_end,
    session_start,
    sessions_end_all,
)
from wangge.residents.services.request_handling import (
    request_decline,
    request_done,
    request_make_task,
    request_progress,
    request_take,
    requests_escalate,
)
from wangge.residents.services.requests import (
    request_rate,
    request_submit,
    request_withdraw,
)

__all__ = [
    "account_for_phone",
    "audit_resident",
    "request_decline",
    "request_done",
    "request_make_task",
    "request_progress",
    "request_rate",
    "request_submit",
    "request_take",
    "request_withdraw",
    "requests_escalate",
    "session_end",
    "session_start",
    "sessions_end_all",
]
