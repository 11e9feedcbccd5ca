"""Typed sandbox configuration: the deployment config keys that matter locally, plus local settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.params import DEFAULT_CLOSED_MESSAGE, DEFAULT_GREETING, DEFAULT_TIMEOUT_MESSAGE
from lambdas.start_chat.chat_timeouts import MAX_TIMER_MINUTES, MIN_TIMER_MINUTES, ChatTimeouts
from lambdas.start_chat.continuation import DEFAULT_CONTINUATION_WINDOW_HOURS
from lambdas.start_chat.environment import START_CHAT_AUTH_MODES
from lambdas.start_chat.models import (
    DEFAULT_CHAT_DURATION_MINUTES,
    MAX_CHAT_DURATION_MINUTES,
    MIN_CHAT_DURATION_MINUTES,
)
from sandbox.contacts.chats import TRANSCRIPT_MAX_BYTES
from sandbox.participant.websocket_hub import QUEUE_MAX_BYTES
from stacks.config import CONFIG_KEYS, DeploymentConfig, load_config
from stacks.config import ConfigError as DeploymentConfigError
from stacks.opening_hours import DAYS

__all__ = ["DEFAULT_GREETING", "DEPLOYMENT_KEYS", "HONOURED_KEYS", "ConfigError", "SandboxConfig"]

# Keys of the deployment config (CDK context, camelCase) and the sandbox field each sets.
DEPLOYMENT_KEYS = {
    "chatDurationMinutes": "chat_duration_minutes",
    "disconnectWaitSeconds": "disconnect_wait_seconds",
    "chatConcurrency": "chat_concurrency",
    "enableAttachments": "enable_attachments",
    "attachmentScannerLambdaArn": "attachment_scanner_lambda_arn",
    "enableMarkdown": "enable_markdown",
    "greeting": "greeting",
    "closedMessage": "closed_message",
    "continueMessage": "continue_message",
    "timeoutMessage": "timeout_message",
    "hoursTimeZone": "hours_time_zone",
    "transcriptPrefix": "transcript_prefix",
    "attachmentsPrefix": "attachments_prefix",
    "allowedOrigins": "allowed_origins",
    "allowedAttributes": "allowed_attributes",
    "continuationWindowHours": "continuation_window_hours",
    "startChatAuth": "start_chat_auth",
    "chatBot": "chat_bot",
    "customerIdleMinutes": "customer_idle_minutes",
    "customerAutoDisconnectMinutes": "customer_auto_disconnect_minutes",
    "agentIdleMinutes": "agent_idle_minutes",
    "agentAutoDisconnectMinutes": "agent_auto_disconnect_minutes",
}

# Every deployment key the sandbox acts on (`hours` becomes `open_hours`); README says why the others don't.
HONOURED_KEYS = frozenset({*DEPLOYMENT_KEYS, "hours"})


def _deployed_default(field: str) -> Any:
    """The stack's default of a setting, so that the sandbox without a config file matches a deployment."""
    return DeploymentConfig.model_fields[field].default


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: not even a key's shape ("../x")
        return False
    return True


class ConfigError(ValueError):
    """A configuration value a person has to fix."""


