"""Fixtures for driving the real start-chat ``lambda_handler`` with API Gateway REST proxy events.

No AWS: the Connect client is a real boto3 client whose calls are answered by ``botocore.stub.Stubber``
(which also checks every parameter against the service model). Tests call the handler through
:func:`handle`, which passes that client and the settings the stack's environment parses into, as the
sandbox does; the few tests of the container's defaults (settings from ``os.environ``) call it directly.
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

from lambdas.start_chat.chat_timeouts import ChatTimeouts
from lambdas.start_chat.environment import lambda_environment
from lambdas.start_chat.handler import lambda_handler
from lambdas.start_chat.observability import configure_output
from lambdas.start_chat.observability import logger as powertools_logger
from lambdas.start_chat.settings import get_settings, load_settings
from lambdas.start_chat.signing_keys import FixedSigningKeys

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
CONTACT_FLOW_ID = "66666666-7777-8888-9999-000000000000"
SITE = "https://www.example.com"
LOCAL_SITE = "http://localhost:8080"
TOKEN = "QVFJREFIaFNlY3JldFBhcnRpY2lwYW50VG9rZW4tZG8tbm90LWxvZw"
CONNECT_ANSWER = {"ContactId": "contact-1", "ParticipantId": "participant-1", "ParticipantToken": TOKEN}
DISPLAY_NAME = "Zyxwv Qutsrp"
MESSAGE = "My parcel 4711 never arrived"
ATTRIBUTE_VALUE = "ord-secret-attribute-value"


def header(response: dict[str, Any], name: str) -> str | None:
    """A response header, case-insensitively, from either header map of the proxy response."""
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return ",".join(values)
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def body(response: dict[str, Any]) -> Any:
    """The decoded JSON body."""
    return json.loads(response["body"])


def expected_params(**overrides: Any) -> dict[str, Any]:
    """StartChatContact parameters for a minimal request, plus ``overrides``.

    No ChatDurationInMinutes: the deployment's 1500 is the service's default, so it is not sent."""
    params: dict[str, Any] = {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": CONTACT_FLOW_ID,
        "ParticipantDetails": {"DisplayName": DISPLAY_NAME},
        "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    }
    params.update(overrides)
    return params


MINIMAL_BODY = {"ParticipantDetails": {"DisplayName": DISPLAY_NAME}}


# The deployment under test: keyword arguments of lambda_environment, as the stack passes them.
DEPLOYMENT: dict[str, Any] = {
    "instance_id": INSTANCE_ID,
    "contact_flow_id": CONTACT_FLOW_ID,
    "allowed_origins": [SITE, LOCAL_SITE],
    "allowed_attributes": ["customerName", "orderId"],
    "chat_duration_minutes": 1500,
    "enable_attachments": True,
    "enable_markdown": True,
    "enable_interactive_messages": False,
    "continuation_secret_id": "arn:aws:secretsmanager:us-east-1:123456789012:secret:continuation-AbCdEf",
    "continuation_window_hours": 48,
    "start_chat_auth": "none",
    "start_token_secret_id": None,
    "chat_timeouts": ChatTimeouts(),
}
# The keys the tests inject (as the sandbox does); the container's default reads Secrets Manager.
CONTINUATION_KEY = b"continuation-key-for-tests-0123456789abcdef"
START_TOKEN_SECRET = b"start-token-secret-for-tests-" + b"0123456789abcdef" * 3
SIGNING_KEYS = FixedSigningKeys(continuation=CONTINUATION_KEY, start_token=START_TOKEN_SECRET)


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
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials and no way to reach AWS; the function's output as Lambda configures it."""
    # The developer's shell may point boto3 elsewhere or switch Powertools' metrics off.
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_CONNECT",
        "AWS_SESSION_TOKEN",
        "POWERTOOLS_DEV",
        "POWERTOOLS_METRICS_DISABLED",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # A sandbox started earlier in this process quiets the function (process-wide, as in a container).
    configure_output(log_level="INFO", metrics_published=True)


@pytest.fixture
def deployment() -> dict[str, Any]:
    """The deployment's :func:`lambda_environment` arguments for one test, which it may change."""
    return dict(DEPLOYMENT)


@pytest.fixture
def container_environ(monkeypatch: pytest.MonkeyPatch, deployment: dict[str, Any]) -> Iterator[None]:
    """The deployment's environment in ``os.environ``, for tests of the handler's default settings."""
    for name, value in lambda_environment(**deployment).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def connect_stub() -> Iterator[Stubber]:
    """A real boto3 Connect client answered by an active Stubber, the one :func:`handle` passes.

    Every queued answer must be consumed by the test; a call nobody queued an answer for fails.
    """
    client = boto3.client("connect", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


Handle = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class FixedClock:
    """The handler's clock for one test: epoch seconds that move only when the test says so."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    """The clock :func:`handle` passes."""
    return FixedClock()


@pytest.fixture
def handle(
    deployment: dict[str, Any], connect_stub: Stubber, lambda_context: LambdaContext, clock: FixedClock
) -> Handle:
    """Invoke the real ``lambda_handler`` with the deployment's settings and the stubbed client.

    The settings are parsed from the environment the stack deploys (``lambda_environment``), when the
    handler is invoked, so a test may change ``deployment`` first.
    """

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        settings = load_settings(lambda_environment(**deployment))
        return lambda_handler(
            event,
            lambda_context,
            settings=settings,
            connect_client=connect_stub.client,
            signing_keys=SIGNING_KEYS,
            clock=clock,
        )

    return invoke


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


ReadOutput = Callable[[], Output]
