"""Typed environment of the start-chat Lambda: the variables of ``environment.py``, parsed and checked.

By default the container parses ``os.environ`` once (:func:`get_settings`); a host running the handler
in-process (the sandbox, tests) parses its own mapping with :func:`load_settings` and passes the result.
Each field below says what its variable means; a field's default applies when the variable is unset.
"""

import functools
import json
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .chat_timeouts import MAX_TIMER_MINUTES, MIN_TIMER_MINUTES, ChatTimeouts
from .continuation import DEFAULT_CONTINUATION_WINDOW_HOURS, MAX_CONTINUATION_WINDOW_HOURS
from .environment import (
    ENV_AGENT_AUTO_DISCONNECT_MINUTES,
    ENV_AGENT_IDLE_MINUTES,
    ENV_ALLOWED_ATTRIBUTES,
    ENV_ALLOWED_ORIGINS,
    ENV_CHAT_DURATION_MINUTES,
    ENV_CONTACT_FLOW_ID,
    ENV_CONTINUATION_SECRET_ID,
    ENV_CONTINUATION_WINDOW_HOURS,
    ENV_CUSTOMER_AUTO_DISCONNECT_MINUTES,
    ENV_CUSTOMER_IDLE_MINUTES,
    ENV_ENABLE_ATTACHMENTS,
    ENV_ENABLE_INTERACTIVE_MESSAGES,
    ENV_ENABLE_MARKDOWN,
    ENV_INSTANCE_ID,
    ENV_START_CHAT_AUTH,
    ENV_START_TOKEN_SECRET_ID,
    StartChatAuth,
)
from .models import (
    ATTRIBUTE_NAME_PATTERN,
    DEFAULT_CHAT_DURATION_MINUTES,
    MAX_CHAT_DURATION_MINUTES,
    MIN_CHAT_DURATION_MINUTES,
    RequestPolicy,
)

# scheme://host[:port], the form browsers send in the Origin header (no path, no trailing slash).
_ORIGIN_PATTERN = re.compile(r"^https?://[^/?#\s:]+(:[0-9]{1,5})?$", re.IGNORECASE)


# A chat timer: minutes within the service's bounds, or None (off).
TimerMinutes = Annotated[int | None, Field(ge=MIN_TIMER_MINUTES, le=MAX_TIMER_MINUTES)]


class SettingsError(RuntimeError):
    """The Lambda's environment is missing a variable or holds an invalid value."""


