"""Request plumbing shared by every API (Connect, Participant Service, agents): JSON bodies with a size
limit, model validation and error answers."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.web.errors import ServiceError
from sandbox.web.model_validation import body_problems

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024

Endpoint = Callable[[Request], Awaitable[Response]]


async def json_body(request: Request, error: Callable[[str], ServiceError]) -> dict[str, Any]:
    """The request's JSON object body ({} when empty); anything else answers `error`."""
    raw = await read_limited(request, MAX_BODY_BYTES)
    if raw is None:
        raise error("The request body is too large")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise error("The request body is not valid JSON") from exc
    except RecursionError as exc:  # thousands of nested brackets: hostile, not a request
        raise error("The request body is nested too deeply") from exc
    if not isinstance(body, dict):
        raise error("The request body must be a JSON object")
    if b"\\u" in raw and not _encodable(body):
        raise error("The request body holds text that is not valid Unicode (an unpaired surrogate)")
    return body


def _encodable(body: dict[str, Any]) -> bool:
    # Only a \u escape can produce a lone surrogate (raw UTF-8 cannot hold one); stored, it would
    # break every later answer that serializes it (GetTranscript, the agent list, the S3 transcript).
    try:
        json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is known to exceed `limit` bytes (not read further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def validate(
    service: str, operation: str, body: dict[str, Any], error: Callable[[str], ServiceError]
) -> None:
    """Check a body against the botocore model of the operation."""
    problems = body_problems(service, operation, body)
    if problems:
        raise error("; ".join(problems[:5]))


def service_endpoint(internal_error: Callable[[str], ServiceError]) -> Callable[[Endpoint], Endpoint]:
    """Wrap a route so service errors get the wire format and surprises a 500 without details."""

    def wrap(endpoint: Endpoint) -> Endpoint:
        async def run(request: Request) -> Response:
            try:
                return await endpoint(request)
            except ServiceError as error:
                return error.response()
            except Exception:
                log.exception("%s %s failed", request.method, request.url.path)
                return internal_error("Internal error").response()

        run.__name__ = endpoint.__name__
        run.__doc__ = endpoint.__doc__
        return run

    return wrap


def ok(body: dict[str, Any] | None = None) -> JSONResponse:
    """A 200 JSON answer."""
    return JSONResponse(body or {})


def ws_base(request: Request) -> str:
    """The ws:// origin clients reach this server on; `localhost` becomes 127.0.0.1 (ChatJS needs it)."""
    host = request.url.hostname or "127.0.0.1"
    if host in {"localhost", "0.0.0.0", "::"}:  # noqa: S104
        host = "127.0.0.1"
    port = request.url.port or (request.scope.get("server") or ("", 80))[1]
    return f"ws://{host}:{port}"


def http_base(request: Request) -> str:
    """The http:// origin clients reach this server on."""
    return "http" + ws_base(request)[2:]
