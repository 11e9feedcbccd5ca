"""The sandbox application: `create_app(config, clock=...)` wires the components into one ASGI app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.agent_api import agent_routes
from sandbox.agent_events import AgentEvents, agent_event_routes
from sandbox.attachments import AttachmentService
from sandbox.chat_service import ChatService
from sandbox.clock import Clock, ManualClock, RealClock
from sandbox.clock_api import clock_routes
from sandbox.config import SandboxConfig
from sandbox.connect_api import connect_routes
from sandbox.contacts import Contact, ContactStore
from sandbox.demo_agent import DemoAgent
from sandbox.flow_engine import FlowEngine
from sandbox.local_flows import build_local_flows
from sandbox.metrics import MetricsHistory
from sandbox.metrics_api import metrics_routes
from sandbox.participant_api import participant_routes
from sandbox.routing import Routing
from sandbox.s3_server import EmbeddedS3, ensure_buckets, s3_client
from sandbox.start_chat_route import LambdaHandler, install_start_chat_lambda, start_chat_routes
from sandbox.transcripts import TranscriptWriter, build_transcript
from sandbox.website import website_routes
from sandbox.websocket_hub import WebSocketHub

log = logging.getLogger(__name__)

# Listed explicitly: `*` does not cover Authorization (Fetch spec); ChatJS signs with empty credentials.
CORS_HEADERS = [
    "authorization",
    "content-type",
    "x-amz-bearer",
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-user-agent",
    "x-amz-security-token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
]


class Sandbox:
    """All the components of one sandbox instance (tests create as many as they like)."""

    def __init__(self, config: SandboxConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.store = ContactStore(clock, config.ended_contact_retention_seconds)
        self.hub = WebSocketHub(self.store, self._on_subscribed)
        self.chats = ChatService(config, clock, self.store, self.hub)
        self.routing = Routing(self.chats, clock, config.chat_concurrency)
        self.routing.add_queue(config.queue_id, "BasicQueue", config.queue_capacity)
        self.agent_events = AgentEvents(self.routing)
        self.metrics = MetricsHistory(self.chats, self.routing)
        self.flows = FlowEngine(self.chats, self.routing, clock, build_local_flows(config), config.open_hours)
        self.attachments = AttachmentService(self.chats, s3=None)
        self.demo_agent: DemoAgent | None = None
        self.s3: Any = None
        self.s3_endpoint = config.s3_endpoint or ""
        self.transcripts: TranscriptWriter | None = None
        self.embedded_s3: EmbeddedS3 | None = None
        self.lambda_handler: LambdaHandler | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._writes: set[asyncio.Task[None]] = set()
        self.chats.contact_ended.connect(self._on_contact_ended)

    def _on_subscribed(self, participant: Any) -> None:
        self.chats.mark_connected(participant)

    def _on_contact_ended(self, contact: Contact) -> None:
        if self.transcripts is None:
            log.warning("contact %s ended before S3 was ready; transcript not written", contact.id)
            return
        transcript = build_transcript(contact, self.config.transcript_prefix, self.config.account_id)
        task = asyncio.get_running_loop().create_task(self._write(transcript))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, transcript: Any) -> None:
        assert self.transcripts is not None
        try:
            await run_in_threadpool(self.transcripts.write, transcript)
        except Exception:
            log.exception("writing the transcript %s failed", transcript.key)

    async def drain(self) -> None:
        """Wait until every pending transcript upload has finished."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)

    async def startup(self) -> None:
        """Start S3 (embedded unless configured), create buckets, install the Lambda handler."""
        self.loop = asyncio.get_running_loop()
        if not self.config.s3_endpoint:
            self.embedded_s3 = EmbeddedS3()
            self.s3_endpoint = await run_in_threadpool(self.embedded_s3.start)
        self.s3 = s3_client(self.s3_endpoint, self.config.region, embedded=self.embedded_s3 is not None)
        await run_in_threadpool(
            ensure_buckets, self.s3, self.config.transcript_bucket, self.config.attachments_bucket
        )
        self.attachments.s3 = self.s3
        self.transcripts = TranscriptWriter(self.s3, self.config.transcript_bucket)
        if self.config.demo_agent:
            self.demo_agent = DemoAgent(self.routing, self.chats, self.config.chat_concurrency)

    def end_streams(self) -> None:
        """End the long-lived HTTP responses (agent event streams), so the server can stop."""
        self.agent_events.close()

    async def shutdown(self) -> None:
        """Finish uploads and stop the embedded S3 server."""
        await self.drain()
        if self.embedded_s3 is not None:
            await run_in_threadpool(self.embedded_s3.stop)

    def handler(self) -> LambdaHandler:
        """The start-chat Lambda handler, configured on first use."""
        if self.lambda_handler is None:
            base = self.config.base_url
            own = [base, base.replace("127.0.0.1", "localhost")]
            self.lambda_handler = install_start_chat_lambda(self.config, f"{base}/connect", own)
        return self.lambda_handler

    def info(self) -> dict[str, Any]:
        """What `GET /sandbox/info` answers."""
        base = self.config.base_url
        return {
            "region": self.config.region,
            "instanceId": self.config.instance_id,
            "contactFlowId": self.config.contact_flow_id,
            "apiUrl": f"{base}/chats",
            "connectEndpoint": f"{base}/connect",
            "participantEndpoint": base,
            "s3Endpoint": self.s3_endpoint,
            "transcriptBucket": self.config.transcript_bucket,
            "transcriptPrefix": self.config.transcript_prefix,
            "attachmentsBucket": self.config.attachments_bucket,
            "demoAgent": self.config.demo_agent,
            "manualClock": isinstance(self.clock, ManualClock),
            "chatConcurrency": self.config.chat_concurrency,
            "activeChats": self.store.active_count,
        }


