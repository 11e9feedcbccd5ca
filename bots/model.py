"""The bot definition model: a Lex V2 bot as plain, frozen Python data.

Only what the project's bots use is modelled: one locale, intents with sample utterances,
custom slot types whose values are the only ones accepted, slots with their prompt, a
confirmation prompt, and whether the code hook runs on each turn. The stack turns it into
``AWS::Lex::Bot`` properties, the sandbox's Lex runtime matches text against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

FALLBACK_INTENT: Final = "FallbackIntent"
"""Every Lex V2 locale has it: the intent Lex picks when no other one matches."""
FALLBACK_PARENT_SIGNATURE: Final = "AMAZON.FallbackIntent"

SLOT_REFERENCE: Final = re.compile(r"\{([A-Za-z0-9_]+)\}")
"""A slot inside a sample utterance or a prompt: ``"it's about {Topic}"``."""


@dataclass(frozen=True)
class SlotValue:
    """One accepted value of a slot type, and other words that mean the same (synonyms)."""

    value: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotType:
    """A custom slot type; its values are the only ones the slot accepts (TopResolution)."""

    name: str
    values: tuple[SlotValue, ...]
    description: str = ""


@dataclass(frozen=True)
class Slot:
    """A piece of information an intent gathers, asked for with ``prompt``."""

    name: str
    slot_type: str
    prompt: str
    required: bool = True


@dataclass(frozen=True)
class Intent:
    """What a customer may want: recognised from its sample utterances (and slot values in them)."""

    name: str
    description: str
    sample_utterances: tuple[str, ...]
    slots: tuple[Slot, ...] = ()
    confirmation_prompt: str | None = None
    """Asked once every slot is filled; a "no" declines the intent (the code hook decides what next)."""
    declination_response: str | None = None
    closing_response: str | None = None
    dialog_code_hook: bool = True
    """The code hook Lambda runs on every turn of this intent (it builds the interactive messages)."""
    fulfillment_code_hook: bool = False
    parent_signature: str | None = None
    """Built-in intents only (``AMAZON.FallbackIntent``): they take no sample utterances."""


@dataclass(frozen=True)
class BotDefinition:
    """A Lex V2 bot with one locale."""

    name: str
    description: str
    locale_id: str
    intents: tuple[Intent, ...]
    slot_types: tuple[SlotType, ...] = ()
    nlu_confidence_threshold: float = 0.4
    idle_session_ttl_seconds: int = 300
    child_directed: bool = False
    session_attribute_names: tuple[str, ...] = field(default=())
    """Session attributes the code hook sets and the flows read (``$.Lex.SessionAttributes.NAME``)."""

    def intent(self, name: str) -> Intent:
        """The intent called ``name`` (KeyError when there is none)."""
        for intent in self.intents:
            if intent.name == name:
                return intent
        raise KeyError(name)

    def slot_type(self, name: str) -> SlotType:
        """The slot type called ``name`` (KeyError when there is none)."""
        for slot_type in self.slot_types:
            if slot_type.name == name:
                return slot_type
        raise KeyError(name)
