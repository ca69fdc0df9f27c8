"""What the QR codes carry: a kind prefix and a random token, never personal data.

A personal code (小区码) reads `WGP:<token>`, a household's pass (出入证) `WGX:<token>`, a checkpoint's
own code (clocking on and off) `WGC:<token>`. The token is 20 random URL-safe characters; the
database keeps it sealed (so a card can be printed again) and as a keyed hash (the lookup key), the
same way as ID numbers (docs/adr/0003-personal-identifiers.md). Reissuing replaces the token, so
the old card stops working.
"""

import secrets
from dataclasses import dataclass

import segno

from wangge.core import crypto

PERSON, PASS, CHECKPOINT = "WGP", "WGX", "WGC"
KINDS = (PERSON, PASS, CHECKPOINT)


@dataclass(frozen=True)
class Token:
    plain: str
    sealed: str
    hash: str


def new_token() -> Token:
    plain = secrets.token_urlsafe(15)
    return Token(plain=plain, sealed=crypto.seal(plain), hash=crypto.blind_index(plain))


def token_hash(plain: str) -> str:
    return crypto.blind_index(plain)


def payload(kind: str, sealed: str) -> str:
    """The text a QR code of this kind carries, from the stored (sealed) token."""
    return f"{kind}:{crypto.unseal(sealed)}"


def parse_payload(text: str) -> tuple[str, str]:
    """(kind, token hash) of a scanned text; kind is "" when it is none of ours."""
    kind, _, plain = text.strip().partition(":")
    if kind not in KINDS or not plain or len(plain) > 64:
        return "", ""
    return kind, token_hash(plain)


def qr_svg(text: str, scale: int = 5) -> str:
    """An inline <svg> of the QR code (error correction M), for cards, posters and phones."""
    return segno.make(text, error="m").svg_inline(scale=scale, border=2, omitsize=False)
