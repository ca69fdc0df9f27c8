from wangge.residents.models.accounts import Account, Session
from wangge.residents.models.codes import SignInCode
from wangge.residents.models.notices import Notice, NoticeRead
from wangge.residents.models.reports import ArrivalFiling, CheckInFiling, SelfTest

__all__ = [
    "Account",
    "ArrivalFiling",
    "CheckInFiling",
    "Notice",
    "NoticeRead",
    "SelfTest",
    "Session",
    "SignInCode",
]
