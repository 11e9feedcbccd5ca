"""The start-chat Lambda's boto3 client talks to this sandbox's own ASGI app without a socket.

botocore builds, signs and sends the request exactly as it would to Amazon Connect; at ``before-send``
(botocore's hook for answering a prepared request) the bytes go to the sandbox's app on its event loop,
through every middleware and route an HTTP request would meet, and botocore parses the answer as it
parses Connect's. What is skipped is the loopback socket, HTTP parsing on both ends and a connection
pool: at 300 chat starts a second that was a third of the server's time per start (bench/sandbox_load).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import ReadTimeoutError

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message

# What an HTTP client sets itself; botocore's prepared request may or may not hold them.
_SET_BY_TRANSPORT = frozenset({"host", "content-length"})
# botocore's own default, for a client configured without one.
DEFAULT_READ_TIMEOUT_SECONDS = 60.0
# uvicorn's, where an app's failure over HTTP is logged too (with the sandbox's redaction filters).
logger = logging.getLogger("uvicorn.error")


class _Body:
    """The raw response object botocore reads a body from (``stream``), holding bytes already received."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        """The whole body, in one chunk."""
        yield self._data


class InProcessTransport:
    """Answers a client's prepared requests with ``app``, run on the loop ``loop_of`` returns.

    Call only from a thread other than the loop's (the sandbox runs the Lambda handler in a worker
    thread): the call blocks until the app has answered, or until the client's read timeout, which
    botocore then handles as it handles a socket's (a ``ReadTimeoutError``, retried by its policy).
    A failure inside the app is a 500, as a server's would be, never an exception in the caller.
    """

    def __init__(self, app: ASGIApp, loop_of: Callable[[], asyncio.AbstractEventLoop | None]) -> None:
        self._app = app
        self._loop_of = loop_of

    def attach(self, client: Any) -> None:
        """Answer every request ``client`` sends (its ``before-send`` event)."""
        timeout = client.meta.config.read_timeout or DEFAULT_READ_TIMEOUT_SECONDS

        def send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
            return self._send(request, timeout)

        client.meta.events.register("before-send", send)

    def _send(self, request: AWSPreparedRequest, timeout: float) -> AWSResponse:
        loop = self._loop_of()
        if loop is None:
            raise RuntimeError("the sandbox's event loop is not running")
        if _running_loop() is loop:  # waiting here would stop the very loop that has to answer
            raise RuntimeError("the in-process transport was called on the event loop's own thread")
        answer = asyncio.run_coroutine_threadsafe(self._call(request, _body_bytes(request.body)), loop)
        try:
            status, headers, content = answer.result(timeout)
        except TimeoutError:
            answer.cancel()
            raise ReadTimeoutError(endpoint_url=request.url) from None
        return AWSResponse(request.url, status, headers, _Body(content))

    async def _call(self, request: AWSPreparedRequest, body: bytes) -> tuple[int, HTTPHeaders, bytes]:
        url = urlsplit(request.url)
        scheme = url.scheme or "http"
        host, port = url.hostname or "127.0.0.1", url.port or (443 if scheme == "https" else 80)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": scheme,
            "path": unquote(url.path),
            "raw_path": url.path.encode(),
            "query_string": url.query.encode(),
            "root_path": "",
            "headers": [
                (name.lower().encode("latin-1"), _header_bytes(value))
                for name, value in request.headers.items()
                if name.lower() not in _SET_BY_TRANSPORT
            ]
            + [(b"host", f"{host}:{port}".encode()), (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 0),
            "server": (host, port),
            "state": {},
        }
        received = started = False
        status, headers, chunks = 500, HTTPHeaders(), []

        async def receive() -> Message:
            nonlocal received
            if received:  # the app waits for a disconnect only after its answer
                await asyncio.Event().wait()
            received = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started, status = True, message["status"]
                for name, value in message.get("headers", []):
                    headers.add_header(name.decode("latin-1"), value.decode("latin-1"))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self._app(scope, receive, send)
        except Exception:  # what a server does with an app's failure: its answer so far, else a 500
            logger.exception("the sandbox's app failed answering an in-process request")
            if not started:
                return 500, HTTPHeaders(), b""
        return status, headers, b"".join(chunks)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    data: bytes = body.read()  # a file-like body (streaming uploads; not Connect's JSON)
    return data


def _header_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")
