"""A member's 小区码 from the resident's own phone: a member without one gets one on first view.

The code is the checkpoints' PersonalCode, issued by their service (`personal_codes_issue`) on the
system's behalf, the account named in the audit entry: the portal has resolved the member through
the account's household, which is the check a staff issuer's area makes. A code staff revoked
stays revoked: the page says so and the grid worker reissues it."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from wangge.checkpoints.models import PersonalCode
from wangge.checkpoints.services import personal_codes_issue
from wangge.core.origin import Origin
from wangge.people.models import Person
from wangge.residents.models import Account


def member_code_ensure(*, account: Account, person: Person, origin: Origin = Origin.SYSTEM) -> bool:
    """Issue the member's code when they have none; True when one was issued now. A code issued
    by a request at the same moment (the unique person) counts as there."""
    if person.household_id != account.household_id or account.household_id is None:
        raise PermissionDenied("not a member of the account's household")
    if PersonalCode.objects.filter(person=person).exists():
        return False
    try:
        with transaction.atomic():
            issued = personal_codes_issue(
                by=None, persons=[person], origin=origin, actor_label=account.label
            )
    except IntegrityError:
        return False
    return issued > 0
