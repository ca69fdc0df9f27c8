"""What staff do to residents' accounts: stop one (a phone that changed hands, a misuse) and let it
in again. Stopping ends every session at once; the account keeps its history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.residents.models import Account, Session


def _editable(by: User, account: Account) -> None:
    if account.household is None or not user_can(by, "edit", account.household):
        raise PermissionDenied


@transaction.atomic
def account_disable(*, by: User, account: Account, reason: str, origin: Origin) -> Account:
    _editable(by, account)
    if not reason.strip():
        raise ValueError("请填写停用原因 / give the reason")
    account.disabled_at = timezone.now()
    account.save(update_fields=["disabled_at"])
    ended = Session.objects.filter(account=account, ended_at__isnull=True).update(
        ended_at=account.disabled_at
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=account,
        changes={"disabled": [False, True], "sessions_ended": ended},
        reason=reason,
        origin=origin,
    )
    return account


@transaction.atomic
def account_enable(*, by: User, account: Account, origin: Origin) -> Account:
    _editable(by, account)
    account.disabled_at = None
    account.save(update_fields=["disabled_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=account,
        changes={"disabled": [True, False]},
        origin=origin,
    )
    return account
