"""The sandbox's deterministic recognizer: utterances, slot values and synonyms, confirmations."""

from __future__ import annotations

import pytest

from bots import build_triage_bot, triage
from sandbox.bot_runtime.recognizer import Match, Recognizer, confirmation

pytestmark = pytest.mark.unit

RECOGNIZER = Recognizer(build_triage_bot())
BILLING = triage.TOPICS[0].value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (triage.TRIAGE_START, Match(triage.TRIAGE, {})),
        ("  I NEED help!! ", Match(triage.TRIAGE, {})),
        (BILLING, Match(triage.TRIAGE, {"Topic": BILLING})),
        ("it is about refund", Match(triage.TRIAGE, {"Topic": BILLING})),
        ("I need help with password", Match(triage.TRIAGE, {"Topic": "My account"})),
        (triage.RETURN_START, Match(triage.WELCOME_BACK, {})),
        (triage.SAME_ISSUE_TITLE, Match(triage.SAME_ISSUE, {})),
        (triage.NEW_ISSUE_TITLE, Match(triage.NEW_ISSUE, {})),
        ("it is about my cat", Match("FallbackIntent", {})),
        ("qwerty", Match("FallbackIntent", {})),
    ],
)
def test_text_is_matched_to_an_intent_and_its_slots(text: str, expected: Match) -> None:
    assert RECOGNIZER.intent(text) == expected


def test_a_slot_value_is_a_value_or_a_synonym() -> None:
    topic = build_triage_bot().intent(triage.TRIAGE).slots[0]
    assert RECOGNIZER.slot_value(topic, "Invoice.") == BILLING
    assert RECOGNIZER.slot_value(topic, "my invoice") is None


@pytest.mark.parametrize(
    ("text", "state"), [("Yes", "Confirmed"), ("yes!", "Confirmed"), ("No", "Denied"), ("maybe", "None")]
)
def test_confirmation_answers(text: str, state: str) -> None:
    assert confirmation(text) == state
