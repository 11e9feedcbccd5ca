"""The bot definition validator: every problem at once, each with a path and what to do about it.

Checks what Lex V2 would refuse at deploy time (names, locale, ranges, the fallback intent,
slot types a slot names) and what would make the bot ambiguous (an utterance or a slot value
claimed twice), so ``check_bot`` fails at synth, and in the sandbox, with all of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from bots.model import (
    FALLBACK_INTENT,
    FALLBACK_PARENT_SIGNATURE,
    SLOT_REFERENCE,
    BotDefinition,
    Intent,
    SlotType,
)

# Lex V2 name rule for bots, intents, slots and slot types.
_NAME: Final = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")
# Locales Lex V2 supports for text (the ones a chat bot can be built in).
LOCALES: Final = frozenset(
    {
        "ar_AE", "ca_ES", "de_AT", "de_DE", "en_AU", "en_GB", "en_IE", "en_IN", "en_NZ", "en_US",
        "en_ZA", "es_419", "es_ES", "es_US", "fi_FI", "fr_CA", "fr_FR", "hi_IN", "it_IT", "ja_JP",
        "ko_KR", "nl_NL", "no_NO", "pl_PL", "pt_BR", "pt_PT", "sv_SE", "zh_CN", "zh_HK",
    }
)  # fmt: skip
BUILT_IN_SLOT_TYPE_PREFIX: Final = "AMAZON."
MAX_UTTERANCE_LENGTH: Final = 500
MAX_PROMPT_LENGTH: Final = 1000
MIN_IDLE_SESSION_TTL: Final = 60
MAX_IDLE_SESSION_TTL: Final = 86_400

ISSUE_CODES: Final[Mapping[str, str]] = {
    "name-invalid": "bot, intent, slot and slot type names follow Lex's rule: letters, digits, single _ or -",
    "locale-unknown": "the locale is one Lex V2 supports",
    "range": "the confidence threshold is 0..1 and the idle session TTL 60..86400 seconds",
    "duplicate": "names, utterances and slot values are unique (compared without case)",
    "fallback-missing": "the bot has FallbackIntent (AMAZON.FallbackIntent), as every Lex locale does",
    "utterances-missing": "an intent other than the fallback has at least one sample utterance",
    "utterance-invalid": "an utterance has 1..500 characters and names only its intent's slots",
    "prompt-invalid": "a prompt or response is non-empty, at most 1000 characters, names only known slots",
    "slot-type-unknown": "a slot's type is a slot type of the bot or a built-in AMAZON. type",
    "slot-type-empty": "a slot type has at least one value",
    "confirmation-incomplete": "an intent that confirms says what a no leads to (declination response)",
}


@dataclass(frozen=True)
class BotIssue:
    """One problem: its code (see ISSUE_CODES), where it is, and what is wrong."""

    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


class BotValidationError(ValueError):
    """A bot definition has problems; ``issues`` lists every one."""

    def __init__(self, issues: list[BotIssue]) -> None:
        super().__init__("the bot definition has problems:\n" + "\n".join(f"- {issue}" for issue in issues))
        self.issues = issues


def check_bot(bot: BotDefinition) -> BotDefinition:
    """Return ``bot`` unchanged, or raise :class:`BotValidationError` naming every problem."""
    issues = validate_bot(bot)
    if issues:
        raise BotValidationError(issues)
    return bot


def validate_bot(bot: BotDefinition) -> list[BotIssue]:
    """Every problem of a bot definition (an empty list when it is fine)."""
    issues: list[BotIssue] = []
    _check_name(issues, "name", bot.name)
    if bot.locale_id not in LOCALES:
        issues.append(BotIssue("locale-unknown", "locale_id", f"{bot.locale_id!r} is not a Lex V2 locale"))
    if not 0 <= bot.nlu_confidence_threshold <= 1:
        issues.append(BotIssue("range", "nlu_confidence_threshold", "must be between 0 and 1"))
    if not MIN_IDLE_SESSION_TTL <= bot.idle_session_ttl_seconds <= MAX_IDLE_SESSION_TTL:
        issues.append(
            BotIssue(
                "range",
                "idle_session_ttl_seconds",
                f"must be between {MIN_IDLE_SESSION_TTL} and {MAX_IDLE_SESSION_TTL} seconds",
            )
        )
    _check_unique(issues, "intents", (intent.name for intent in bot.intents), "intent")
    _check_unique(issues, "slot_types", (slot_type.name for slot_type in bot.slot_types), "slot type")
    _check_unique(issues, "session_attribute_names", bot.session_attribute_names, "session attribute")
    _check_fallback(issues, bot)
    for index, slot_type in enumerate(bot.slot_types):
        _check_slot_type(issues, f"slot_types[{index}]", slot_type)
    slot_type_names = {slot_type.name for slot_type in bot.slot_types}
    for index, intent in enumerate(bot.intents):
        _check_intent(issues, f"intents[{index}]", intent, slot_type_names)
    utterances = (utterance.casefold() for intent in bot.intents for utterance in intent.sample_utterances)
    _check_unique(issues, "intents", utterances, "sample utterance")
    return issues


def _check_name(issues: list[BotIssue], path: str, name: str) -> None:
    if not _NAME.match(name):
        issues.append(
            BotIssue("name-invalid", path, f"{name!r}: use letters and digits, with single _ or - between")
        )


def _check_unique(issues: list[BotIssue], path: str, names: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        key = name.casefold()
        if key in seen:
            issues.append(BotIssue("duplicate", path, f"the {what} {name!r} appears more than once"))
        seen.add(key)


def _check_fallback(issues: list[BotIssue], bot: BotDefinition) -> None:
    fallback = [intent for intent in bot.intents if intent.parent_signature == FALLBACK_PARENT_SIGNATURE]
    if not fallback or fallback[0].name != FALLBACK_INTENT:
        issues.append(
            BotIssue(
                "fallback-missing",
                "intents",
                f"add an intent named {FALLBACK_INTENT} with parent_signature {FALLBACK_PARENT_SIGNATURE!r}",
            )
        )


def _check_slot_type(issues: list[BotIssue], path: str, slot_type: SlotType) -> None:
    _check_name(issues, f"{path}.name", slot_type.name)
    if not slot_type.values:
        issues.append(BotIssue("slot-type-empty", f"{path}.values", "give the slot type at least one value"))
    words = (word for value in slot_type.values for word in (value.value, *value.synonyms))
    _check_unique(issues, f"{path}.values", words, "value or synonym")


def _check_intent(issues: list[BotIssue], path: str, intent: Intent, slot_types: set[str]) -> None:
    _check_name(issues, f"{path}.name", intent.name)
    slot_names = {slot.name for slot in intent.slots}
    _check_unique(issues, f"{path}.slots", (slot.name for slot in intent.slots), "slot")
    if intent.parent_signature is None and not intent.sample_utterances:
        issues.append(BotIssue("utterances-missing", f"{path}.sample_utterances", "add sample utterances"))
    for index, utterance in enumerate(intent.sample_utterances):
        where = f"{path}.sample_utterances[{index}]"
        if not utterance.strip() or len(utterance) > MAX_UTTERANCE_LENGTH:
            issues.append(
                BotIssue("utterance-invalid", where, f"must be 1..{MAX_UTTERANCE_LENGTH} characters")
            )
        for unknown in set(SLOT_REFERENCE.findall(utterance)) - slot_names:
            issues.append(
                BotIssue("utterance-invalid", where, f"names {{{unknown}}}, not a slot of the intent")
            )
    for index, slot in enumerate(intent.slots):
        where = f"{path}.slots[{index}]"
        _check_name(issues, f"{where}.name", slot.name)
        if slot.slot_type not in slot_types and not slot.slot_type.startswith(BUILT_IN_SLOT_TYPE_PREFIX):
            issues.append(
                BotIssue("slot-type-unknown", f"{where}.slot_type", f"no slot type {slot.slot_type!r}")
            )
        _check_prompt(issues, f"{where}.prompt", slot.prompt, slot_names)
    for name in ("confirmation_prompt", "declination_response", "closing_response"):
        text = getattr(intent, name)
        if text is not None:
            _check_prompt(issues, f"{path}.{name}", text, slot_names)
    if intent.confirmation_prompt is not None and intent.declination_response is None:
        issues.append(
            BotIssue("confirmation-incomplete", f"{path}.declination_response", "say what a no leads to")
        )


def _check_prompt(issues: list[BotIssue], path: str, text: str, slot_names: set[str]) -> None:
    if not text.strip() or len(text) > MAX_PROMPT_LENGTH:
        issues.append(BotIssue("prompt-invalid", path, f"must be 1..{MAX_PROMPT_LENGTH} characters"))
    for unknown in set(SLOT_REFERENCE.findall(text)) - slot_names:
        issues.append(BotIssue("prompt-invalid", path, f"names {{{unknown}}}, not a slot of the intent"))
