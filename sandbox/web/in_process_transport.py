"""The start-chat Lambda's boto3 client talks to this sandbox's own ASGI app without a socket.

botocore builds, signs and sends the request exactly as it would to Amazon Connect; at ``before-send``
(botocore's hook for answering a prepared request) the bytes go to the sandbox's app on its event loop,
through every middleware and route an HTTP request would meet, and botocore parses the answer as it
parses Connect's. What is skipped is the loopback socket, HTTP parsing on both ends and a connection
pool: at 300 chat starts a second that was a third of the server's time per start (bench/sandbox_load).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message

# What an HTTP client sets itself; botocore's prepared request may or may not hold them.
_SET_BY_TRANSPORT = frozenset({"host", "content-length"})
# As long as API Gateway waits for the function: a request the app never answers fails, it does not hang.
ANSWER_TIMEOUT_SECONDS = 29.0


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
    thread): the call blocks until the app has answered.
    """

    def __init__(self, app: ASGIApp, loop_of: Callable[[], asyncio.AbstractEventLoop | None]) -> None:
        self._app = app
        self._loop_of = loop_of

    def attach(self, client: Any) -> None:
        """Answer every request ``client`` sends (its ``before-send`` event)."""
        client.meta.events.register("before-send", self._send)

    def _send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        loop = self._loop_of()
        if loop is None:
            raise RuntimeError("the sandbox's event loop is not running")
        answer = asyncio.run_coroutine_threadsafe(self._call(request, _body_bytes(request.body)), loop)
        status, headers, content = answer.result(ANSWER_TIMEOUT_SECONDS)
        return AWSResponse(request.url, status, headers, _Body(content))

    async def _call(self, request: AWSPreparedRequest, body: bytes) -> tuple[int, HTTPHeaders, bytes]:
        url = urlsplit(request.url)
        host, port = url.hostname or "127.0.0.1", url.port or 80
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme or "http",
            "path": url.path,
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
        received = False
        status, headers, chunks = 500, HTTPHeaders(), []

        async def receive() -> Message:
            nonlocal received
            if received:  # the app waits for a disconnect only after its answer
                await asyncio.Event().wait()
            received = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    headers.add_header(name.decode("latin-1"), value.decode("latin-1"))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self._app(scope, receive, send)
        return status, headers, b"".join(chunks)


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