@dataclass(frozen=True)
class SandboxConfig:
    """Everything the sandbox application needs; `create_app` takes one of these."""

    host: str = "127.0.0.1"
    port: int = 8080
    region: str = "us-east-1"
    account_id: str = "123456789012"
    instance_id: str = "5a4c1e0f-0000-4000-8000-00000000c0de"
    contact_flow_id: str = "5a4c1e0f-0000-4000-8000-0000000f1001"
    disconnect_flow_id: str = "5a4c1e0f-0000-4000-8000-0000000f1002"
    queue_id: str = "5a4c1e0f-0000-4000-8000-0000000a0001"
    hours_of_operation_id: str = "5a4c1e0f-0000-4000-8000-0000000b0001"
    chat_duration_minutes: int = DEFAULT_CHAT_DURATION_MINUTES
    disconnect_wait_seconds: int = _deployed_default("disconnect_wait_seconds")
    chat_concurrency: int = _deployed_default("chat_concurrency")
    enable_attachments: bool = True
    enable_markdown: bool = True
    greeting: str = DEFAULT_GREETING
    closed_message: str = DEFAULT_CLOSED_MESSAGE
    continue_message: str | None = None
    timeout_message: str = DEFAULT_TIMEOUT_MESSAGE
    # Chat timeouts the start-chat function sets on each chat (minutes; None: off), as deployed.
    customer_idle_minutes: int | None = None
    customer_auto_disconnect_minutes: int | None = None
    agent_idle_minutes: int | None = None
    agent_auto_disconnect_minutes: int | None = None
    allowed_origins: tuple[str, ...] = ()
    allowed_attributes: tuple[str, ...] = ("customerName",)
    max_active_chats: int = 100
    queue_capacity: int = 10000
    # Open hours as (weekday 0=Monday, start minute, end minute) in hours_time_zone; empty means always
    # open. An end before the start runs past midnight; 1440 is midnight at the end of the day.
    open_hours: tuple[tuple[int, int, int], ...] = ()
    hours_time_zone: str = "UTC"
    s3_endpoint: str | None = None
    # Where the embedded S3 keeps its objects across restarts; None keeps them in memory only.
    data_dir: str | None = None
    transcript_bucket: str = "connect-sandbox-transcripts"
    transcript_prefix: str = _deployed_default("transcript_prefix")
    attachments_bucket: str = "connect-sandbox-attachments"
    attachments_prefix: str = _deployed_default("attachments_prefix")
    attachment_max_bytes: int = 20 * 1024 * 1024
    # Attachment scanning: a function in AWS cannot run here, so with the deployment's scanner key (or
    # scan_attachments, for the demo) the sandbox runs its demo scanner in its place.
    attachment_scanner_lambda_arn: str | None = None
    scan_attachments: bool = False
    demo_agent: bool = True
    # The triage bot of bots/ in both flows (the deployment's chatBot); its local Lex ids.
    chat_bot: bool = False
    bot_id: str = "SANDBOXBOT"
    bot_alias_id: str = "TSTALIASID"
    # Memory bounds: SendMessage/SendEvent throttled per participant at Connect's documented rates,
    # a chat's transcript capped, and a WebSocket's unsent frames capped (the socket is dropped).
    throttle_sends: bool = True
    transcript_max_bytes: int = TRANSCRIPT_MAX_BYTES
    socket_queue_max_bytes: int = QUEUE_MAX_BYTES
    # How long an ended contact stays (DescribeContact, GetTranscript, persistent chat source).
    ended_contact_retention_seconds: int = 86400
    # Signed continuation and authenticated start: as deployed, with the sandbox's own keys (a
    # continuation key per run; the start-token secret in a file `python -m sandbox.sign_token` reads).
    continuation_window_hours: int = DEFAULT_CONTINUATION_WINDOW_HOURS
    start_chat_auth: str = "none"
    start_token_secret_file: Path | None = None

    def __post_init__(self) -> None:
        problems = []
        if not MIN_CHAT_DURATION_MINUTES <= self.chat_duration_minutes <= MAX_CHAT_DURATION_MINUTES:
            bounds = f"{MIN_CHAT_DURATION_MINUTES} and {MAX_CHAT_DURATION_MINUTES}"
            problems.append(f"chatDurationMinutes must be between {bounds}")
        if not 0 < self.disconnect_wait_seconds <= 604800:
            problems.append("disconnectWaitSeconds must be between 1 and 604800")
        if not 1 <= self.chat_concurrency <= 10:
            problems.append("chatConcurrency must be between 1 and 10")
        if self.max_active_chats < 1:
            problems.append("max_active_chats must be at least 1")
        if not self.greeting or len(self.greeting) > 1024:
            problems.append("greeting must be 1 to 1024 characters")
        if self.transcript_max_bytes < 64 * 1024 or self.socket_queue_max_bytes < 64 * 1024:
            problems.append("transcript_max_bytes and socket_queue_max_bytes must be at least 65536")
        if self.ended_contact_retention_seconds < 0:
            problems.append("ended_contact_retention_seconds must not be negative")
        if not _is_time_zone(self.hours_time_zone):
            problems.append(f"hoursTimeZone {self.hours_time_zone!r} is not an IANA time zone")
        if self.start_chat_auth not in START_CHAT_AUTH_MODES:
            problems.append(f"startChatAuth must be one of {', '.join(START_CHAT_AUTH_MODES)}")
        for name, minutes in vars(self.chat_timeouts).items():
            if minutes is not None and not MIN_TIMER_MINUTES <= minutes <= MAX_TIMER_MINUTES:
                problems.append(f"{name} must be {MIN_TIMER_MINUTES} to {MAX_TIMER_MINUTES} minutes")
        if problems:
            raise ConfigError("; ".join(problems))

    @property
    def chat_timeouts(self) -> ChatTimeouts:
        """The chat timeouts of the start-chat function's settings."""
        return ChatTimeouts.of(self)

    @property
    def base_url(self) -> str:
        """The sandbox's own HTTP origin as clients reach it."""
        host = "127.0.0.1" if self.host in {"0.0.0.0", "localhost", "::"} else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    @property
    def scans_attachments(self) -> bool:
        """Whether completed uploads go through the attachment scanner."""
        return self.enable_attachments and (
            self.scan_attachments or self.attachment_scanner_lambda_arn is not None
        )

    def with_overrides(self, **changes: Any) -> SandboxConfig:
        """A copy with some fields changed (None values are ignored)."""
        return replace(self, **{key: value for key, value in changes.items() if value is not None})

    @classmethod
    def from_file(cls, path: Path, base: SandboxConfig | None = None) -> SandboxConfig:
        """Read a JSON file of deployment keys (camelCase, as in cdk.json context) or sandbox fields."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot read config file {path}: {error}") from error
        if not isinstance(data, dict):
            raise ConfigError(f"config file {path} must hold a JSON object")
        return cls.from_values(data, base)

    @classmethod
    def from_values(cls, data: dict[str, Any], base: SandboxConfig | None = None) -> SandboxConfig:
        """Deployment keys (parsed as the stack parses them) and sandbox fields, or a whole cdk.json."""
        if isinstance(data.get("context"), dict):
            data = data["context"]  # a cdk.json: the deployment keys are its context
        changes = _deployment_changes({k: v for k, v in data.items() if k in CONFIG_KEYS})
        known = {f.name for f in fields(cls)}
        for key, value in data.items():
            if key in known and value is not None:
                changes[key] = tuple(value) if isinstance(value, list) else value
        return replace(base or cls(), **changes)


def _deployment_changes(context: dict[str, Any]) -> dict[str, Any]:
    """Sandbox fields from deployment keys, parsed and validated exactly as the stack does at synth.

    Keys the sandbox has no use for (instanceArn, retention, rate limits...) are validated and dropped:
    README's configuration table says why each is deploy-only.
    """
    try:
        parsed = load_config(context)
    except DeploymentConfigError as error:
        raise ConfigError(str(error)) from error
    changes: dict[str, Any] = {
        DEPLOYMENT_KEYS[key]: getattr(parsed, DEPLOYMENT_KEYS[key])
        for key in context
        if key in DEPLOYMENT_KEYS and context[key] is not None
    }
    if context.get("hours") is not None:
        changes["open_hours"] = open_hours_of(parsed)
    return changes


def open_hours_of(parsed: DeploymentConfig) -> tuple[tuple[int, int, int], ...]:
    """The deployment's `hours` as the flow engine checks them: (weekday, start minute, end minute)."""

    def minute(hh_mm: str) -> int:
        hours, minutes = hh_mm.split(":")
        return int(hours) * 60 + int(minutes)

    # Connect reads an end of 00:00 as midnight at the end of the day (00:00-00:00: all day).
    return tuple(
        (DAYS.index(day), minute(span.start), minute(span.end) or 1440)
        for day, span in (parsed.hours or {}).items()
    )
