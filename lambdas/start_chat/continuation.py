"""Continuation tokens: proof that the caller was given a chat, demanded before that chat is continued.

Amazon Connect rehydrates any past chat whose ContactId it is given (persistent chat), and a ContactId
is no secret. So every started chat is answered with a token, an HMAC over its ContactId and an expiry,
and ``PersistentChat`` is honoured only with a valid, unexpired token for its ``SourceContactId``.
Format: ``<expiry, epoch seconds>.<base64url HMAC-SHA256>``; the key never leaves the function.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from .errors import ApiError, FailureReason
from .models import ContinuationGrant, PersistentChatOptions

DEFAULT_CONTINUATION_WINDOW_HOURS = 48
MAX_CONTINUATION_WINDOW_HOURS = 720
# Domain separation: this key's MACs mean "continuation of this contact", nothing else.
_PURPOSE = b"connect-chat/continuation/v1"


def _mac(key: bytes, contact_id: str, expires_at: int) -> str:
    message = b"\n".join((_PURPOSE, contact_id.encode(), str(expires_at).encode()))
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue_continuation(key: bytes, contact_id: str, now: float, window_hours: int) -> ContinuationGrant:
    """The token that lets the holder continue ``contact_id`` until ``window_hours`` from ``now``."""
    expires_at = int(now) + window_hours * 3600
    return ContinuationGrant(
        token=f"{expires_at}.{_mac(key, contact_id, expires_at)}",
        expires_at=datetime.fromtimestamp(expires_at, UTC).isoformat().replace("+00:00", "Z"),
    )


def check_continuation(key: bytes, persistent: PersistentChatOptions, now: float) -> None:
    """Raise a 403 :class:`ApiError` unless the request holds a valid, unexpired token for its source."""
    token = persistent.ContinuationToken
    if not token:
        raise _refused(
            "CONTINUATION_TOKEN_REQUIRED",
            "Continuing a conversation needs the continuation token it was started with.",
        )
    expiry, _, mac = token.partition(".")
    genuine = expiry.isascii() and expiry.isdigit()
    if not genuine or not _same(mac, _mac(key, persistent.SourceContactId, int(expiry))):
        raise _refused(
            "CONTINUATION_TOKEN_INVALID", "The continuation token is not valid for this conversation."
        )
    if int(expiry) <= now:
        raise _refused("CONTINUATION_TOKEN_EXPIRED", "This conversation can no longer be continued.")


def _same(given: str, expected: str) -> bool:
    try:
        return hmac.compare_digest(given.encode("ascii"), expected.encode("ascii"))
    except UnicodeEncodeError:  # not ASCII: not ours
        return False


def _refused(code: str, message: str) -> ApiError:
    return ApiError(status=403, code=code, message=message, reason=FailureReason.CONTINUATION)
