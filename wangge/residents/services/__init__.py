from wangge.residents.services.accounts import (
    account_for_phone,
    audit_resident,
    session_end,
    session_start,
    sessions_end_all,
)
from wangge.residents.services.notices import NoticeInput, notice_publish, notice_read
from wangge.residents.services.registration import (
    MemberEntry,
    RegistrationInput,
    registration_landlord_answer,
    registration_submit,
    registration_withdraw,
)
from wangge.residents.services.registration_decide import (
    registration_confirm,
    registration_reject,
)
from wangge.residents.services.reports import ArrivalInput, arrival_file, checkin_file
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
from wangge.residents.services.selftests import SelfTestInput, self_test_record

__all__ = [
    "ArrivalInput",
    "MemberEntry",
    "NoticeInput",
    "RegistrationInput",
    "SelfTestInput",
    "account_for_phone",
    "arrival_file",
    "audit_resident",
    "checkin_file",
    "notice_publish",
    "notice_read",
    "self_test_record",
    "request_decline",
    "request_done",
    "request_make_task",
    "request_progress",
    "request_rate",
    "request_submit",
    "request_take",
    "request_withdraw",
    "requests_escalate",
    "registration_confirm",
    "registration_landlord_answer",
    "registration_reject",
    "registration_submit",
    "registration_withdraw",
    "session_end",
    "session_start",
    "sessions_end_all",
]
