"""HTTP digest authentication (RFC 7616, qop "auth", MD5 or SHA-256), which Hikvision devices ask
for: the client's answer to a challenge, and the check the fake controller makes of it."""

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

_FIELD = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')
_HASHES = {"MD5": "md5", "SHA-256": "sha256"}


def fields_of(header: str) -> dict[str, str]:
    """The name=value pairs after `Digest ` (quoted or not)."""
    _, _, rest = header.strip().partition(" ")
    return {
        match[1].lower(): match[2] if match[2] is not None else match[3]
        for match in _FIELD.finditer(rest)
    }


def _hash(algorithm: str) -> Callable[[str], str]:
    name = _HASHES.get(algorithm.upper().removesuffix("-SESS"))
    if name is None:
        raise ValueError(f"unsupported digest algorithm {algorithm!r}")
    return lambda text: hashlib.new(name, text.encode("utf-8")).hexdigest()


def response_of(fields: dict[str, str], method: str, username: str, password: str) -> str:
    """The `response` value for these fields (realm, nonce, uri, and qop's nc and cnonce)."""
    algorithm = fields.get("algorithm") or "MD5"
    digest = _hash(algorithm)
    ha1 = digest(f"{username}:{fields.get('realm', '')}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = digest(f"{ha1}:{fields['nonce']}:{fields.get('cnonce', '')}")
    ha2 = digest(f"{method}:{fields.get('uri', '')}")
    if fields.get("qop"):
        return digest(
            f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}"
        )
    return digest(f"{ha1}:{fields['nonce']}:{ha2}")


def authorization(challenge: str, method: str, uri: str, username: str, password: str) -> str:
    """The Authorization header answering a `WWW-Authenticate: Digest …` challenge."""
    offered = fields_of(challenge)
    if "nonce" not in offered:
        raise ValueError("the digest challenge has no nonce")
    fields = {
        "realm": offered.get("realm", ""),
        "nonce": offered["nonce"],
        "uri": uri,
        "algorithm": offered.get("algorithm") or "MD5",
    }
    if "auth" in [qop.strip() for qop in offered.get("qop", "").split(",")]:
        fields.update(qop="auth", nc="00000001", cnonce=secrets.token_hex(8))
    fields["response"] = response_of(fields, method, username, password)
    if "opaque" in offered:
        fields["opaque"] = offered["opaque"]
    quoted = {"realm", "nonce", "uri", "cnonce", "response", "opaque"}
    parts = [f'username="{username}"'] + [
        f'{name}="{value}"' if name in quoted else f"{name}={value}"
        for name, value in fields.items()
    ]
    return "Digest " + ", ".join(parts)


def challenge(realm: str, nonce: str) -> str:
    return f'Digest realm="{realm}", qop="auth", nonce="{nonce}", algorithm=MD5'


def valid(header: str, method: str, path: str, username: str, password: str) -> bool:
    """Whether an Authorization header answers with this user's password for this request; the
    caller checks that its nonce is one it handed out."""
    if not header.lower().startswith("digest "):
        return False
    fields = fields_of(header)
    if fields.get("username") != username or fields.get("uri") != path:
        return False
    try:
        expected = response_of(fields, method, username, password)
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(expected, fields.get("response", ""))
