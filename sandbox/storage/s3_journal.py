"""Keeping the embedded S3's objects across restarts: a journal of its successful writes.

The approach of moto's own request recorder (append each request to a file, replay the file into a
fresh server), kept to this one server and to writes only: moto's recorder is process-wide, records
reads too, and replays over HTTP. Each successful PUT/POST/DELETE is appended as one JSON line and
flushed to disk before the client gets its answer; at start the lines are replayed, in order,
straight into moto's WSGI app. The journal grows with every write: delete the data directory to
start afresh.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

log = logging.getLogger(__name__)

JOURNAL_NAME = "s3-journal.jsonl"
# Request headers that change what a write does (the rest is transport or signature).
KEPT_HEADERS = ("content-type", "content-md5", "content-encoding", "content-disposition", "x-amz-")
DROPPED_HEADERS = {"x-amz-security-token", "x-amz-date", "x-amz-content-sha256"}


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    kept = {k: v for k, v in headers.items() if k.startswith(KEPT_HEADERS) and k not in DROPPED_HEADERS}
    # moto picks the service from the signature's credential scope; the signature itself is not kept.
    region = headers.get("authorization", "").split("/")[2:3] or ["us-east-1"]
    kept["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential=sandbox/20000101/{region[0]}/s3/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )
    return kept


class S3Journal:
    """The append-only file of writes under `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / JOURNAL_NAME
        self._lock = threading.Lock()

    def append(self, environ: dict[str, Any], body: bytes) -> None:
        """Record one successful write, durably."""
        entry = {
            "method": environ["REQUEST_METHOD"],
            "path": environ.get("RAW_URI", "").split("?")[0] or environ.get("PATH_INFO", "/"),
            "query": environ.get("QUERY_STRING", ""),
            "headers": _headers(environ),
            "body": base64.b64encode(body).decode("ascii"),
        }
        line = json.dumps(entry) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as journal:
            journal.write(line)
            journal.flush()
            os.fsync(journal.fileno())

    def replay(self, app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]) -> int:
        """Apply every recorded write to `app` (a fresh server's WSGI app); how many were replayed."""
        if not self.path.is_file():
            return 0
        count = 0
        with self.path.open(encoding="utf-8") as journal:
            for line in journal:
                try:
                    entry = json.loads(line)
                except ValueError:
                    log.warning("skipping a damaged line of %s (an interrupted write)", self.path)
                    continue
                environ = EnvironBuilder(
                    path=entry["path"],
                    method=entry["method"],
                    query_string=entry["query"],
                    headers=entry["headers"],
                    data=base64.b64decode(entry["body"]),
                ).get_environ()
                environ["HTTP_HOST"] = "127.0.0.1"
                b"".join(app(environ, lambda *args: None))
                count += 1
        log.info("embedded S3: %d writes replayed from %s", count, self.path)
        return count
