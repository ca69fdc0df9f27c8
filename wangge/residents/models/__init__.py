from wangge.residents.models.accounts import Account, Session
from wangge.residents.models.requests import (
    OPEN_STATUSES,
    HelpRequest,
    RequestEvent,
    RequestKind,
    RequestLevel,
    RequestPhoto,
    RequestStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "Account",
    "HelpRequest",
    "RequestEvent",
    "RequestKind",
    "RequestLevel",
    "RequestPhoto",
    "RequestStatus",
    "Session",
]
