"""The proof a file of unsent work carries of who made it (``app/static/js/shopper-app/signing.js``).

The server gives each signed-in session a key of its own (``export_key``, in GET /api/v1/session), worked
out from SECRET_KEY, the account and the session: nothing is stored, and the key can be worked out again
when the file arrives, after the session has ended. The app keeps it with the session on the phone
(IndexedDB), so that a phone offline since it signed in can still sign. It signs the file's JSON text with
HMAC-SHA-256 and adds the signature as the file's last member::

    {...the content...,"signature":{"session":41,"hmac":"<base64url>"}}

The signature covers the text before it, closed as the content alone is written: ``{...the content...}``.
A file changed after the app made it, or made elsewhere, does not match; nor does one that names another
shopper, since the key depends on the account. A new SECRET_KEY voids the files made before it.
"""

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from app import json_provider
from app.accounts.models import UserSession
from app.accounts.sessions import session_id_of
from app.errors_domain import ImportRefused
from app.extensions import db
from app.routing import MAX_ID

_MEMBER = b',"signature":'
_TAIL = re.compile(rb"(\{[^{}]{0,200}\})\}\s*\Z")


def export_key(user_id: int, session_id: int) -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"unsent-work-export:{user_id}:{session_id}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def session_key(user) -> dict | None:
    """What the signed-in ``user``'s app signs its files with: ``{"session": id, "key": base64url}``."""
    session_id = session_id_of(user)
    return (
        None if session_id is None else {"session": session_id, "key": _b64(export_key(user.id, session_id))}
    )


def sign(text: bytes, user_id: int, session_id: int) -> bytes:
    """The file the app would make of ``text`` (the content's JSON) in that session: for tests and tools."""
    digest = hmac.new(export_key(user_id, session_id), text, hashlib.sha256).digest()
    member = json_provider.orjson.dumps({"session": session_id, "hmac": _b64(digest)})
    return text.rstrip()[:-1] + _MEMBER + member + b"}"


@dataclass(frozen=True)
class SignedFile:
    content: bytes  # the signed text: the file without its signature
    session_id: int | None = None
    hmac: bytes = b""

    @property
    def signed(self) -> bool:
        return self.session_id is not None


def split(raw: bytes) -> SignedFile:
    """The file's content and signature; an unsigned file is all content (``signed`` False)."""
    at = raw.rfind(_MEMBER)
    tail = _TAIL.match(raw, at + len(_MEMBER)) if at >= 0 else None
    if tail is None:
        return SignedFile(raw)
    try:
        signature = json_provider.loads(tail.group(1))
        session_id, encoded = signature["session"], signature["hmac"]
        digest = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return SignedFile(raw)
    if type(session_id) is not int or not 1 <= session_id <= MAX_ID:
        return SignedFile(raw)
    return SignedFile(raw[:at] + b"}", session_id, digest)


@dataclass(frozen=True)
class Signer:
    session_id: int
    signed_in_at: datetime


def check(file: SignedFile, shopper_id: int) -> Signer:
    """The session of shopper ``shopper_id`` that signed ``file``, or ImportRefused saying why not."""
    if not file.signed:
        raise ImportRefused(
            [
                "The file is not signed by the shopper app, so nothing shows who made it. Ask the shopper to "
                "export the work again from their phone, on the current version of the app."
            ]
        )
    session = db.session.get(UserSession, file.session_id)
    expected = hmac.new(export_key(shopper_id, file.session_id), file.content, hashlib.sha256).digest()
    if session is None or session.user_id != shopper_id or not hmac.compare_digest(expected, file.hmac):
        raise ImportRefused(
            [
                f"The file's signature does not match: it was changed after the shopper app made it, or it was "
                f"not made by the app of shopper number {shopper_id}. Nothing in it can be taken as their work."
            ]
        )
    return Signer(session.id, session.created_at)
