"""One bot alias at run time: sessions, turns, and the code hook called with the real Lex V2 event.

A turn: the text fills the slot being asked for, answers the confirmation, or picks an intent
(:mod:`sandbox.bot_runtime.recognizer`); the code hook (the very Lambda handler the stack deploys,
called in-process) decides what happens next; its session state is kept for the following turn.
Answers have the shape of ``RecognizeText``'s response.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final

from bots.model import BotDefinition, Intent
from sandbox.bot_runtime.recognizer import Recognizer, confirmation

CodeHook = Callable[[dict[str, Any]], dict[str, Any]]
"""The code hook: a Lex V2 event in, the hook's response out."""

ALIAS_NAME: Final = "live"
BOT_VERSION: Final = "1"
CLOSE: Final = "Close"


def _slot(text: str, value: str) -> dict[str, Any]:
    return {
        "shape": "Scalar",
        "value": {"originalValue": text, "interpretedValue": value, "resolvedValues": [value]},
    }


class LexRuntime:
    """The sandbox's Lex V2 runtime for one bot alias."""

    def __init__(self, bot: BotDefinition, code_hook: CodeHook, *, bot_id: str, alias_id: str) -> None:
        self.bot = bot
        self.bot_id = bot_id
        self.alias_id = alias_id
        self.recognizer = Recognizer(bot)
        self.code_hook = code_hook
        self.sessions: dict[str, dict[str, Any]] = {}

    def recognize_text(
        self, session_id: str, text: str, session_attributes: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """One turn of the conversation ``session_id``, answered as RecognizeText answers."""
        state = self.sessions.get(session_id, {})
        attributes = {**state.get("sessionAttributes", {}), **(session_attributes or {})}
        intent = self._interpret(state, text)
        event = self._event(session_id, text, intent, attributes)
        definition = self._definition(intent["name"])
        if definition is not None and definition.dialog_code_hook:
            response = self.code_hook(event)
        else:
            response = self._close_without_hook(intent, attributes, definition)
        next_state: dict[str, Any] = response.get("sessionState", {})
        next_state.setdefault("sessionAttributes", attributes)
        self.sessions[session_id] = next_state
        return {
            "messages": response.get("messages", []),
            "sessionState": next_state,
            "interpretations": [{"intent": intent, "nluConfidence": {"score": 1.0}}],
            "sessionId": session_id,
        }

    def end_session(self, session_id: str) -> None:
        """Forget a session (its contact ended)."""
        self.sessions.pop(session_id, None)

    def _interpret(self, state: Mapping[str, Any], text: str) -> dict[str, Any]:
        """The session's intent after ``text``: a slot filled, a confirmation answered, or a new intent."""
        action = state.get("dialogAction") or {}
        current = state.get("intent")
        if current is not None and action.get("type") == "ElicitSlot":
            definition = self._definition(current["name"])
            slot = (
                next((s for s in definition.slots if s.name == action.get("slotToElicit")), None)
                if definition
                else None
            )
            value = self.recognizer.slot_value(slot, text) if slot is not None else None
            if value is None and slot is not None:
                # "It is about billing" while the list is shown: the utterance carries the value.
                found = self.recognizer.intent(text)
                value = found.slots.get(slot.name) if found.intent == current["name"] else None
            if slot is not None:
                slots = {**current.get("slots", {}), slot.name: _slot(text, value) if value else None}
                return {**current, "slots": slots, "state": "InProgress"}
        if current is not None and action.get("type") == "ConfirmIntent":
            return {**current, "confirmationState": confirmation(text), "state": "InProgress"}
        found = self.recognizer.intent(text)
        definition = self._definition(found.intent)
        names = [slot.name for slot in definition.slots] if definition else []
        slots = {name: _slot(text, found.slots[name]) if name in found.slots else None for name in names}
        return {"name": found.intent, "slots": slots, "state": "InProgress", "confirmationState": "None"}

    def _event(
        self, session_id: str, text: str, intent: dict[str, Any], attributes: dict[str, str]
    ) -> dict[str, Any]:
        """The DialogCodeHook event, in the shape Lex V2 sends a Lambda."""
        return {
            "messageVersion": "1.0",
            "invocationSource": "DialogCodeHook",
            "inputMode": "Text",
            "responseContentType": "text/plain; charset=utf-8",
            "sessionId": session_id,
            "inputTranscript": text,
            "bot": {
                "id": self.bot_id,
                "name": self.bot.name,
                "aliasId": self.alias_id,
                "aliasName": ALIAS_NAME,
                "localeId": self.bot.locale_id,
                "version": BOT_VERSION,
            },
            "interpretations": [
                {"intent": intent, "nluConfidence": {"score": 1.0}, "interpretationSource": "Lex"}
            ],
            "proposedNextState": None,
            "requestAttributes": {},
            "sessionState": {
                "activeContexts": [],
                "sessionAttributes": dict(attributes),
                "intent": intent,
                "originatingRequestId": str(uuid.uuid4()),
            },
            "transcriptions": [{"transcription": text, "transcriptionConfidence": 1.0}],
        }

    def _definition(self, name: str) -> Intent | None:
        try:
            return self.bot.intent(name)
        except KeyError:
            return None

    @staticmethod
    def _close_without_hook(
        intent: dict[str, Any], attributes: dict[str, str], definition: Intent | None
    ) -> dict[str, Any]:
        """An intent without a code hook: fulfilled at once, with its closing response."""
        closing = definition.closing_response if definition is not None else None
        return {
            "sessionState": {
                "sessionAttributes": attributes,
                "intent": {**intent, "state": "Fulfilled"},
                "dialogAction": {"type": CLOSE},
            },
            "messages": [{"contentType": "PlainText", "content": closing}] if closing else [],
        }


def is_closed(answer: Mapping[str, Any]) -> bool:
    """Whether the bot ended the conversation in this answer (Lex hands the contact back to the flow)."""
    return bool((answer["sessionState"].get("dialogAction") or {}).get("type") == CLOSE)
