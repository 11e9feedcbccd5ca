"""The sandbox application: `create_app(config, clock=...)` wires the components into one ASGI app.

Wiring only: what each component does lives in its own package (see the package docstrings).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.agents.api import agent_routes
from sandbox.agents.demo_agent import DemoAgent
from sandbox.agents.events import AgentEvents, agent_event_routes
from sandbox.agents.routing import Routing
from sandbox.agents.workspace.metrics_view import metrics_view_routes
from sandbox.bot_runtime.chat_bots import ChatBots
from sandbox.bot_runtime.lex_runtime import LexRuntime
from sandbox.bot_runtime.local_bot import bot_alias_arn, triage_bot_runtime
from sandbox.bot_runtime.routes import PREFIX as LEX_PREFIX
from sandbox.bot_runtime.routes import lex_runtime_routes
from sandbox.clock import Clock, ManualClock, RealClock
from sandbox.config import SandboxConfig
from sandbox.connect.backend import ConnectBackend
from sandbox.connect.metrics import MetricsHistory
from sandbox.connect.metrics_routes import metrics_routes
from sandbox.connect.routes import connect_routes
from sandbox.contacts.chats import Chats
from sandbox.contacts.participant_timers import ParticipantTimers
from sandbox.contacts.store import ContactStore
from sandbox.flow_runtime.flow_engine import FlowEngine
from sandbox.flow_runtime.local_flows import build_local_flows
from sandbox.participant.attachment_scanning import EicarScanner
from sandbox.participant.attachments import AttachmentService
from sandbox.participant.backend import ParticipantBackend
from sandbox.participant.routes import participant_routes
from sandbox.participant.throttling import SendThrottle
from sandbox.participant.websocket_hub import WebSocketHub
from sandbox.storage.s3_server import EmbeddedS3, ensure_buckets, s3_client
from sandbox.storage.transcripts import TranscriptArchiver, TranscriptWriter
from sandbox.web.clock_route import clock_routes
from sandbox.web.in_process_transport import InProcessTransport
from sandbox.web.local_access import CorsByPath, trusted_hosts
from sandbox.web.start_chat_route import LambdaHandler, install_start_chat_lambda, start_chat_routes
from sandbox.web.website import website_routes

# How an active chat ends when the sandbox stops, and how long its sockets get to send their last frames.
SHUTDOWN_REASON = "OTHER"
SHUTDOWN_FLUSH_SECONDS = 5.0


class Sandbox:
    """All the components of one sandbox instance; each app (and each test server) has its own."""

    def __init__(self, config: SandboxConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.store = ContactStore(clock, config.ended_contact_retention_seconds)
        self.hub = WebSocketHub(self.store, config.socket_queue_max_bytes)
        self.chats = Chats(clock, self.store, self.hub, config.transcript_max_bytes)
        self.hub.subscribed.connect(self.chats.mark_connected)
        self.participant_timers = ParticipantTimers(clock, self.chats)
        self.connect = ConnectBackend(config, clock, self.store, self.chats, self.participant_timers)
        self.participants = ParticipantBackend(clock, self.store, self.chats)
        self.throttle = SendThrottle(clock, enabled=config.throttle_sends)
        self.routing = Routing(self.chats, self.store, clock, config.chat_concurrency)
        self.routing.add_queue(config.queue_id, "BasicQueue", config.queue_capacity)
        self.agent_events = AgentEvents(self.routing)
        self.metrics = MetricsHistory(self.connect.contact_started, self.routing)
        # The triage bot (chatBot): run for chats by the flows' Lex blocks, and over RecognizeText.
        self.bot: LexRuntime | None = triage_bot_runtime(config) if config.chat_bot else None
        bots = {bot_alias_arn(config): self.bot} if self.bot is not None else {}
        self.flows = FlowEngine(
            self.chats,
            self.routing,
            clock,
            build_local_flows(config),
            config.open_hours,
            bots=ChatBots(self.chats, clock, bots),
            time_zone=config.hours_time_zone,
        )
        # The demo scanner stands in for the deployment's scanner Lambda, reading uploads from S3 as it does.
        scanner = EicarScanner(self._read_object) if config.scans_attachments else None
        self.attachments = AttachmentService(config, clock, self.store, self.chats, scanner=scanner)
        self.transcripts = TranscriptArchiver(
            self.chats.contact_ended, config.transcript_prefix, config.account_id
        )
        self.demo_agent: DemoAgent | None = None
        self.s3: Any = None
        self.s3_endpoint = config.s3_endpoint or ""
        self.embedded_s3: EmbeddedS3 | None = None
        self.lambda_handler: LambdaHandler | None = None
        # How the function's Connect client reaches this sandbox's app (create_app sets it; None: HTTP).
        self.connect_transport: InProcessTransport | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def startup(self) -> None:
        """Start S3 (embedded unless configured), create buckets, start the demo agent."""
        self.loop = asyncio.get_running_loop()
        if not self.config.s3_endpoint:
            data_dir = Path(self.config.data_dir) if self.config.data_dir else None
            self.embedded_s3 = EmbeddedS3(data_dir)
            self.s3_endpoint = await run_in_threadpool(self.embedded_s3.start)
        self.s3 = s3_client(self.s3_endpoint, self.config.region, embedded=self.embedded_s3 is not None)
        await run_in_threadpool(
            ensure_buckets, self.s3, self.config.transcript_bucket, self.config.attachments_bucket
        )
        self.attachments.s3 = self.s3
        self.transcripts.start(TranscriptWriter(self.s3, self.config.transcript_bucket))
        if self.config.demo_agent:
            self.demo_agent = DemoAgent(self.routing, self.chats, self.config.chat_concurrency)

    def _read_object(self, bucket: str, key: str) -> bytes:
        data: bytes = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        return data

    def end_streams(self) -> None:
        """End the long-lived HTTP responses (agent event streams), so the server can stop."""
        self.agent_events.close()

    async def end_active_chats(self) -> None:
        """End every chat still going, as the service ends a chat (chat.ended pushed, transcript written).

        Called when the server is asked to stop, before it closes connections, so clients see the
        end and the sockets' last frames go out.
        """
        for contact in list(self.store.contacts.values()):
            if not contact.ended:
                self.chats.end_contact(contact, SHUTDOWN_REASON)
        with contextlib.suppress(TimeoutError):  # a client that stopped reading does not hold us up
            async with asyncio.timeout(SHUTDOWN_FLUSH_SECONDS):
                await self.hub.wait_closed()

    async def shutdown(self) -> None:
        """Finish uploads and stop the embedded S3 server."""
        await self.transcripts.drain()
        if self.embedded_s3 is not None:
            await run_in_threadpool(self.embedded_s3.stop)

    def handler(self) -> LambdaHandler:
        """The start-chat Lambda handler, configured on first use."""
        if self.lambda_handler is None:
            base = self.config.base_url
            own = [base, base.replace("127.0.0.1", "localhost")]
            self.lambda_handler = install_start_chat_lambda(
                self.config, f"{base}/connect", own, self.clock.now, self.connect_transport
            )
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
            "attachmentScanning": self.config.scans_attachments,
            "demoAgent": self.config.demo_agent,
            "manualClock": isinstance(self.clock, ManualClock),
            "chatConcurrency": self.config.chat_concurrency,
            "activeChats": self.store.active_count,
            **self._bot_info(),
        }

    def _bot_info(self) -> dict[str, Any]:
        if self.bot is None:
            return {"chatBot": False}
        return {
            "chatBot": True,
            "lexRuntimeEndpoint": f"{self.config.base_url}{LEX_PREFIX}",
            "botId": self.bot.bot_id,
            "botAliasId": self.bot.alias_id,
            "botAliasArn": bot_alias_arn(self.config),
            "botLocaleId": self.bot.bot.locale_id,
        }


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
        *connect_routes(sandbox.connect),
        *metrics_routes(sandbox.routing, sandbox.metrics, config.instance_id, sandbox.connect.instance_arn),
        *participant_routes(
            sandbox.participants, sandbox.chats, sandbox.attachments, sandbox.hub, sandbox.throttle
        ),
        *agent_routes(sandbox.routing),
        *(lex_runtime_routes({(bot.bot_id, bot.alias_id): bot}) if (bot := sandbox.bot) is not None else []),
        *agent_event_routes(sandbox.agent_events),
        *metrics_view_routes(sandbox.routing, sandbox.metrics, config.queue_id),
        Route("/sandbox/info", info, methods=["GET"]),
        # Only a sandbox on the manual clock can be told the time: without it the route is a 404.
        *(clock_routes(manual_clock, sandbox.agent_events) if manual_clock is not None else []),
        *website_routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.sandbox = sandbox
    app.add_middleware(CorsByPath)
    # Outermost: a page on a rebound DNS name (Host: evil.example) gets 400 before anything else.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(config))
    sandbox.connect_transport = InProcessTransport(app, lambda: sandbox.loop)
    return app
