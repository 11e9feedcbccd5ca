"""The embedded S3 endpoint (moto in server mode) that the sandbox starts when no --s3-endpoint is given."""

from __future__ import annotations

import logging
from typing import Any

import boto3
from botocore.config import Config

log = logging.getLogger(__name__)

# Fixed dummy credentials: the embedded server accepts any, and no real account is ever touched.
EMBEDDED_CREDENTIALS = {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}


class EmbeddedS3:
    """A moto S3 server on a free loopback port, in a daemon thread."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer  # imported late: moto is heavy and only needed here

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.endpoint = ""

    def start(self) -> str:
        """Start the server and return its endpoint URL."""
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        log.info("embedded S3 server on %s", self.endpoint)
        return self.endpoint

    def stop(self) -> None:
        """Stop the server."""
        self._server.stop()


def s3_client(endpoint: str, region: str, *, embedded: bool) -> Any:
    """A boto3 S3 client for `endpoint` (dummy credentials for the embedded server)."""
    extra: dict[str, Any] = dict(EMBEDDED_CREDENTIALS) if embedded else {}
    config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3, "mode": "standard"})
    return boto3.client("s3", endpoint_url=endpoint, region_name=region, config=config, **extra)


def ensure_buckets(s3: Any, *buckets: str) -> None:
    """Create the buckets that do not exist yet."""
    existing = {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}
    for bucket in buckets:
        if bucket not in existing:
            s3.create_bucket(Bucket=bucket)