def _json_array(value: Any, example: str) -> Any:
    """Decode an env var that holds a JSON array."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise PydanticCustomError(
            "json_array", "must be a JSON array of strings, e.g. {example}", {"example": example}
        ) from None


class Settings(BaseModel):
    """Deployment configuration read from the Lambda environment."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # The Amazon Connect instance id (or ARN) and its inbound contact flow: never taken from the caller.
    connect_instance_id: Annotated[str, Field(validation_alias=ENV_INSTANCE_ID, min_length=1, max_length=100)]
    connect_contact_flow_id: Annotated[
        str, Field(validation_alias=ENV_CONTACT_FLOW_ID, min_length=1, max_length=500)
    ]
    # Browser origins allowed to start chats, e.g. ["https://a.example"].
    allowed_origins: Annotated[tuple[str, ...], Field(validation_alias=ENV_ALLOWED_ORIGINS)] = ()
    # Contact attribute names the API forwards from the request; the others are dropped.
    allowed_attributes: Annotated[tuple[str, ...], Field(validation_alias=ENV_ALLOWED_ATTRIBUTES)] = (
        "customerName",
    )
    # The default and the maximum ChatDurationInMinutes of a chat.
    chat_duration_minutes: Annotated[
        int,
        Field(
            validation_alias=ENV_CHAT_DURATION_MINUTES,
            ge=MIN_CHAT_DURATION_MINUTES,
            le=MAX_CHAT_DURATION_MINUTES,
        ),
    ] = DEFAULT_CHAT_DURATION_MINUTES
    # featurePermissions.ATTACHMENTS in the answer.
    enable_attachments: Annotated[bool, Field(validation_alias=ENV_ENABLE_ATTACHMENTS)] = True
    # Whether text/markdown messages are allowed (featurePermissions.MESSAGING_MARKDOWN).
    enable_markdown: Annotated[bool, Field(validation_alias=ENV_ENABLE_MARKDOWN)] = True
    # A bot in the flow sends interactive messages: a chat's default content types then include
    # their response type, which Connect requires for the customer's answers to them.
    enable_interactive_messages: Annotated[bool, Field(validation_alias=ENV_ENABLE_INTERACTIVE_MESSAGES)] = (
        False
    )
    # Secrets Manager ARN (or name) of the continuation key; unset only where keys are injected.
    continuation_secret_id: Annotated[str | None, Field(validation_alias=ENV_CONTINUATION_SECRET_ID)] = None
    # How long after its start a chat can be continued (its continuation token's lifetime).
    continuation_window_hours: Annotated[
        int, Field(validation_alias=ENV_CONTINUATION_WINDOW_HOURS, ge=1, le=MAX_CONTINUATION_WINDOW_HOURS)
    ] = DEFAULT_CONTINUATION_WINDOW_HOURS
    # "jwt": a start needs the site backend's JWT (auth.py); "none": anyone on an allowed origin.
    start_chat_auth: Annotated[StartChatAuth, Field(validation_alias=ENV_START_CHAT_AUTH)] = "none"
    # Secrets Manager ARN (or name) of the start-token secret (startChatAuth=jwt).
    start_token_secret_id: Annotated[str | None, Field(validation_alias=ENV_START_TOKEN_SECRET_ID)] = None
    # Chat timeouts set on every new chat (chat_timeouts.py); unset: that timer is off.
    customer_idle_minutes: Annotated[TimerMinutes, Field(validation_alias=ENV_CUSTOMER_IDLE_MINUTES)] = None
    customer_auto_disconnect_minutes: Annotated[
        TimerMinutes, Field(validation_alias=ENV_CUSTOMER_AUTO_DISCONNECT_MINUTES)
    ] = None
    agent_idle_minutes: Annotated[TimerMinutes, Field(validation_alias=ENV_AGENT_IDLE_MINUTES)] = None
    agent_auto_disconnect_minutes: Annotated[
        TimerMinutes, Field(validation_alias=ENV_AGENT_AUTO_DISCONNECT_MINUTES)
    ] = None

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _decode_origins(cls, value: Any) -> Any:
        return _json_array(value, '["https://www.example.com"]')

    @field_validator("allowed_attributes", mode="before")
    @classmethod
    def _decode_attributes(cls, value: Any) -> Any:
        return _json_array(value, '["customerName"]')

    @field_validator("allowed_origins")
    @classmethod
    def _check_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            if not _ORIGIN_PATTERN.match(origin):
                raise PydanticCustomError(
                    "origin",
                    "'{origin}' is not an origin: use scheme://host[:port], no path or trailing slash",
                    {"origin": origin},
                )
        # Browsers send scheme and host in lower case.
        return tuple(origin.lower() for origin in origins)

    @field_validator("allowed_attributes")
    @classmethod
    def _check_attribute_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            if not re.fullmatch(ATTRIBUTE_NAME_PATTERN, name):
                raise PydanticCustomError(
                    "attribute_name",
                    "'{name}' is not a valid attribute name (letters, digits, '-' and '_' only)",
                    {"name": name},
                )
        return names

    @property
    def chat_timeouts(self) -> ChatTimeouts:
        """The timers the function sets on each new chat."""
        return ChatTimeouts.of(self)

    @property
    def request_policy(self) -> RequestPolicy:
        """The deployment-dependent rules a start-chat request is validated against."""
        return RequestPolicy(
            allowed_attributes=frozenset(self.allowed_attributes),
            markdown_enabled=self.enable_markdown,
            max_chat_duration_minutes=self.chat_duration_minutes,
        )


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Parse ``environ`` into :class:`Settings`, raising :class:`SettingsError` with every problem named."""
    # An empty variable counts as unset, so a stack can always set every name.
    present = {name: value for name, value in environ.items() if value != ""}
    try:
        return Settings.model_validate(present)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise SettingsError(f"Invalid start-chat environment: {problems}") from None


@functools.cache
def get_settings() -> Settings:
    """The container's settings, parsed from ``os.environ`` on first use (the handler's default).

    A failed parse is not cached: the next call reports the problem again.
    """
    return load_settings(os.environ)
