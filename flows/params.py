"""Typed, validated parameters of the two chat flows.

ARN fields are plain non-empty strings on purpose: the CDK stack passes CloudFormation
tokens (``"${Token[TOKEN.123]}"``) that only resolve at deploy time, and the sandbox
passes its own local ARNs, so their syntax is not checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from flows.document import MAX_MESSAGE_LENGTH, MAX_WAIT_SECONDS, MIN_WAIT_SECONDS

DEFAULT_GREETING: Final = "Hello, and thanks for getting in touch. Let's find someone to help you."
DEFAULT_CLOSED_MESSAGE: Final = (
    "We're closed at the moment, so no one can join this chat right now. "
    "Please come back during our opening hours."
)
DEFAULT_ERROR_MESSAGE: Final = (
    "Sorry, something went wrong on our side and we couldn't connect you. Please try again in a few minutes."
)
DEFAULT_BOT_PROMPT: Final = "How can we help you today?"
DEFAULT_TIMEOUT_MESSAGE: Final = (
    "We haven't heard from you, so this chat is now closed. Start a new chat any time you need us."
)
DEFAULT_WAIT_SECONDS: Final = 43_200  # 12 hours, as the product docs suggest


def describe_duration(seconds: int) -> str:
    """Say a number of seconds the way a person would: ``43200`` -> ``"12 hours"``."""
    parts: list[str] = []
    remaining = seconds
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)):
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    if not parts:
        return "0 seconds"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def default_continue_message(wait_seconds: int) -> str:
    """The message that tells a customer how long they have to pick the chat up again."""
    return (
        "The agent has left the chat. If you still need help, send a message within "
        f"{describe_duration(wait_seconds)} to continue this conversation."
    )


def _require_text(field: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field} must be a non-empty string, got {value!r}")
    if len(value) > MAX_MESSAGE_LENGTH:
        raise ValueError(
            f"{field} is {len(value)} characters long; shorten it to at most {MAX_MESSAGE_LENGTH} "
            "(the longest text a chat message can carry)"
        )


def _require_reference(field: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"{field} must be a non-empty string (an ARN or a CloudFormation token), got {value!r}"
        )


@dataclass(frozen=True, kw_only=True)
class BotStep:
    """A Lex V2 bot that speaks first: the flow hands it ``initial_message`` and branches on its intent.

    When the bot ends with one of ``handoff_intents``, its session attribute ``topic_attribute`` is copied
    to the contact attribute of the same name (the agent sees it); any other ending, an error or a
    timeout goes straight to the queue.
    """

    alias_arn: str
    initial_message: str
    handoff_intents: tuple[str, ...]
    topic_attribute: str
    back_to_agent_intent: str | None = None
    """Disconnect flow only: the intent after which a returning customer goes back to the previous agent."""

    def __post_init__(self) -> None:
        _require_reference("alias_arn", self.alias_arn)
        _require_text("initial_message", self.initial_message)
        if not self.handoff_intents or not all(
            isinstance(name, str) and name for name in self.handoff_intents
        ):
            raise ValueError(f"handoff_intents must name at least one intent, got {self.handoff_intents!r}")
        _require_text("topic_attribute", self.topic_attribute)
        if self.back_to_agent_intent is not None:
            _require_text("back_to_agent_intent", self.back_to_agent_intent)


@dataclass(frozen=True, kw_only=True)
class InboundFlowParams:
    """What the inbound chat flow needs: where to route, when, and what to say."""

    queue_arn: str
    """The queue chats are transferred to."""
    hours_of_operation_arn: str
    """Checked before queueing; outside these hours the customer is told so and the chat ends."""
    disconnect_flow_arn: str
    """The flow that runs when the agent (or bot) has left and only the customer remains."""
    lex_bot_alias_arn: str | None = None
    """When set, a Lex V2 bot talks to the customer before the chat is queued."""
    greeting: str = DEFAULT_GREETING
    closed_message: str = DEFAULT_CLOSED_MESSAGE
    error_message: str = DEFAULT_ERROR_MESSAGE
    bot_prompt: str = DEFAULT_BOT_PROMPT
    """The first line the Lex bot step sends (used only with ``lex_bot_alias_arn``)."""
    triage_bot: BotStep | None = None
    """The project's triage bot (excludes ``lex_bot_alias_arn``): it asks the topic before queueing."""

    def __post_init__(self) -> None:
        if self.triage_bot is not None and self.lex_bot_alias_arn is not None:
            raise ValueError("set either lex_bot_alias_arn (a bot of your own) or triage_bot, not both")
        _require_reference("queue_arn", self.queue_arn)
        _require_reference("hours_of_operation_arn", self.hours_of_operation_arn)
        _require_reference("disconnect_flow_arn", self.disconnect_flow_arn)
        if self.lex_bot_alias_arn is not None:
            _require_reference("lex_bot_alias_arn", self.lex_bot_alias_arn)
        _require_text("greeting", self.greeting)
        _require_text("closed_message", self.closed_message)
        _require_text("error_message", self.error_message)
        _require_text("bot_prompt", self.bot_prompt)


@dataclass(frozen=True, kw_only=True)
class DisconnectFlowParams:
    """What the disconnect flow needs: how long to wait for the customer, and what to say."""

    queue_arn: str
    """The queue a returning customer is transferred back to."""
    wait_seconds: int = DEFAULT_WAIT_SECONDS
    """How long to wait for the customer to come back, 1..604800 seconds (7 days)."""
    continue_message: str | None = None
    """Sent before waiting; ``None`` derives it from ``wait_seconds`` ("... within 12 hours ...")."""
    timeout_message: str = DEFAULT_TIMEOUT_MESSAGE
    error_message: str = DEFAULT_ERROR_MESSAGE
    return_bot: BotStep | None = None
    """When set, a returning customer talks to this bot first (same issue: back to the previous agent)."""

    def __post_init__(self) -> None:
        _require_reference("queue_arn", self.queue_arn)
        # bool is an int subclass; True seconds is a config mistake, not 1 second.
        if isinstance(self.wait_seconds, bool) or not isinstance(self.wait_seconds, int):
            raise ValueError(f"wait_seconds must be a whole number of seconds, got {self.wait_seconds!r}")
        if not MIN_WAIT_SECONDS <= self.wait_seconds <= MAX_WAIT_SECONDS:
            raise ValueError(
                f"wait_seconds must be between {MIN_WAIT_SECONDS} and {MAX_WAIT_SECONDS} (7 days), "
                f"got {self.wait_seconds}"
            )
        if self.continue_message is not None:
            _require_text("continue_message", self.continue_message)
        _require_text("timeout_message", self.timeout_message)
        _require_text("error_message", self.error_message)

    @property
    def effective_continue_message(self) -> str:
        """The continue message as sent: the configured text, or one derived from the wait."""
        if self.continue_message is not None:
            return self.continue_message
        return default_continue_message(self.wait_seconds)
