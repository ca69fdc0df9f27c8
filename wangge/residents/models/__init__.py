from wangge.residents.models.accounts import Account, Session
from wangge.residents.models.codes import SignInCode

__all__ = ["Account", "Session", "SignInCode"]
