"""`POST /chats`: the emulated API Gateway route in front of the real start-chat Lambda handler.

The handler runs in a worker thread, because its boto3 `connect` client calls this very server's
`/connect` API (without a socket, in_process_transport.py): on the event loop the server would wait on
itself.
"""

from __future__ import annotations

import functools
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from lambdas.start_chat.aws_clients import CLIENT_CONFIG
from lambdas.start_chat.environment import lambda_environment
from lambdas.start_chat.settings import Settings, load_settings
from lambdas.start_chat.signing_keys import FixedSigningKeys
from sandbox.config import SandboxConfig
from sandbox.sign_token import DEFAULT_SECRET_FILE, load_or_create_secret
from sandbox.storage.s3_server import EMBEDDED_CREDENTIALS
from sandbox.web.http import read_limited
from sandbox.web.in_process_transport import InProcessTransport

if TYPE_CHECKING:
    from mypy_boto3_connect import ConnectClient

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
STAGE = "prod"
HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# API Gateway's payload limit.
MAX_BODY_BYTES = 10 * 1024 * 1024
FUNCTION_NAME = "sandbox-start-chat"


@dataclass
class LambdaContext:
    """The parts of the Lambda context object the handler reads."""

    aws_request_id: str
    function_name: str = FUNCTION_NAME
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION_NAME}"
    log_group_name: str = f"/aws/lambda/{FUNCTION_NAME}"
    log_stream_name: str = "sandbox"
    deadline_ms: int = 0

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before API Gateway's 29 s limit."""
        return max(0, self.deadline_ms - int(time.time() * 1000))


def lambda_settings(config: SandboxConfig, own_origins: list[str]) -> Settings:
    """The function's settings, from the environment the CDK stack gives it, plus the sandbox's origins."""
    origins = list(dict.fromkeys([*config.allowed_origins, *own_origins]))
    return load_settings(
        lambda_environment(
            instance_id=config.instance_id,
            contact_flow_id=config.contact_flow_id,
            allowed_origins=origins,
            allowed_attributes=config.allowed_attributes,
            chat_duration_minutes=config.chat_duration_minutes,
            enable_attachments=config.enable_attachments,
            enable_markdown=config.enable_markdown,
            # The sandbox runs only the project's bot (lexBotAliasArn is deploy-only).
            enable_interactive_messages=config.chat_bot,
            # The sandbox passes its keys to the handler (sandbox_signing_keys), so no secret ids.
            continuation_secret_id=None,
            continuation_window_hours=config.continuation_window_hours,
            start_chat_auth=config.start_chat_auth,
            start_token_secret_id=None,
            chat_timeouts=config.chat_timeouts,
        )
    )


def sandbox_signing_keys(config: SandboxConfig) -> FixedSigningKeys:
    """A continuation key of this run; the start-token secret of `sandbox.sign_token` in jwt mode."""
    start_token = b""
    if config.start_chat_auth == "jwt":
        start_token = load_or_create_secret(config.start_token_secret_file or DEFAULT_SECRET_FILE)
    return FixedSigningKeys(continuation=secrets.token_bytes(32), start_token=start_token)


def sandbox_connect_client(
    config: SandboxConfig, connect_endpoint: str, transport: InProcessTransport | None = None
) -> ConnectClient:
    """A Connect client as the function builds its own, pointed at this sandbox's Connect API.

    With ``transport``, its requests reach the sandbox's app without a socket (in_process_transport.py).
    """
    # Dummy credentials on this client only: the sandbox's Connect API ignores signatures, and
    # nothing else in the process (S3 on a real endpoint, say) should see fake credentials.
    session = boto3.session.Session(
        aws_access_key_id=EMBEDDED_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=EMBEDDED_CREDENTIALS["aws_secret_access_key"],
        region_name=config.region,
    )
    client = session.client("connect", endpoint_url=connect_endpoint, config=CLIENT_CONFIG)
    if transport is not None:
        transport.attach(client)
    return client


def install_start_chat_lambda(
    config: SandboxConfig,
    connect_endpoint: str,
    own_origins: list[str],
    clock: Callable[[], float],
    transport: InProcessTransport | None = None,
) -> LambdaHandler:
    """The real handler, given this sandbox's settings, Connect client, keys and clock on every invocation."""
    # Imported on first use: importing the handler is the function's cold start (it freezes the GC's
    # view of every object alive then), which a sandbox that never starts a chat should not pay.
    from lambdas.start_chat import handler, observability

    # The console shows the function's warnings and errors, not a log line and a metrics line per chat.
    observability.configure_output(log_level="WARNING", metrics_published=False)
    return functools.partial(
        handler.lambda_handler,
        settings=lambda_settings(config, own_origins),
        connect_client=sandbox_connect_client(config, connect_endpoint, transport),
        signing_keys=sandbox_signing_keys(config),
        clock=clock,
    )


def api_gateway_event(request: Request, body: bytes) -> dict[str, Any]:
    """An API Gateway REST proxy event for the request, as the `/chats` resource receives it."""
    headers = dict(request.headers)
    multi: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        multi.setdefault(key, []).append(value)
    query = dict(request.query_params) or None
    now = time.time()
    text = body.decode("utf-8", errors="replace")
    return {
        "resource": "/chats",
        "path": "/chats",
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: request.query_params.getlist(k) for k in query}
        if query
        else None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "sandbox",
            "resourcePath": "/chats",
            "httpMethod": request.method,
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "path": f"/{STAGE}/chats",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": "sandbox",
            "requestTimeEpoch": int(now * 1000),
            "requestId": str(uuid.uuid4()),
            "identity": {
                "sourceIp": request.client.host if request.client else "127.0.0.1",
                "userAgent": request.headers.get("user-agent"),
            },
            "domainName": request.headers.get("host", "127.0.0.1"),
            "apiId": "sandbox",
        },
        "body": text if text else None,
        "isBase64Encoded": False,
    }


def start_chat_routes(get_handler: Callable[[], LambdaHandler]) -> list[BaseRoute]:
    """`POST /chats` and its preflight, answered by the Lambda handler."""

    async def chats(request: Request) -> Response:
        body = await read_limited(request, MAX_BODY_BYTES)
        if body is None:
            return Response('{"message":"Request Too Long"}', status_code=413, media_type="application/json")
        event = api_gateway_event(request, body)
        context = LambdaContext(str(uuid.uuid4()), deadline_ms=int(time.time() * 1000) + 29_000)
        result = await run_in_threadpool(get_handler(), event, context)
        headers = dict(result.get("headers") or {})
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers[key] = ", ".join(values)
        return Response(
            result.get("body") or b"", status_code=int(result.get("statusCode", 502)), headers=headers
        )

    # Every method reaches the handler: it answers POST and the preflight, and a 405 in the API's
    # error shape for the others.
    return [Route("/chats", chats, methods=HTTP_METHODS)]
