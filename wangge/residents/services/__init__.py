from wangge.residents.services.accounts import (
    account_for_phone,
    audit_resident,
    session_end,
    session_start,
    sessions_end_all,
)
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

__all__ = [
    "MemberEntry",
    "RegistrationInput",
    "account_for_phone",
    "audit_resident",
    "registration_confirm",
    "registration_landlord_answer",
    "registration_reject",
    "registration_submit",
    "registration_withdraw",
    "session_end",
    "session_start",
    "sessions_end_all",
]
