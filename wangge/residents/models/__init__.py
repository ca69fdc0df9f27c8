from wangge.residents.models.accounts import Account, Session

__all__ = ["Account", "Session"]