# Paths browser clients of the Participant Service reach from other origins (ChatJS, the widget).
CORS_PREFIXES = ("/participant/", "/sandbox/attachments/")
# Paths for local tools only (agent console, tests): no CORS, and cross-origin requests refused.
SAME_ORIGIN_PREFIXES = ("/sandbox/agents", "/sandbox/info", "/sandbox/clock")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return str(value.decode("latin-1"))
    return None


class _CorsByPath:
    """CORS `*` for the Participant Service and attachment URLs; same-origin only for the agent API.

    `/chats` is left alone: its CORS is the Lambda's, as API Gateway proxies it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.plain = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=CORS_HEADERS,
            expose_headers=["x-amzn-ErrorType", "x-amzn-RequestId"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(CORS_PREFIXES):
            await self.cors(scope, receive, send)
            return
        if scope["type"] == "http" and _is_same_origin_path(path) and _cross_origin(scope):
            # A preflight or a request from another origin's page: refuse it, without CORS headers.
            await Response("Cross-origin requests are not allowed", 403, media_type="text/plain")(
                scope, receive, send
            )
            return
        await self.plain(scope, receive, send)


def _is_same_origin_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in SAME_ORIGIN_PREFIXES)


def _cross_origin(scope: Scope) -> bool:
    """The request comes from a browser page on another origin (or is a CORS preflight)."""
    if scope.get("method") == "OPTIONS" and _header(scope, b"access-control-request-method"):
        return True
    origin = _header(scope, b"origin")
    if origin is None:
        return False  # not a browser cross-origin request (curl, httpx, boto3)
    host = _header(scope, b"host") or ""
    return origin.lower() not in {f"http://{host}".lower(), f"https://{host}".lower()}


def trusted_hosts(config: SandboxConfig) -> list[str]:
    """Host header values the sandbox answers (DNS rebinding protection)."""
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    configured = config.host.strip("[]")
    if configured not in {"0.0.0.0", "::"}:  # noqa: S104
        hosts += [configured, f"[{configured}]"] if ":" in configured else [configured]
    return list(dict.fromkeys(hosts))


def create_app(config: SandboxConfig | None = None, clock: Clock | None = None) -> Starlette:
    """A new sandbox application; its components are at `app.state.sandbox`."""
    config = config or SandboxConfig()
    sandbox = Sandbox(config, clock or RealClock())

    async def info(request: Request) -> Response:
        return JSONResponse(sandbox.info())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await sandbox.startup()
        try:
            yield
        finally:
            await sandbox.shutdown()

    manual_clock = sandbox.clock if isinstance(sandbox.clock, ManualClock) else None
    routes = [
        *start_chat_routes(sandbox.handler),
        *connect_routes(sandbox.chats),
        *metrics_routes(sandbox.routing, sandbox.metrics, config.instance_id, sandbox.chats.instance_arn),
        *participant_routes(sandbox.chats, sandbox.attachments, sandbox.hub),
        *agent_routes(sandbox.routing),
        *agent_event_routes(sandbox.agent_events),
        Route("/sandbox/info", info, methods=["GET"]),
        # Only a sandbox on the manual clock can be told the time: without it the route is a 404.
        *(clock_routes(manual_clock, sandbox.agent_events) if manual_clock is not None else []),
        *website_routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.sandbox = sandbox
    app.add_middleware(_CorsByPath)
    # Outermost: a page on a rebound DNS name (Host: evil.example) gets 400 before anything else.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(config))
    return app
