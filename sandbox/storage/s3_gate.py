"""The embedded S3's front door: local tools only, never a web page.

moto's server answers any Host, echoes any Origin (CORS) and exposes `/moto-api/...` (reset, state):
a page that found the port could read or wipe every transcript. In front of it: the Host allow-list
(DNS rebinding), no browser requests at all (the browser never talks to this S3: attachments go
through the sandbox's own URLs), no `/moto-api`, bounded bodies, and the journal of writes.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from sandbox.storage.s3_journal import S3Journal

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
# The largest object the sandbox writes is an attachment (Connect allows up to 100 MB).
MAX_BODY_BYTES = 110 * 1024 * 1024
WRITES = {"PUT", "POST", "DELETE"}


def _refuse(start_response: Callable[..., Any], status: str, message: str) -> list[bytes]:
    body = json.dumps({"message": message}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _hostname(host: str) -> str:
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


class S3Gate:
    """WSGI middleware around moto's S3 app: checks every request, journals successful writes."""

    def __init__(self, app: WsgiApp, journal: S3Journal | None = None) -> None:
        self.app = app
        self.journal = journal
        # Writes are applied and journaled one at a time, so the journal's order is the bucket's.
        self._write_lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if _hostname(environ.get("HTTP_HOST", "")) not in LOCAL_HOSTS:
            return _refuse(start_response, "400 Bad Request", "Invalid host header")
        if environ.get("HTTP_ORIGIN") or environ.get("REQUEST_METHOD") == "OPTIONS":
            return _refuse(start_response, "403 Forbidden", "Browsers may not use the sandbox's S3")
        if environ.get("PATH_INFO", "").startswith("/moto-api"):
            return _refuse(start_response, "404 Not Found", "Not found")
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return _refuse(start_response, "413 Request Entity Too Large", "The body is too large")
        if environ.get("REQUEST_METHOD") not in WRITES or self.journal is None:
            return self.app(environ, start_response)
        return self._write(environ, start_response, self.journal, int(length))

    def _write(
        self, environ: dict[str, Any], start_response: Callable[..., Any], journal: S3Journal, length: int
    ) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        status: list[str] = []

        def remember_status(code: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            status.append(code)
            return start_response(code, headers, *exc_info)

        with self._write_lock:
            answer = b"".join(self.app(environ, remember_status))
            if status and status[0].startswith("2"):
                journal.append(environ, body)
        return [answer]
