"""Deterministic intent and slot recognition over a bot definition (a stand-in for Lex's NLU).

Text matches an utterance when both read the same after normalising (case, punctuation, spaces), a
``{Slot}`` in the utterance standing for any value or synonym of that slot's type. Intents are tried in
definition order; nothing matching is the fallback intent. Predictable on purpose: tests and demos
must get the same answer every time, which a model cannot promise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bots.model import FALLBACK_INTENT, SLOT_REFERENCE, BotDefinition, Intent, Slot

_NOT_WORD: Final = re.compile(r"[^\w\s]+")
_SPACES: Final = re.compile(r"\s+")
# What Lex accepts as an answer to a confirmation prompt (its built-in yes/no handling, in English).
YES_WORDS: Final = frozenset({"yes", "yeah", "yep", "sure", "correct", "right", "ok", "okay", "y"})
NO_WORDS: Final = frozenset({"no", "nope", "nah", "wrong", "not really", "n"})


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces."""
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text.casefold())).strip()


@dataclass(frozen=True)
class Match:
    """The recognised intent and the slot values found in the text (slot name -> resolved value)."""

    intent: str
    slots: dict[str, str]


@dataclass(frozen=True)
class _Utterance:
    """One sample utterance, prepared once: its normalised text, or the pattern of one with slots."""

    intent: Intent
    text: str  # normalised; "" when the utterance has slots
    pattern: re.Pattern[str] | None
    slots: tuple[Slot, ...]  # the intent's slots the utterance names


def _prepare(intent: Intent, utterance: str) -> _Utterance:
    names = SLOT_REFERENCE.findall(utterance)
    if not names:
        return _Utterance(intent, normalise(utterance), None, ())
    # split() alternates text and slot names: "about {Topic}" -> ["about ", "Topic", ""].
    pattern = r"\s*".join(
        f"(?P<{part}>.+?)" if index % 2 else r"\s+".join(map(re.escape, normalise(part).split()))
        for index, part in enumerate(SLOT_REFERENCE.split(utterance))
    )
    slots = tuple(slot for slot in intent.slots if slot.name in names)
    return _Utterance(intent, "", re.compile(pattern), slots)


class Recognizer:
    """Matches customer text against one bot definition.

    Every utterance is normalised (and its slot pattern compiled) once, here: a turn only compares.
    """

    def __init__(self, bot: BotDefinition) -> None:
        self.bot = bot
        self._values: dict[str, dict[str, str]] = {
            slot_type.name: {
                normalise(word): value.value
                for value in slot_type.values
                for word in (value.value, *value.synonyms)
            }
            for slot_type in bot.slot_types
        }
        self._utterances = tuple(
            _prepare(intent, utterance) for intent in bot.intents for utterance in intent.sample_utterances
        )

    def intent(self, text: str) -> Match:
        """The first intent one of whose utterances reads as ``text``; else the fallback intent."""
        said = normalise(text)
        for utterance in self._utterances:
            slots = self._match_utterance(utterance, said)
            if slots is not None:
                return Match(utterance.intent.name, slots)
        return Match(FALLBACK_INTENT, {})

    def slot_value(self, slot: Slot, text: str) -> str | None:
        """The value of ``slot``'s type that ``text`` is (or a synonym of), or None."""
        return self._values.get(slot.slot_type, {}).get(normalise(text))

    def _match_utterance(self, utterance: _Utterance, said: str) -> dict[str, str] | None:
        if utterance.pattern is None:
            return {} if utterance.text == said else None
        found = utterance.pattern.fullmatch(said)
        if found is None:
            return None
        slots: dict[str, str] = {}
        for slot in utterance.slots:
            value = self.slot_value(slot, found.group(slot.name))
            if value is None:
                return None
            slots[slot.name] = value
        return slots


def confirmation(text: str) -> str:
    """How a confirmation answer reads to Lex: ``Confirmed``, ``Denied`` or ``None`` (neither)."""
    said = normalise(text)
    if said in YES_WORDS:
        return "Confirmed"
    if said in NO_WORDS:
        return "Denied"
    return "None"
