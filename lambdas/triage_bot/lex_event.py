"""The Lex V2 code hook contract: the event Lex sends and the response it expects, as typed dicts.

TypedDicts, not pydantic models: they cost nothing to import, and a code hook's cold start is spent
before every first answer of a bot (``bench/code_hook_cold_start.py``). Field names are Lex's camelCase;
only the fields the hook reads or writes are typed, and :func:`parse_event` checks those.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict

IntentState = Literal[
    "Failed", "Fulfilled", "FulfillmentInProgress", "InProgress", "ReadyForFulfillment", "Waiting"
]
ConfirmationState = Literal["Confirmed", "Denied", "None"]
DialogActionType = Literal["Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"]
MessageContentType = Literal["CustomPayload", "ImageResponseCard", "PlainText", "SSML"]


class SlotValue(TypedDict, total=False):
    """What the customer said for a slot, and what Lex resolved it to."""

    originalValue: str
    interpretedValue: str
    resolvedValues: list[str]


class Slot(TypedDict, total=False):
    """One filled slot (an empty slot is ``None`` in ``Intent.slots``)."""

    shape: str
    value: SlotValue


class Intent(TypedDict):
    """The intent of the session, with its slots."""

    name: str
    slots: dict[str, Slot | None]
    state: IntentState
    confirmationState: ConfirmationState


class DialogAction(TypedDict):
    """What Lex does next."""

    type: DialogActionType
    slotToElicit: NotRequired[str]


class SessionState(TypedDict):
    """The conversation's state, kept by Lex between turns."""

    sessionAttributes: dict[str, str]
    intent: NotRequired[Intent]
    dialogAction: NotRequired[DialogAction]


class LexEvent(TypedDict):
    """The input event Lex V2 sends a code hook (the fields the hook reads)."""

    sessionId: str
    inputTranscript: str
    sessionState: SessionState


class Message(TypedDict):
    """One message to the customer; a CustomPayload carries Amazon Connect's interactive JSON."""

    contentType: MessageContentType
    content: str


class LexResponse(TypedDict):
    """The hook's answer: the next session state, and what to say."""

    sessionState: SessionState
    messages: list[Message]


class LexEventError(ValueError):
    """The event is not a Lex V2 code hook event."""


def parse_event(event: Mapping[str, Any]) -> LexEvent:
    """The event's fields the hook reads, checked; LexEventError says what is wrong."""
    state = event.get("sessionState")
    if not isinstance(event.get("sessionId"), str) or not isinstance(state, dict):
        raise LexEventError("a Lex V2 event has a sessionId and a sessionState")
    attributes = state.get("sessionAttributes") or {}
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        raise LexEventError("sessionState.sessionAttributes is an object of strings")
    session: SessionState = {"sessionAttributes": dict(attributes)}
    intent = state.get("intent")
    if intent is not None:
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            raise LexEventError("sessionState.intent has a name")
        session["intent"] = {
            "name": intent["name"],
            "slots": dict(intent.get("slots") or {}),
            "state": intent.get("state", "InProgress"),
            "confirmationState": intent.get("confirmationState", "None"),
        }
    return {
        "sessionId": event["sessionId"],
        "inputTranscript": str(event.get("inputTranscript", "")),
        "sessionState": session,
    }
