"""API tokens for integrations: created with an expiry, shown once, stored as a SHA-256 digest.

DRF's own tokens are stored in plain text and never expire; these are looked up by digest
(accounts/api_auth.py) and stop working when they expire, are revoked, or their user is deactivated.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.grants import Actor, can_manage, is_token_manager
from wangge.accounts.models import ApiToken, User
from wangge.core.origin import Origin
from wangge.core.services import audit_record

KEY_PREFIX = "wg_"


def _check(by: Actor, user: User) -> None:
    if not is_token_manager(by):
        raise PermissionDenied(
            _("只有管理员和街道指挥可以管理接口令牌 / only admins and commanders manage API tokens")
        )
    if getattr(by, "pk", None) != user.pk and not can_manage(by, user):
        raise PermissionDenied(
            _("您无权为该账号签发令牌 / you may not issue tokens for this account")
        )


@transaction.atomic
def api_token_create(
    *,
    by: Actor,
    name: str,
    user: User,
    days: int | None = None,
    origin: Origin = Origin.SYSTEM,
) -> tuple[ApiToken, str]:
    """A new token acting as `user`; the raw key is returned here once and stored nowhere."""
    longest = settings.WANGGE["API_TOKEN_DAYS"]
    days = longest if days is None else days
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写接入系统名称 / name the integration")})
    if not 1 <= days <= longest:
        raise ValidationError(
            {
                "days": _("有效天数须在1到%(days)d之间 / days must be between 1 and %(days)d")
                % {"days": longest}
            }
        )
    if not user.is_active:
        raise ValidationError({"user": _("该账号已停用 / this account is deactivated")})
    _check(by, user)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        user=user,
        prefix=raw[:8],
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=by,
        action="token",
        target=token,
        changes={
            "created": name,
            "user": user.username,
            "expires_at": token.expires_at.isoformat(),
        },
        origin=origin,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken, origin: Origin = Origin.SYSTEM) -> ApiToken:
    _check(by, token.user)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=by, action="token", target=token, changes={"revoked": token.name}, origin=origin
    )
    return token
