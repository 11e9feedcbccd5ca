"""The deployment's configuration: one typed object, read from CDK context, validated at synth.

Every key is documented in README.md ("Configuration"). Values given on the command line
(`cdk deploy -c chatConcurrency=5`) arrive as strings, so lists and numbers are also accepted
in their JSON spelling.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from flows.params import DEFAULT_CLOSED_MESSAGE, DEFAULT_GREETING, DEFAULT_TIMEOUT_MESSAGE
from lambdas.start_chat.chat_timeouts import ChatTimeouts
from lambdas.start_chat.continuation import DEFAULT_CONTINUATION_WINDOW_HOURS, MAX_CONTINUATION_WINDOW_HOURS
from lambdas.start_chat.environment import StartChatAuth
from lambdas.start_chat.models import (
    DEFAULT_CHAT_DURATION_MINUTES,
    MAX_CHAT_DURATION_MINUTES,
    MIN_CHAT_DURATION_MINUTES,
)

from .config_values import (
    AttributeKeys,
    ConnectResourceArn,
    Email,
    FlowId,
    InstanceAlias,
    InstanceArn,
    KeyPrefix,
    LayerVersionArn,
    LexBotAliasArn,
    LogRetentionDays,
    Origins,
    ScannerLambdaArn,
    TimerMinutes,
    TimeZoneName,
)
from .opening_hours import Day, OpeningHours

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1024)]


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg} at character {exc.pos})") from None


class ConfigError(ValueError):
    """A deployment config value is wrong; the message says which key and how to fix it."""


class DeploymentConfig(BaseModel):
    """Every deployment setting, with the defaults documented in README.md."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    # Where the contact center lives.
    instance_arn: InstanceArn | None = None
    instance_alias: InstanceAlias | None = None
    contact_flow_id: FlowId | None = None
    create_storage_config: bool | None = None
    queue_arn: ConnectResourceArn | None = None
    hours_of_operation_arn: ConnectResourceArn | None = None
    create_routing_profile: bool | None = None
    create_approved_origins: bool | None = None

    # Chat behaviour.
    allowed_origins: Origins = ()
    allowed_attributes: AttributeKeys = ("customerName",)
    chat_duration_minutes: int = Field(
        default=DEFAULT_CHAT_DURATION_MINUTES, ge=MIN_CHAT_DURATION_MINUTES, le=MAX_CHAT_DURATION_MINUTES
    )
    disconnect_wait_seconds: int = Field(default=43200, gt=0, le=604800)
    chat_concurrency: int = Field(default=10, ge=1, le=10)
    enable_attachments: bool = True
    # The user's scanner Lambda: Connect passes it every attachment before sharing it (README: Security).
    attachment_scanner_lambda_arn: ScannerLambdaArn | None = None
    enable_markdown: bool = True
    greeting: Text = DEFAULT_GREETING
    closed_message: Text = DEFAULT_CLOSED_MESSAGE
    continue_message: Text | None = None
    timeout_message: Text = DEFAULT_TIMEOUT_MESSAGE
    lex_bot_alias_arn: LexBotAliasArn | None = None
    # Chat timeouts (UpdateParticipantRoleConfig), in minutes; absent: that timer is off.
    customer_idle_minutes: TimerMinutes | None = None
    customer_auto_disconnect_minutes: TimerMinutes | None = None
    agent_idle_minutes: TimerMinutes | None = None
    agent_auto_disconnect_minutes: TimerMinutes | None = None

    # Opening hours: absent means 24/7.
    hours_time_zone: TimeZoneName = "UTC"
    hours: dict[Day, OpeningHours] | None = None

    # Storage.
    transcript_retention_days: int = Field(default=365, ge=1, le=3650)
    transcript_prefix: KeyPrefix = "connect/chat-transcripts"
    attachments_prefix: KeyPrefix = "connect/chat-attachments"

    # Protection and operations.
    api_rate_limit: float = Field(default=4, gt=0, le=10000)
    api_burst_limit: int = Field(default=6, ge=1, le=5000)
    # Under a tenth of the stage's 1,200 requests in 5 minutes at 4/s: starving it takes over 10 IPs.
    waf_rate_limit_per_ip: int = Field(default=100, ge=10, le=2_000_000_000)
    # AWS::ApiGateway::Account is one per account and Region: only for accounts without a logging role.
    create_api_gateway_account: bool = False
    log_retention_days: LogRetentionDays = 90
    powertools_layer_arn: LayerVersionArn | None = None
    enable_alarms: bool = True
    alarm_email: Email | None = None

    # Signed continuation and authenticated start (issue 11, items 1 and 2).
    continuation_window_hours: int = Field(
        default=DEFAULT_CONTINUATION_WINDOW_HOURS, ge=1, le=MAX_CONTINUATION_WINDOW_HOURS
    )
    start_chat_auth: StartChatAuth = "none"

    # The project's triage bot (bots/): a Lex V2 bot in both flows. Off by default: a bot has a running cost.
    chat_bot: bool = False

    @field_validator("allowed_origins", "allowed_attributes", mode="before")
    @classmethod
    def _list_from_text(cls, value: Any) -> Any:
        # `-c allowedOrigins=https://a.example,https://b.example` or a JSON array string.
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith("[") and stripped.endswith("]"):
                try:
                    return json.loads(stripped)
                except json.JSONDecodeError:
                    # `make deploy CONTEXT='-c k=["a","b"]'`: the recipe's shell has eaten the quotes.
                    stripped = stripped[1:-1]
            return [part.strip().strip("\"'") for part in stripped.split(",") if part.strip()]
        return value

    @field_validator("hours", mode="before")
    @classmethod
    def _hours_from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _json(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.disconnect_wait_seconds >= self.chat_duration_minutes * 60:
            raise ValueError(
                f"disconnectWaitSeconds ({self.disconnect_wait_seconds}) must be shorter than the chat "
                f"duration (chatDurationMinutes={self.chat_duration_minutes}, i.e. "
                f"{self.chat_duration_minutes * 60} s): the chat would end before the wait does"
            )
        if self.api_burst_limit < self.api_rate_limit:
            raise ValueError("apiBurstLimit must be at least apiRateLimit")
        if self.instance_arn is None:
            if self.queue_arn or self.hours_of_operation_arn or self.contact_flow_id:
                raise ValueError(
                    "queueArn, hoursOfOperationArn and contactFlowId refer to an existing instance: "
                    "set instanceArn too, or leave them out to have everything created"
                )
            if False in (
                self.create_storage_config,
                self.create_routing_profile,
                self.create_approved_origins,
            ):
                raise ValueError(
                    "createStorageConfig, createRoutingProfile and createApprovedOrigins can be turned off "
                    "only with instanceArn"
                )
        else:
            if self.contact_flow_id is not None:
                self._own_flow_uses_nothing_of_ours()
            for key, arn in (
                ("queueArn", self.queue_arn),
                ("hoursOfOperationArn", self.hours_of_operation_arn),
            ):
                if arn is not None and not arn.startswith(self.instance_arn + "/"):
                    raise ValueError(f"{key} belongs to another instance than instanceArn")
            if self.queue_arn is not None and self.hours_of_operation_arn is None:
                raise ValueError(
                    "queueArn needs hoursOfOperationArn too: "
                    "the inbound flow checks those hours before queueing"
                )
            if self.queue_arn is not None and self.create_routing_profile is True:
                raise ValueError(
                    "queueArn (an existing queue) goes with createRoutingProfile=false: add that queue to "
                    "your agents' routing profile yourself, or leave queueArn out to have both created"
                )
        if self.chat_bot and self.lex_bot_alias_arn is not None:
            raise ValueError(
                "chatBot and lexBotAliasArn both put a bot in the inbound flow: keep the one you want"
            )
        if self.attachment_scanner_lambda_arn is not None and not self.enable_attachments:
            raise ValueError("attachmentScannerLambdaArn scans attachments: it needs enableAttachments=true")
        scanner, instance = (
            arn and arn.split(":")[3:5] for arn in (self.attachment_scanner_lambda_arn, self.instance_arn)
        )
        if scanner and instance and scanner != instance:
            raise ValueError("attachmentScannerLambdaArn must be in instanceArn's Region and account")
        if self.hours is not None and not self.hours:
            raise ValueError("hours is empty: the contact center would never open (leave it out for 24/7)")
        return self

    def _own_flow_uses_nothing_of_ours(self) -> None:
        # The user's flow chooses its own queue, checks its own hours and runs its own bot.
        for key, value in (
            ("queueArn", self.queue_arn),
            ("hoursOfOperationArn", self.hours_of_operation_arn),
            ("lexBotAliasArn", self.lex_bot_alias_arn),
            ("chatBot", self.chat_bot or None),
            ("hours", self.hours),
        ):
            if value is not None:
                raise ValueError(
                    f"{key} is used by the stack's own inbound flow, which contactFlowId replaces: "
                    "set it in your flow instead, or leave contactFlowId out"
                )

    @property
    def chat_timeouts(self) -> ChatTimeouts:
        """The timers the start-chat function sets on every new chat."""
        return ChatTimeouts.of(self)

    @property
    def creates_instance(self) -> bool:
        """Whether the stack creates the Connect instance (no instanceArn given)."""
        return self.instance_arn is None

    @property
    def creates_storage(self) -> bool:
        """Storage configs: by default with a new instance only (an existing one usually has them)."""
        return self.creates_instance if self.create_storage_config is None else self.create_storage_config

    @property
    def creates_flows(self) -> bool:
        """The stack's inbound and disconnect flows: unless chats start in the user's own (contactFlowId)."""
        return self.contact_flow_id is None

    @property
    def bot_in_flows(self) -> bool:
        """Whether a Lex bot talks in the stack's flows (ours or the user's): interactive messages come."""
        return self.chat_bot or self.lex_bot_alias_arn is not None

    @property
    def creates_routing_profile(self) -> bool:
        """A routing profile for chat agents: by default whenever the stack's flows queue the chats."""
        if self.create_routing_profile is None:
            return self.creates_flows and self.queue_arn is None
        return self.create_routing_profile

    @property
    def creates_routing(self) -> bool:
        """Hours, queue or routing profile: needed by the stack's flows, or asked for explicitly."""
        return self.creates_flows or self.creates_routing_profile

    @property
    def creates_approved_origins(self) -> bool:
        """Approved origins: by default with a new instance only (an existing one may already list them,
        and CloudFormation cannot create an origin that is already there)."""
        if self.create_approved_origins is None:
            return self.creates_instance
        return self.create_approved_origins


CONFIG_KEYS: tuple[str, ...] = tuple(
    field.alias or name for name, field in DeploymentConfig.model_fields.items()
)


def is_config_key_candidate(key: str) -> bool:
    """Context keys that look like ours (CDK's own flags start with '@', 'aws:' or 'cdk')."""
    return not (
        key.startswith("@") or key.startswith("aws:") or key.startswith("aws-cdk") or key.startswith("cdk")
    )


def load_config(context: Mapping[str, Any]) -> DeploymentConfig:
    """Build the config from CDK context values; raise ConfigError naming every bad key."""
    # Keys the CDK CLI writes itself (acknowledged-issue-numbers, ...) pass; a near miss of ours is a typo.
    typos = {
        key: close[0]
        for key in context
        if is_config_key_candidate(key) and key not in CONFIG_KEYS
        for close in [difflib.get_close_matches(key, CONFIG_KEYS, n=1, cutoff=0.8)]
        if close
    }
    if typos:
        hints = ", ".join(f"{key!r} (did you mean {known!r}?)" for key, known in typos.items())
        raise ConfigError(f"Unknown config key(s): {hints}. See README.md, Configuration.")
    values = {k: v for k, v in context.items() if k in CONFIG_KEYS and v is not None}
    try:
        return DeploymentConfig.model_validate(values)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"]) or "config"
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"  {key}: {message}")
        raise ConfigError("Invalid deployment config:\n" + "\n".join(lines)) from None
