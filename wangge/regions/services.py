"""Writes to the registry's dwellings: one transaction each, audited. Views and the API call these."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, field_changes
from wangge.regions.models import Household


def household_snapshot(household: Household) -> dict[str, Any]:
    """The audited fields of a household, JSON-ready; the landlord appears by id and name."""
    landlord = household.landlord
    return {
        "kind": household.kind,
        "landlord_id": landlord.pk if landlord else None,
        "landlord": landlord.name if landlord else None,
        "note": household.note,
    }


@transaction.atomic
def household_update(
    *,
    by: Any,
    household: Household,
    kind: str,
    landlord: Any = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Household:
    """Change a household's kind (自住/出租/空置/商铺), its landlord and its note.

    The editor needs `edit` on the household and must be able to see a landlord they newly name
    (a landlord already on record may live outside the editor's area); a landlord belongs to a
    rental or shop-front, and no one is their own household's landlord.
    """
    if not user_can(by, Action.EDIT, household):
        raise PermissionDenied(_("您无权修改该户 / you may not change this household"))
    if kind not in Household.Kind.values:
        raise ValidationError({"kind": _("未知的户类型 / unknown household kind")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    if landlord is not None:
        if landlord.pk != household.landlord_id and not user_can(by, Action.VIEW, landlord):
            raise ValidationError({"landlord": _("找不到该房东 / no such landlord in your area")})
        if kind not in {Household.Kind.RENTAL, Household.Kind.SHOPFRONT}:
            raise ValidationError(
                {
                    "landlord": _(
                        "只有出租户或商铺才有房东 / only a rental or a shop-front has a landlord"
                    )
                }
            )
        if landlord.household_id == household.pk:
            raise ValidationError(
                {
                    "landlord": _(
                        "房东不能是本户成员 / the landlord cannot be a member of this household"
                    )
                }
            )
    before = household_snapshot(household)
    household.kind = kind
    household.landlord = landlord
    household.note = note.strip()
    household.save(update_fields=["kind", "landlord", "note", "updated_at"])
    changes = field_changes(before, household_snapshot(household))
    if changes:
        audit_record(actor=by, action="update", target=household, changes=changes, origin=origin)
    return household
