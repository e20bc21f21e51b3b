"""Signed, expiring tokens for links in e-mails (reset, invitation, RSVP, manage, reply)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The token was tampered with, made for another purpose, or has expired."""

    def __init__(self, message: object, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult.{purpose}")


def make_token(purpose: str, payload: Any) -> str:
    """Sign ``payload`` for one ``purpose``; a token for one purpose never passes for another."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None) -> Any:
    """Return the payload of a valid token, or raise :class:`InvalidToken`."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidToken(_l("This link has expired."), expired=True) from error
    except BadSignature as error:
        raise InvalidToken(_l("This link is not valid.")) from error


# --- tokens in e-mail addresses --------------------------------------------------------------
#
# A reply address such as ``calls+7-k3v9x2m4q8r5t1wz@example.org`` names who it was given to
# and proves it: the digits are ids, the rest an HMAC of them under SECRET_KEY. It is short
# (an address's local part holds 64 characters at most, RFC 5321 4.5.3.1.1) and in lower case
# only, because mail servers and clients may change the case of an address.

_ADDRESS_MAC_LENGTH = 16  # base32 characters: 80 bits


def _address_mac(purpose: str, ids: tuple[int, ...], extra: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    message = f"consult.address.{purpose}:{'-'.join(map(str, ids))}:{extra}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:_ADDRESS_MAC_LENGTH]


def address_token(purpose: str, *ids: int, extra: str = "") -> str:
    """A short signed token of ``ids`` for one ``purpose``, fit for an address's local part.

    ``extra`` is signed but not written out (a registration's key, say), so that changing
    it revokes every token made before.
    """
    return "-".join([*map(str, ids), _address_mac(purpose, ids, extra)])


def address_ids(token: str, count: int) -> tuple[int, ...] | None:
    """The ``count`` ids a token carries, not yet checked (None when it is not shaped so)."""
    parts = token.strip().lower().split("-")
    if len(parts) != count + 1 or not all(p.isdigit() and len(p) < 12 for p in parts[:-1]):
        return None
    return tuple(int(p) for p in parts[:-1])


def address_token_valid(purpose: str, token: str, ids: tuple[int, ...], extra: str = "") -> bool:
    """Whether ``token`` was made by :func:`address_token` for ``ids`` and ``extra``."""
    mac = token.strip().lower().rpartition("-")[2]
    return hmac.compare_digest(mac, _address_mac(purpose, ids, extra))


def tagged_address(base: str, token: str) -> str:
    """``local+token@domain`` from ``local@domain``."""
    local, _sep, domain = base.partition("@")
    return f"{local}+{token}@{domain}"


def find_tagged_token(message: Any, base: str) -> str | None:
    """The token of the first ``local+token@domain`` recipient of ``message`` for ``base``.

    Looked for in the headers a mail server leaves the envelope recipient in, then in the
    visible ones (a REPLY goes to the ORGANIZER, who is in To).
    """
    local, _sep, domain = base.partition("@")
    pattern = re.compile(
        rf"(?<![\w.+\-]){re.escape(local)}\+([A-Za-z0-9_\-]+)@{re.escape(domain)}\b",
        re.IGNORECASE,
    )
    for header in RECIPIENT_HEADERS:
        for value in message.get_all(header, []):
            match = pattern.search(str(value))
            if match:
                return match.group(1)
    return None


#: Where a mail server or client puts the address a message was sent to.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
