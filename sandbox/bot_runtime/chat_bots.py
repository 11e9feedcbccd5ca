"""The flow's Lex block in a chat: the bot's turns as chat messages, its ending back to the flow.

Amazon Connect posts a Lex bot's messages with the participant role ``SYSTEM`` and the display name
``BOT`` (README, Triage bot); a ``CustomPayload`` reaches the chat as an interactive message. The block
ends when the bot closes the intent (the flow branches on the intent's name), when the customer stays
silent for ``LexTimeoutSeconds`` (InputTimeLimitExceeded), or on an error (NoMatchingError).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from flows.document import (
    ALIAS_ARN,
    INITIAL_MESSAGE,
    INPUT_TIME_LIMIT_EXCEEDED,
    LEX_INITIALIZATION_DATA,
    LEX_SESSION_ATTRIBUTES,
    LEX_TIMEOUT_SECONDS,
    LEX_V2_BOT,
    NO_MATCHING_ERROR,
    TEXT,
)
from sandbox.bot_runtime.lex_runtime import LexRuntime, is_closed
from sandbox.clock import Clock
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import BOT_DISPLAY_NAME, Contact, Role

log = logging.getLogger(__name__)

INTERACTIVE: Final = "application/vnd.amazonaws.connect.message.interactive"
_CONTENT_TYPES: Final = {"PlainText": "text/plain", "CustomPayload": INTERACTIVE}
# Without LexTimeoutSeconds the block waits as long as a Lex session lives by default (5 minutes).
DEFAULT_TIMEOUT_SECONDS: Final = 300
_TIMER: Final = "lex"


@dataclass(frozen=True)
class BotResult:
    """How a Lex block ended: the bot's intent (and its session attributes), or an error type."""

    intent: str | None
    error: str | None
    session_attributes: Mapping[str, str]


OnEnd = Callable[[BotResult], None]


@dataclass
class _Conversation:
    runtime: LexRuntime
    on_end: OnEnd
    first_index: int  # the customer's messages from this transcript index on are for the bot
    timeout: float


class ChatBots:
    """Runs Lex blocks for contacts, one at a time per contact, with the bot aliases it knows."""

    def __init__(self, chats: Chats, clock: Clock, runtimes: Mapping[str, LexRuntime]) -> None:
        """``runtimes``: bot alias ARN -> its runtime."""
        self.chats = chats
        self.clock = clock
        self.runtimes = runtimes
        self._talking: dict[str, _Conversation] = {}
        chats.item_posted.connect(self._on_item)
        chats.contact_ended.connect(self._on_ended)

    def start(self, contact: Contact, params: Mapping[str, Any], on_end: OnEnd) -> bool:
        """Connect the customer with the bot the block names; False when the sandbox has no such bot."""
        bot = params.get(LEX_V2_BOT)
        runtime = self.runtimes.get(bot.get(ALIAS_ARN, "")) if isinstance(bot, dict) else None
        if runtime is None:
            return False
        timeout = params.get(LEX_TIMEOUT_SECONDS, {}).get(TEXT, DEFAULT_TIMEOUT_SECONDS)
        conversation = _Conversation(runtime, on_end, len(contact.items), float(timeout))
        self._talking[contact.id] = conversation
        runtime.end_session(contact.id)
        if isinstance(params.get(TEXT), str):
            self.chats.post_system_message(contact, params[TEXT])
        initial = params.get(LEX_INITIALIZATION_DATA, {}).get(INITIAL_MESSAGE)
        attributes = params.get(LEX_SESSION_ATTRIBUTES) or {}
        if isinstance(initial, str):
            self._turn(contact, conversation, initial, attributes)
        else:
            self._restart_timer(contact, conversation)
        return True

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        conversation = self._talking.get(contact.id)
        if conversation is None or item["Type"] != "MESSAGE":
            return
        if item.get("ParticipantRole") != Role.CUSTOMER.value:
            return
        if contact.item_index.get(item["Id"], -1) < conversation.first_index:
            return  # the message that started this flow step (a returning customer's "I'm back")
        self._turn(contact, conversation, str(item.get("Content", "")), {})

    def _turn(
        self, contact: Contact, conversation: _Conversation, text: str, attributes: Mapping[str, str]
    ) -> None:
        try:
            answer = conversation.runtime.recognize_text(contact.id, text, attributes)
        except Exception:  # the code hook failed: Lex answers the flow with an error
            log.exception("contact %s: the bot's code hook failed", contact.id)
            self._end(contact, BotResult(None, NO_MATCHING_ERROR, {}))
            return
        for message in answer["messages"]:
            content_type = _CONTENT_TYPES.get(message.get("contentType"), "text/plain")
            self.chats.post_system_message(
                contact,
                str(message.get("content", "")),
                content_type=content_type,
                display_name=BOT_DISPLAY_NAME,
            )
        state = answer["sessionState"]
        if is_closed(answer):
            intent = (state.get("intent") or {}).get("name")
            self._end(contact, BotResult(intent, None, dict(state.get("sessionAttributes", {}))))
        else:
            self._restart_timer(contact, conversation)

    def _restart_timer(self, contact: Contact, conversation: _Conversation) -> None:
        def silent() -> None:
            if self._talking.get(contact.id) is conversation and not contact.ended:
                self._end(contact, BotResult(None, INPUT_TIME_LIMIT_EXCEEDED, {}))

        contact.set_timer(_TIMER, self.clock.call_later(conversation.timeout, silent))

    def _end(self, contact: Contact, result: BotResult) -> None:
        conversation = self._talking.pop(contact.id, None)
        contact.cancel_timer(_TIMER)
        if conversation is not None:
            conversation.runtime.end_session(contact.id)
            conversation.on_end(result)

    def _on_ended(self, contact: Contact) -> None:
        conversation = self._talking.pop(contact.id, None)
        if conversation is not None:
            conversation.runtime.end_session(contact.id)
