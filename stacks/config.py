"""The deployment's configuration: one typed object, read from CDK context, validated at synth.

Every key is documented in README.md ("Configuration"). Values given on the command line
(`cdk deploy -c chatConcurrency=5`) arrive as strings, so lists and numbers are also accepted
in their JSON spelling.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
from lambdas.start_chat.chat_timeouts import MAX_TIMER_MINUTES, MIN_TIMER_MINUTES, ChatTimeouts
from lambdas.start_chat.continuation import DEFAULT_CONTINUATION_WINDOW_HOURS, MAX_CONTINUATION_WINDOW_HOURS
from lambdas.start_chat.environment import StartChatAuth
from lambdas.start_chat.models import (
    DEFAULT_CHAT_DURATION_MINUTES,
    MAX_CHAT_DURATION_MINUTES,
    MIN_CHAT_DURATION_MINUTES,
)

from .opening_hours import Day, OpeningHours

# Retention values CloudWatch Logs accepts (RetentionInDays).
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip

INSTANCE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[0-9a-f-]{36}$")
CONNECT_RESOURCE_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/[0-9a-f-]{36}/[a-z-]+/[0-9a-f-]{36}$"
)
FLOW_ID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INSTANCE_ALIAS_PATTERN = re.compile(r"^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$")
ATTRIBUTE_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
LEX_ALIAS_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias/[A-Za-z0-9]+/[A-Za-z0-9]+$"
)
# A function in the instance's account and Region; Connect takes no alias or version for the scanner.
SCANNER_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

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
    instance_arn: str | None = None
    instance_alias: str | None = None
    contact_flow_id: str | None = None
    create_storage_config: bool | None = None
    queue_arn: str | None = None
    hours_of_operation_arn: str | None = None
    create_routing_profile: bool | None = None
    create_approved_origins: bool | None = None

    # Chat behaviour.
    allowed_origins: tuple[str, ...] = ()
    allowed_attributes: tuple[str, ...] = ("customerName",)
    chat_duration_minutes: int = Field(
        default=DEFAULT_CHAT_DURATION_MINUTES, ge=MIN_CHAT_DURATION_MINUTES, le=MAX_CHAT_DURATION_MINUTES
    )
    disconnect_wait_seconds: int = Field(default=43200, gt=0, le=604800)
    chat_concurrency: int = Field(default=10, ge=1, le=10)
    enable_attachments: bool = True
    # The user's scanner Lambda: Connect passes it every attachment before sharing it (README: Security).
    attachment_scanner_lambda_arn: str | None = None
    enable_markdown: bool = True
    greeting: Text = DEFAULT_GREETING
    closed_message: Text = DEFAULT_CLOSED_MESSAGE
    continue_message: Text | None = None
    timeout_message: Text = DEFAULT_TIMEOUT_MESSAGE
    lex_bot_alias_arn: str | None = None
    # Chat timeouts (UpdateParticipantRoleConfig), in minutes; absent: that timer is off.
    customer_idle_minutes: int | None = None
    customer_auto_disconnect_minutes: int | None = None
    agent_idle_minutes: int | None = None
    agent_auto_disconnect_minutes: int | None = None

    # Opening hours: absent means 24/7.
    hours_time_zone: str = "UTC"
    hours: dict[Day, OpeningHours] | None = None

    # Storage.
    transcript_retention_days: int = Field(default=365, ge=1, le=3650)
    transcript_prefix: str = "connect/chat-transcripts"
    attachments_prefix: str = "connect/chat-attachments"

    # Protection and operations.
    api_rate_limit: float = Field(default=4, gt=0, le=10000)
    api_burst_limit: int = Field(default=6, ge=1, le=5000)
    # Under a tenth of the stage's 1,200 requests in 5 minutes at 4/s: starving it takes over 10 IPs.
    waf_rate_limit_per_ip: int = Field(default=100, ge=10, le=2_000_000_000)
    # AWS::ApiGateway::Account is one per account and Region: only for accounts without a logging role.
    create_api_gateway_account: bool = False
    log_retention_days: int = 90
    powertools_layer_arn: str | None = None
    enable_alarms: bool = True
    alarm_email: str | None = None

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

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        origin = re.compile(r"^(https://[a-z0-9.-]+(:\d{1,5})?|http://(localhost|127\.0\.0\.1)(:\d{1,5})?)$")
        for item in value:
            if not origin.match(item):
                raise ValueError(
                    f"{item!r} is not an origin: use scheme://host[:port] with no path or trailing slash, "
                    "https only (http is allowed for localhost and 127.0.0.1), lower-case host"
                )
        if len(set(value)) != len(value):
            raise ValueError("lists the same origin twice")
        return value

    @field_validator("allowed_attributes")
    @classmethod
    def _attribute_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for key in value:
            if not ATTRIBUTE_KEY_PATTERN.match(key) or len(key) > 128:
                raise ValueError(f"{key!r} is not a valid attribute key (letters, digits, '-' and '_')")
        return value

    @field_validator(
        "customer_idle_minutes",
        "customer_auto_disconnect_minutes",
        "agent_idle_minutes",
        "agent_auto_disconnect_minutes",
    )
    @classmethod
    def _timer_minutes(cls, value: int | None) -> int | None:
        if value is not None and not MIN_TIMER_MINUTES <= value <= MAX_TIMER_MINUTES:
            raise ValueError(
                f"must be {MIN_TIMER_MINUTES} to {MAX_TIMER_MINUTES} minutes (Amazon Connect's bounds), "
                "or left out to turn the timer off"
            )
        return value

    @field_validator("instance_arn")
    @classmethod
    def _instance_arn(cls, value: str | None) -> str | None:
        if value is not None and not INSTANCE_ARN_PATTERN.match(value):
            raise ValueError(
                "must look like arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID "
                "(Amazon Connect console → your instance → Instance ARN)"
            )
        return value

    @field_validator("queue_arn", "hours_of_operation_arn")
    @classmethod
    def _resource_arn(cls, value: str | None) -> str | None:
        if value is not None and not CONNECT_RESOURCE_ARN_PATTERN.match(value):
            raise ValueError("must be the full ARN of a resource in your Connect instance")
        return value

    @field_validator("contact_flow_id")
    @classmethod
    def _flow_id(cls, value: str | None) -> str | None:
        if value is not None and not FLOW_ID_PATTERN.match(value):
            raise ValueError("must be a flow id (a UUID, the last part of the flow's ARN)")
        return value

    @field_validator("instance_alias")
    @classmethod
    def _alias(cls, value: str | None) -> str | None:
        if value is not None and (not (1 <= len(value) <= 45) or not INSTANCE_ALIAS_PATTERN.match(value)):
            raise ValueError(
                "must be 1-45 letters, digits and inner hyphens, not starting with 'd-' "
                "(it becomes https://ALIAS.my.connect.aws, so it must be unique)"
            )
        return value

    @field_validator("lex_bot_alias_arn")
    @classmethod
    def _lex(cls, value: str | None) -> str | None:
        if value is not None and not LEX_ALIAS_ARN_PATTERN.match(value):
            raise ValueError("must be a Lex V2 bot alias ARN: arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT/ALIAS")
        return value

    @field_validator("attachment_scanner_lambda_arn")
    @classmethod
    def _scanner(cls, value: str | None) -> str | None:
        if value is not None and not SCANNER_ARN_PATTERN.match(value):
            raise ValueError(
                "must be a Lambda function ARN without alias or version: "
                "arn:aws:lambda:REGION:ACCOUNT:function:NAME (in the instance's account and Region)"
            )
        return value

    @field_validator("powertools_layer_arn")
    @classmethod
    def _layer(cls, value: str | None) -> str | None:
        if value is not None and not re.match(
            r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[\w-]+:\d+$", value
        ):
            raise ValueError(
                "must be a Lambda layer version ARN: arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION"
            )
        return value

    @field_validator("alarm_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_PATTERN.match(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @field_validator("hours_time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)"
            ) from None
        return value

    @field_validator("log_retention_days")
    @classmethod
    def _log_retention(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(f"must be one of the values CloudWatch Logs accepts: {list(LOG_RETENTION_DAYS)}")
        return value

    @field_validator("transcript_prefix", "attachments_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if (
            not re.match(r"^[A-Za-z0-9!_.*'()/-]{1,128}$", value)
            or value.startswith("/")
            or value.endswith("/")
        ):
            raise ValueError("must be an S3 key prefix without leading or trailing '/'")
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
