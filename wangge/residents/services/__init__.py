from wangge.residents.services.accounts import (
    account_for_phone,
    audit_resident,
    session_end,
    session_start,
    sessions_end_all,
)

__all__ = [
    "account_for_phone",
    "audit_resident",
    "session_end",
    "session_start",
    "sessions_end_all",
]
