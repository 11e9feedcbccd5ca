"""Fixtures for driving the real start-chat ``lambda_handler`` with API Gateway REST proxy events.

No AWS: the Connect client is a real boto3 client whose calls are answered by ``botocore.stub.Stubber``
(which also checks every parameter against the service model), injected with ``set_connect_client``.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.stub import Stubber

from lambdas.start_chat.connect_client import set_connect_client
from lambdas.start_chat.observability import logger as powertools_logger
from lambdas.start_chat.settings import get_settings

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
CONTACT_FLOW_ID = "66666666-7777-8888-9999-000000000000"
SITE = "https://www.example.com"
LOCAL_SITE = "http://localhost:8080"
METRICS_NAMESPACE = "ConnectChatTest"


@dataclass
class FakeLambdaContext:
    """The attributes of the Lambda context that Powertools reads."""

    function_name: str = "start-chat"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:start-chat"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))


EventFactory = Callable[..., dict[str, Any]]


def make_event(
    *,
    method: str = "POST",
    path: str = "/chats",
    body: Any = None,
    origin: str | None = None,
    headers: dict[str, str] | None = None,
    base64_encoded: bool = False,
) -> dict[str, Any]:
    """An API Gateway REST (v1) proxy event as the ``/chats`` resource receives it.

    ``body`` may be a dict/list (JSON-encoded here), a raw string, or None.
    """
    all_headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", "User-Agent": "pytest"}
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    if origin is not None:
        all_headers["Origin"] = origin
    all_headers.update(headers or {})
    raw_body = body if body is None or isinstance(body, str) else json.dumps(body)
    if base64_encoded and raw_body is not None:
        raw_body = base64.b64encode(raw_body.encode()).decode()
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "httpMethod": method,
            "path": f"/prod{path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "resourcePath": path,
            "stage": "prod",
            "identity": {"sourceIp": "203.0.113.7", "userAgent": "pytest"},
        },
        "body": raw_body,
        "isBase64Encoded": base64_encoded,
    }


@pytest.fixture
def event() -> EventFactory:
    """Factory for API Gateway REST proxy events (see :func:`make_event`)."""
    return make_event


@pytest.fixture
def lambda_context() -> LambdaContext:
    """A stand-in Lambda context."""
    return cast(LambdaContext, FakeLambdaContext())


@pytest.fixture(autouse=True)
def lambda_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The environment the CDK stack sets, with dummy credentials and no way to reach AWS."""
    # A sandbox started earlier in the same pytest process leaves its Lambda environment behind.
    leftovers = ("AWS_REGION", "POWERTOOLS_METRICS_DISABLED")
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_CONNECT",
        "AWS_SESSION_TOKEN",
        *leftovers,
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "start-chat")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "INFO")
    monkeypatch.setenv("CONNECT_INSTANCE_ID", INSTANCE_ID)
    monkeypatch.setenv("CONNECT_CONTACT_FLOW_ID", CONTACT_FLOW_ID)
    monkeypatch.setenv("ALLOWED_ORIGINS", json.dumps([SITE, LOCAL_SITE]))
    monkeypatch.setenv("ALLOWED_ATTRIBUTES", json.dumps(["customerName", "orderId"]))
    monkeypatch.setenv("CHAT_DURATION_MINUTES", "1500")
    monkeypatch.setenv("ENABLE_ATTACHMENTS", "true")
    monkeypatch.setenv("ENABLE_MARKDOWN", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def connect_stub() -> Iterator[Stubber]:
    """A real boto3 Connect client injected into the handler, answered by an active Stubber.

    Autouse, so no test can reach AWS: a call nobody queued an answer for fails the request.
    Every queued answer must be consumed by the test.
    """
    client = boto3.client("connect", region_name="us-east-1")
    set_connect_client(client)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()
    set_connect_client(None)


@dataclass
class Output:
    """What one test wrote: Powertools log records and the EMF metric blobs."""

    log_lines: list[dict[str, Any]]
    metric_blobs: list[dict[str, Any]]
    text: str

    def metric_names(self) -> list[str]:
        """Names of every metric published, in order."""
        return [
            metric["Name"]
            for blob in self.metric_blobs
            for directive in blob["_aws"]["CloudWatchMetrics"]
            for metric in directive["Metrics"]
        ]


@pytest.fixture
def captured_output(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Iterator[Callable[[], Output]]:
    """Read everything the handler wrote: the Powertools log stream, stdout (EMF), other loggers.

    The Powertools handler keeps the stream it had at import, so it is pointed at a buffer here.
    """
    buffer = io.StringIO()
    handler = powertools_logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(buffer)
    caplog.set_level(logging.DEBUG)

    def read() -> Output:
        stdout = capsys.readouterr().out
        lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
        blobs = [json.loads(line) for line in stdout.splitlines() if line.startswith('{"_aws"')]
        return Output(log_lines=lines, metric_blobs=blobs, text=buffer.getvalue() + stdout + caplog.text)

    yield read
    handler.setStream(previous)
