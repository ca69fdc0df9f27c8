"""Personal identifiers at rest: sealed (AES-GCM) for reading back, blind-indexed (HMAC) for equality.

An ID number or phone is stored three ways: sealed (only a reveal or an export opens it), as a keyed
hash (exact match, uniqueness, import matching — set-based in the database), and as a short tail
(search by the last digits). The key is settings.FIELD_ENCRYPTION_KEY; see docs/adr/0003.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = b"1"


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[bytes, bytes]:
    master = hashlib.sha256(secret.encode()).digest()
    seal_key = hmac.new(master, b"wangge-seal", hashlib.sha256).digest()
    index_key = hmac.new(master, b"wangge-blind-index", hashlib.sha256).digest()
    return seal_key, index_key


def seal(plain: str) -> str:
    if not plain:
        return ""
    seal_key, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    nonce = os.urandom(12)
    box = AESGCM(seal_key).encrypt(nonce, plain.encode(), None)
    return (_VERSION + base64.urlsafe_b64encode(nonce + box)).decode()


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    seal_key, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    raw = base64.urlsafe_b64decode(sealed[1:].encode())
    return AESGCM(seal_key).decrypt(raw[:12], raw[12:], None).decode()


def blind_index(plain: str) -> str:
    """A keyed hash: equal inputs give equal outputs; nothing can be read back from it."""
    if not plain:
        return ""
    _, index_key = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(index_key, plain.encode(), hashlib.sha256).hexdigest()[:40]
