"""The start-chat Lambda's environment: its variable names and the one function that builds the mapping.

The CDK stack (stacks/) and the sandbox both call :func:`lambda_environment`, and the Lambda parses the
result with ``start_chat.settings.load_settings``: one contract, written once.
"""

import json
from collections.abc import Iterable
from typing import Final, Literal, get_args

from .chat_timeouts import ChatTimeouts

# The config key startChatAuth: "none" (anyone on an allowed origin) or "jwt" (a start token, auth.py).
StartChatAuth = Literal["none", "jwt"]
START_CHAT_AUTH_MODES: tuple[str, ...] = get_args(StartChatAuth)

# Meaning and default of each: the matching field of start_chat.settings.Settings.
ENV_INSTANCE_ID: Final = "CONNECT_INSTANCE_ID"
ENV_CONTACT_FLOW_ID: Final = "CONNECT_CONTACT_FLOW_ID"
ENV_ALLOWED_ORIGINS: Final = "ALLOWED_ORIGINS"  # a JSON array
ENV_ALLOWED_ATTRIBUTES: Final = "ALLOWED_ATTRIBUTES"  # a JSON array
ENV_CHAT_DURATION_MINUTES: Final = "CHAT_DURATION_MINUTES"
ENV_ENABLE_ATTACHMENTS: Final = "ENABLE_ATTACHMENTS"  # "true" / "false"
ENV_ENABLE_MARKDOWN: Final = "ENABLE_MARKDOWN"  # "true" / "false"
ENV_ENABLE_INTERACTIVE_MESSAGES: Final = "ENABLE_INTERACTIVE_MESSAGES"  # "true" / "false"
# Signed continuation and authenticated start (issue 11): secrets by ARN, never by value.
ENV_CONTINUATION_SECRET_ID: Final = "CONTINUATION_SECRET_ID"  # noqa: S105 (a variable name)
ENV_CONTINUATION_WINDOW_HOURS: Final = "CONTINUATION_WINDOW_HOURS"
ENV_START_CHAT_AUTH: Final = "START_CHAT_AUTH"  # "none" / "jwt"
ENV_START_TOKEN_SECRET_ID: Final = "START_TOKEN_SECRET_ID"  # noqa: S105 (a variable name)
# Chat timeouts (UpdateParticipantRoleConfig), minutes; empty: that timer is off.
ENV_CUSTOMER_IDLE_MINUTES: Final = "CUSTOMER_IDLE_MINUTES"
ENV_CUSTOMER_AUTO_DISCONNECT_MINUTES: Final = "CUSTOMER_AUTO_DISCONNECT_MINUTES"
ENV_AGENT_IDLE_MINUTES: Final = "AGENT_IDLE_MINUTES"
ENV_AGENT_AUTO_DISCONNECT_MINUTES: Final = "AGENT_AUTO_DISCONNECT_MINUTES"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _minutes(value: int | None) -> str:
    return "" if value is None else str(value)


def lambda_environment(
    *,
    instance_id: str,
    contact_flow_id: str,
    allowed_origins: Iterable[str],
    allowed_attributes: Iterable[str],
    chat_duration_minutes: int,
    enable_attachments: bool,
    enable_markdown: bool,
    enable_interactive_messages: bool,
    continuation_secret_id: str | None,
    continuation_window_hours: int,
    start_chat_auth: str,
    start_token_secret_id: str | None,
    chat_timeouts: ChatTimeouts,
) -> dict[str, str]:
    """The variables the start-chat function is deployed with (values may be CDK tokens).

    A secret id left out (None) is for hosts that inject the keys themselves (the sandbox).
    """
    return {
        ENV_INSTANCE_ID: instance_id,
        ENV_CONTACT_FLOW_ID: contact_flow_id,
        ENV_ALLOWED_ORIGINS: json.dumps(list(allowed_origins)),
        ENV_ALLOWED_ATTRIBUTES: json.dumps(list(allowed_attributes)),
        ENV_CHAT_DURATION_MINUTES: str(chat_duration_minutes),
        ENV_ENABLE_ATTACHMENTS: _flag(enable_attachments),
        ENV_ENABLE_MARKDOWN: _flag(enable_markdown),
        ENV_ENABLE_INTERACTIVE_MESSAGES: _flag(enable_interactive_messages),
        ENV_CONTINUATION_SECRET_ID: continuation_secret_id or "",
        ENV_CONTINUATION_WINDOW_HOURS: str(continuation_window_hours),
        ENV_START_CHAT_AUTH: start_chat_auth,
        ENV_START_TOKEN_SECRET_ID: start_token_secret_id or "",
        ENV_CUSTOMER_IDLE_MINUTES: _minutes(chat_timeouts.customer_idle_minutes),
        ENV_CUSTOMER_AUTO_DISCONNECT_MINUTES: _minutes(chat_timeouts.customer_auto_disconnect_minutes),
        ENV_AGENT_IDLE_MINUTES: _minutes(chat_timeouts.agent_idle_minutes),
        ENV_AGENT_AUTO_DISCONNECT_MINUTES: _minutes(chat_timeouts.agent_auto_disconnect_minutes),
    }
