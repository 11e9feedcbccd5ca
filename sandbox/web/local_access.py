"""The sandbox's local-only protections: CORS by path, same-origin agent API, trusted Host headers.

A web page the developer visits must not reach into the sandbox: the agent API and `/sandbox/info`
refuse cross-origin requests, agent API writes need a JSON content type (so a browser must send a
preflight, which is refused), and `/connect` needs the SigV4 `Authorization` header every AWS SDK
sends (a header a cross-site page cannot add without a preflight either).
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.config import SandboxConfig
from sandbox.web.errors import AccessDeniedException

# Listed explicitly: `*` does not cover Authorization (Fetch spec); ChatJS signs with empty credentials.
CORS_HEADERS = [
    "authorization",
    "content-type",
    "x-amz-bearer",
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-user-agent",
    "x-amz-security-token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
]
# Paths browser clients of the Participant Service reach from other origins (ChatJS, the widget).
CORS_PREFIXES = ("/participant/", "/sandbox/attachments/")
# Paths for local tools only (agent console, tests): no CORS, and cross-origin requests refused.
SAME_ORIGIN_PREFIXES = ("/sandbox/agents", "/sandbox/info", "/sandbox/clock")
AGENT_API_PREFIX = "/sandbox/agents"
CONNECT_PREFIX = "/connect/"
SIGV4 = "AWS4-HMAC-SHA256 "
READS = {"GET", "HEAD", "OPTIONS"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return str(value.decode("latin-1"))
    return None


class CorsByPath:
    """CORS `*` for the Participant Service and attachment URLs; same-origin only for the agent API.

    `/chats` is left alone: its CORS is the Lambda's, as API Gateway proxies it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.plain = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=CORS_HEADERS,
            expose_headers=["x-amzn-ErrorType", "x-amzn-RequestId"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(CORS_PREFIXES):
            await self.cors(scope, receive, send)
            return
        if scope["type"] == "http" and _is_same_origin_path(path) and _cross_origin(scope):
            # A preflight or a request from another origin's page: refuse it, without CORS headers.
            await Response("Cross-origin requests are not allowed", 403, media_type="text/plain")(
                scope, receive, send
            )
            return
        refusal = _refusal(scope, path) if scope["type"] == "http" else None
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.plain(scope, receive, send)


def _refusal(scope: Scope, path: str) -> Response | None:
    """The answer to a request shaped like no local tool sends it (None: let it through)."""
    method = scope.get("method", "GET")
    if path.startswith(CONNECT_PREFIX) and not (_header(scope, b"authorization") or "").startswith(SIGV4):
        return AccessDeniedException("Missing or malformed SigV4 Authorization header").response()
    if _is_agent_api(path) and method not in READS:
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            message = "Send agent API writes as application/json"
            return JSONResponse({"error": {"code": "UnsupportedMediaType", "message": message}}, 415)
    return None


def _is_agent_api(path: str) -> bool:
    return path == AGENT_API_PREFIX or path.startswith(AGENT_API_PREFIX + "/")


def _is_same_origin_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in SAME_ORIGIN_PREFIXES)


def _cross_origin(scope: Scope) -> bool:
    """The request comes from a browser page on another origin (or is a CORS preflight)."""
    if scope.get("method") == "OPTIONS" and _header(scope, b"access-control-request-method"):
        return True
    origin = _header(scope, b"origin")
    if origin is None:
        return False  # not a browser cross-origin request (curl, httpx, boto3)
    host = _header(scope, b"host") or ""
    return origin.lower() not in {f"http://{host}".lower(), f"https://{host}".lower()}


def trusted_hosts(config: SandboxConfig) -> list[str]:
    """Host header values the sandbox answers (DNS rebinding protection)."""
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    configured = config.host.strip("[]")
    if configured not in {"0.0.0.0", "::"}:  # noqa: S104
        hosts += [configured, f"[{configured}]"] if ":" in configured else [configured]
    return list(dict.fromkeys(hosts))
