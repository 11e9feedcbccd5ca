"""`POST /chats`: the emulated API Gateway route in front of the real start-chat Lambda handler.

The handler runs in a worker thread, because its boto3 `connect` client calls this very server's
`/connect` API over HTTP: on the event loop the server would wait on itself.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from lambdas.start_chat import environment
from sandbox.config import SandboxConfig
from sandbox.storage.s3_server import EMBEDDED_CREDENTIALS
from sandbox.web.http import read_limited

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
STAGE = "prod"
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


def lambda_environment(
    config: SandboxConfig, connect_endpoint: str, own_origins: list[str]
) -> dict[str, str]:
    """The environment the CDK stack gives the function, pointed at the sandbox."""
    origins = list(dict.fromkeys([*config.allowed_origins, *own_origins]))
    return {
        **environment.lambda_environment(
            instance_id=config.instance_id,
            contact_flow_id=config.contact_flow_id,
            allowed_origins=origins,
            allowed_attributes=config.allowed_attributes,
            chat_duration_minutes=config.chat_duration_minutes,
            enable_attachments=config.enable_attachments,
            enable_markdown=config.enable_markdown,
        ),
        "AWS_ENDPOINT_URL_CONNECT": connect_endpoint,
        "AWS_REGION": config.region,
        "AWS_DEFAULT_REGION": config.region,
    }


# Observability knobs that would otherwise print an EMF metrics line and a trace warning per chat.
QUIET_POWERTOOLS = {
    "POWERTOOLS_SERVICE_NAME": "start-chat",
    "POWERTOOLS_METRICS_NAMESPACE": "ConnectChat",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


def install_start_chat_lambda(
    config: SandboxConfig, connect_endpoint: str, own_origins: list[str]
) -> LambdaHandler:
    """Configure the real handler as the stack would (env, client on the sandbox) and return it.

    The Lambda module keeps its settings and Connect client per process (as a Lambda container
    does), so each sandbox app start re-applies them.
    """
    os.environ.update(lambda_environment(config, connect_endpoint, own_origins))
    for key, value in QUIET_POWERTOOLS.items():
        os.environ.setdefault(key, value)
    from lambdas.start_chat import connect_client, handler, settings

    settings.get_settings.cache_clear()
    # Dummy credentials on this client only: the sandbox's Connect API ignores signatures, and
    # nothing else in the process (S3 on a real endpoint, say) should see fake credentials.
    session = boto3.session.Session(
        aws_access_key_id=EMBEDDED_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=EMBEDDED_CREDENTIALS["aws_secret_access_key"],
        region_name=config.region,
    )
    connect_client.set_connect_client(session.client("connect", config=connect_client.CLIENT_CONFIG))
    return handler.lambda_handler


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
        body = await read_limited(request, 10 * 1024 * 1024)  # API Gateway's payload limit
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

    return [Route("/chats", chats, methods=["POST", "OPTIONS"])]
