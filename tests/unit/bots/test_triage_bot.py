"""The shipped triage bot: valid, and shaped the way the flows and the code hook rely on."""

from __future__ import annotations

import pytest

from bots import build_triage_bot, code_hook_script, triage, validate_bot

pytestmark = pytest.mark.unit


def test_the_triage_bot_is_valid() -> None:
    assert validate_bot(build_triage_bot()) == []


def test_the_flows_initial_messages_are_utterances_of_their_intents() -> None:
    bot = build_triage_bot()
    assert triage.TRIAGE_START in bot.intent(triage.TRIAGE).sample_utterances
    assert triage.RETURN_START in bot.intent(triage.WELCOME_BACK).sample_utterances


def test_the_quick_reply_titles_are_utterances_of_the_intents_they_pick() -> None:
    # A pick comes back as its title in text/plain: each title must lead to its intent.
    bot = build_triage_bot()
    assert triage.SAME_ISSUE_TITLE in bot.intent(triage.SAME_ISSUE).sample_utterances
    assert triage.NEW_ISSUE_TITLE in bot.intent(triage.NEW_ISSUE).sample_utterances


def test_the_list_picker_offers_exactly_the_topic_slot_values() -> None:
    bot = build_triage_bot()
    values = [value.value for value in bot.slot_type(triage.TOPIC_SLOT_TYPE).values]
    assert code_hook_script()["topics"] == values
    assert bot.intent(triage.TRIAGE).slots[0].slot_type == triage.TOPIC_SLOT_TYPE


def test_the_topic_attribute_is_a_declared_session_attribute() -> None:
    assert triage.TOPIC_ATTRIBUTE in build_triage_bot().session_attribute_names
    assert code_hook_script()["topicAttribute"] == triage.TOPIC_ATTRIBUTE
