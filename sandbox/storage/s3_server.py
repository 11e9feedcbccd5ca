"""The embedded S3 endpoint (moto in server mode) that the sandbox starts when no --s3-endpoint is given."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.storage.s3_gate import S3Gate
from sandbox.storage.s3_journal import S3Journal

log = logging.getLogger(__name__)

# Starlette runs blocking calls in anyio's worker threads: 40 by default.
UPLOAD_THREADS = 40
# Fixed dummy credentials: the embedded server accepts any, and no real account is ever touched.
EMBEDDED_CREDENTIALS = {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}


class EmbeddedS3:
    """moto's S3 on a free loopback port, in a daemon thread, behind `S3Gate`.

    With a `data_dir`, successful writes are journaled there and replayed at start, so objects
    (transcripts, attachments) survive a restart.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self.journal = S3Journal(data_dir) if data_dir is not None else None
        self.endpoint = ""
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Replay the journal, start serving and return the endpoint URL."""
        # Imported late: moto is heavy and only needed here.
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        app = S3Gate(DomainDispatcherApplication(create_backend_app), self.journal)
        if self.journal is not None:
            self.journal.replay(app.app)
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.endpoint = f"http://127.0.0.1:{self._server.port}"
        log.info("embedded S3 server on %s", self.endpoint)
        return self.endpoint

    def stop(self) -> None:
        """Stop the server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()


def s3_client(endpoint: str, region: str, *, embedded: bool) -> Any:
    """A boto3 S3 client for `endpoint` (dummy credentials for the embedded server)."""
    extra: dict[str, Any] = dict(EMBEDDED_CREDENTIALS) if embedded else {}
    # As many pooled connections as worker threads upload at once (all chats end together at shutdown).
    config = Config(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 3, "mode": "standard"},
        max_pool_connections=UPLOAD_THREADS,
    )
    return boto3.client("s3", endpoint_url=endpoint, region_name=region, config=config, **extra)


def ensure_buckets(s3: Any, *buckets: str) -> None:
    """Create the buckets that do not exist yet."""
    existing = {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}
    for bucket in buckets:
        if bucket not in existing:
            s3.create_bucket(Bucket=bucket)
