"""What the duty lists and the co-building units share: who may edit a row that belongs to a
street or to one of its communities."""

from typing import Any

from django.core.exceptions import PermissionDenied

from wangge.accounts.authority import holds
from wangge.core.roles import Action


def require_area(by: Any, street: Any, community: Any, message: str) -> None:
    """Refuse unless `by` may edit the community (the street for a street-wide row)."""
    if community is not None and community.street_id != street.pk:
        raise PermissionDenied(message)
    if not holds(by, Action.EDIT, community or street):
        raise PermissionDenied(message)
