from wangge.residents.models.accounts import Account, Session
from wangge.residents.models.codes import SignInCode
from wangge.residents.models.notices import Notice, NoticeRead
from wangge.residents.models.registration import (
    Registration,
    RegistrationMember,
    RegistrationVehicle,
    Vehicle,
)
from wangge.residents.models.reports import ArrivalFiling, CheckInFiling, SelfTest
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
    "ArrivalFiling",
    "CheckInFiling",
    "HelpRequest",
    "Notice",
    "NoticeRead",
    "Registration",
    "RegistrationMember",
    "RegistrationVehicle",
    "RequestEvent",
    "RequestKind",
    "RequestLevel",
    "RequestPhoto",
    "RequestStatus",
    "SelfTest",
    "Session",
    "SignInCode",
    "Vehicle",
]
