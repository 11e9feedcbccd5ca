"""The bot validator names every problem, each with its code and path."""

from __future__ import annotations

import dataclasses

import pytest

from bots import BotDefinition, BotValidationError, Intent, Slot, SlotType, SlotValue, check_bot, validate_bot
from bots.model import FALLBACK_INTENT, FALLBACK_PARENT_SIGNATURE
from bots.validator import ISSUE_CODES

pytestmark = pytest.mark.unit

FALLBACK = Intent(FALLBACK_INTENT, "nothing matched", (), parent_signature=FALLBACK_PARENT_SIGNATURE)
COLOR = SlotType("Color", (SlotValue("red", ("crimson",)), SlotValue("blue")))
PICK = Intent(
    "Pick",
    "pick a color",
    ("I want {Color}", "pick one"),
    slots=(Slot("Color", "Color", "Which color?"),),
    confirmation_prompt="{Color}, right?",
    declination_response="Then pick again.",
)


def good_bot(**changes: object) -> BotDefinition:
    bot = BotDefinition(
        name="Picker", description="d", locale_id="en_US", intents=(PICK, FALLBACK), slot_types=(COLOR,)
    )
    return dataclasses.replace(bot, **changes)  # type: ignore[arg-type]


def test_a_good_bot_has_no_issues() -> None:
    assert validate_bot(good_bot()) == []
    assert check_bot(good_bot()) == good_bot()


BROKEN = {
    "bad name": (good_bot(name="no spaces allowed"), "name-invalid", "name"),
    "unknown locale": (good_bot(locale_id="xx_XX"), "locale-unknown", "locale_id"),
    "threshold": (good_bot(nlu_confidence_threshold=1.5), "range", "nlu_confidence_threshold"),
    "ttl": (good_bot(idle_session_ttl_seconds=5), "range", "idle_session_ttl_seconds"),
    "duplicate intent": (
        good_bot(intents=(PICK, dataclasses.replace(PICK, sample_utterances=("other",)), FALLBACK)),
        "duplicate",
        "intents",
    ),
    "no fallback": (good_bot(intents=(PICK,)), "fallback-missing", "intents"),
    "no utterances": (
        good_bot(intents=(dataclasses.replace(PICK, sample_utterances=()), FALLBACK)),
        "utterances-missing",
        "intents[0].sample_utterances",
    ),
    "unknown slot in utterance": (
        good_bot(intents=(dataclasses.replace(PICK, sample_utterances=("{Size}",)), FALLBACK)),
        "utterance-invalid",
        "intents[0].sample_utterances[0]",
    ),
    "empty prompt": (
        good_bot(intents=(dataclasses.replace(PICK, slots=(Slot("Color", "Color", " "),)), FALLBACK)),
        "prompt-invalid",
        "intents[0].slots[0].prompt",
    ),
    "unknown slot type": (
        good_bot(intents=(dataclasses.replace(PICK, slots=(Slot("Color", "Colour", "Which?"),)), FALLBACK)),
        "slot-type-unknown",
        "intents[0].slots[0].slot_type",
    ),
    "empty slot type": (
        good_bot(slot_types=(SlotType("Color", ()),)),
        "slot-type-empty",
        "slot_types[0].values",
    ),
    "synonym twice": (
        good_bot(slot_types=(SlotType("Color", (SlotValue("red"), SlotValue("Red"))),)),
        "duplicate",
        "slot_types[0].values",
    ),
    "confirmation without declination": (
        good_bot(intents=(dataclasses.replace(PICK, declination_response=None), FALLBACK)),
        "confirmation-incomplete",
        "intents[0].declination_response",
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_each_problem_is_named_with_its_code_and_path(case: tuple[BotDefinition, str, str]) -> None:
    # Given a bot with one problem / When it is validated
    bot, code, path = case
    issues = validate_bot(bot)
    # Then exactly that problem is reported, and check_bot raises it
    assert [(issue.code, issue.path) for issue in issues] == [(code, path)]
    assert code in ISSUE_CODES
    with pytest.raises(BotValidationError) as raised:
        check_bot(bot)
    assert raised.value.issues == issues
    assert path in str(raised.value)


def test_every_problem_is_reported_at_once() -> None:
    bot = good_bot(name="bad name", locale_id="xx", intents=(PICK,))
    assert {issue.code for issue in validate_bot(bot)} == {
        "name-invalid",
        "locale-unknown",
        "fallback-missing",
    }


def test_every_issue_code_is_exercised() -> None:
    assert {code for _, code, _ in BROKEN.values()} == set(ISSUE_CODES)
