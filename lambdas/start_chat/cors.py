"""Origin allow-list and CORS headers for ``/chats``."""

from __future__ import annotations

from collections.abc import Collection

ALLOWED_METHODS = "OPTIONS, POST"
# Listed explicitly: "*" does not cover Authorization (Fetch spec), and the signed-token mode uses it.
ALLOWED_HEADERS = "authorization, content-type, x-amz-date, x-amz-security-token, x-amz-user-agent, x-api-key"
PREFLIGHT_MAX_AGE_SECONDS = 600


def is_origin_allowed(origin: str | None, allowed_origins: Collection[str]) -> bool:
    """Whether a request with this ``Origin`` header may start a chat.

    A request without an Origin header comes from a non-browser client (curl, a backend, a test) and
    is allowed. The Origin check only stops other websites from using the API from their visitors'
    browsers; it is not authentication, since any non-browser client can send any Origin it likes.
    """
    return origin is None or origin in allowed_origins


def cors_headers(origin: str | None, allowed_origins: Collection[str]) -> dict[str, str]:
    """Headers that let the browser on ``origin`` read the response; none for other origins."""
    if origin is None or origin not in allowed_origins:
        return {}
    # Retry-After is not a CORS-safelisted response header: expose it so the widget can back off.
    return {
        "Access-Control-Allow-Origin": origin,
        "Vary": "Origin",
        "Access-Control-Expose-Headers": "Retry-After",
    }


def preflight_headers(origin: str | None, allowed_origins: Collection[str]) -> dict[str, str]:
    """Headers answering an ``OPTIONS`` preflight from ``origin``; none for other origins."""
    if origin is None or origin not in allowed_origins:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Vary": "Origin",
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_SECONDS),
    }
