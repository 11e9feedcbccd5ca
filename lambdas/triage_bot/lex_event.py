"""The Lex V2 code hook contract: the event Lex sends and the response it expects, as typed models.

Field names are Lex's camelCase on the wire; only the fields the hook reads or writes are modelled,
and unknown ones are kept (``extra="allow"``) so an event round-trips (``sessionState`` echoes back).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

_WIRE = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

IntentState = Literal[
    "Failed", "Fulfilled", "FulfillmentInProgress", "InProgress", "ReadyForFulfillment", "Waiting"
]
ConfirmationState = Literal["Confirmed", "Denied", "None"]
DialogActionType = Literal["Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"]
MessageContentType = Literal["CustomPayload", "ImageResponseCard", "PlainText", "SSML"]


class SlotValue(BaseModel):
    """What the customer said for a slot, and what Lex resolved it to."""

    model_config = _WIRE

    original_value: str | None = None
    interpreted_value: str | None = None
    resolved_values: list[str] = []


class Slot(BaseModel):
    """One slot; ``value`` is absent until the slot is filled."""

    model_config = _WIRE

    shape: str = "Scalar"
    value: SlotValue | None = None


class Intent(BaseModel):
    """The intent of the session, with its slots (a slot not yet filled is ``None``)."""

    model_config = _WIRE

    name: str
    slots: dict[str, Slot | None] = {}
    state: IntentState = "InProgress"
    confirmation_state: ConfirmationState = "None"


class DialogAction(BaseModel):
    """What Lex does next."""

    model_config = _WIRE

    type: DialogActionType
    slot_to_elicit: str | None = None


class SessionState(BaseModel):
    """The conversation's state, kept by Lex between turns."""

    model_config = _WIRE

    session_attributes: dict[str, str] = {}
    intent: Intent | None = None
    dialog_action: DialogAction | None = None


class Bot(BaseModel):
    """Which bot, alias and locale the event is for."""

    model_config = _WIRE

    id: str
    name: str
    locale_id: str
    alias_id: str | None = None
    version: str | None = None


class LexEvent(BaseModel):
    """The input event Lex V2 sends a code hook."""

    model_config = _WIRE

    message_version: str = "1.0"
    invocation_source: Literal["DialogCodeHook", "FulfillmentCodeHook"]
    input_mode: str = "Text"
    session_id: str
    input_transcript: str = ""
    bot: Bot
    session_state: SessionState


class Message(BaseModel):
    """One message to the customer; a CustomPayload carries Amazon Connect's interactive JSON."""

    model_config = _WIRE

    content_type: MessageContentType
    content: str


class LexResponse(BaseModel):
    """The hook's answer: the next session state, and what to say."""

    model_config = _WIRE

    session_state: SessionState
    messages: list[Message] = []

    def to_wire(self) -> dict[str, object]:
        """The response as Lex reads it: camelCase, no nulls, except an empty slot (null clears it)."""
        wire = self.model_dump(by_alias=True, exclude_none=True)
        intent = self.session_state.intent
        if intent is not None:
            wire["sessionState"]["intent"]["slots"] = {
                name: None if slot is None else slot.model_dump(by_alias=True, exclude_none=True)
                for name, slot in intent.slots.items()
            }
        return wire
