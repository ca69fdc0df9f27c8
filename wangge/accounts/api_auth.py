from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from wangge.accounts.models import ApiToken, User
from wangge.core import process_cache
from wangge.core.compiled import CompiledRead


def _fields(model: Any) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _token_query(digest: str) -> QuerySet[ApiToken]:
    """The token, its user and the per-process caches' counter (core/process_cache.py): one
    indexed read, so that caches cost a request no query of their own."""
    return (
        ApiToken.objects.filter(digest=digest)
        .annotate(cache_generation=process_cache.generation_subquery())
        .order_by()
        .values_list(
            *_fields(ApiToken),
            *(f"user__{name}" for name in _fields(User)),
            "cache_generation",
        )[:1]
    )


_token_read = CompiledRead(_token_query, digest=str)


def _token_of(row: dict[str, Any]) -> ApiToken:
    token_fields, user_fields = _fields(ApiToken), _fields(User)
    token = ApiToken.from_db("default", token_fields, [row[name] for name in token_fields])
    token.user = User.from_db(
        "default", user_fields, [row[f"user__{name}"] for name in user_fields]
    )
    process_cache.remember_generation(token.user, row["cache_generation"])
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`; the key is looked up by its digest, never stored. The same
    query reads the per-process caches' counter."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式错误 / malformed token header"))
        raw = header[1].decode(errors="replace")
        row = _token_read.first(digest=ApiToken.digest_of(raw))
        token = _token_of(row) if row is not None else None
        if token is None or not token.active or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("令牌无效、已过期或已吊销 / token invalid, expired or revoked")
            )
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
