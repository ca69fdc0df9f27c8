"""The compound's registration QR (小区登记码): a poster at the gate whose link opens the portal's
registration with the compound chosen.

The link carries a signed token of the compound (django.core.signing, its own salt): the same
token on every reprint, nothing stored. It is not revocable one compound at a time — and needs
not be: it names a compound, which the poster on the wall names too, and leads only to the
sign-in by a code sent to the resident's own phone."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from wangge.regions.models import Compound

_SALT = "wangge.residents.join"


def join_token(compound: Compound) -> str:
    return signing.Signer(salt=_SALT).sign(str(compound.pk))


def compound_of(token: str) -> Compound | None:
    """The compound a token names; None for a forged or mistyped one."""
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Compound.objects.filter(pk=int(value)).first() if value.isdigit() else None


def join_url(compound: Compound) -> str:
    return settings.WANGGE["SITE_URL"] + reverse("residents:join", args=[join_token(compound)])


def registration_entry(compound: Compound) -> str:
    """Where a signed-in resident goes from the poster: the registration entry, compound chosen."""
    return reverse("residents:my_registration_new") + f"?compound={compound.pk}"
