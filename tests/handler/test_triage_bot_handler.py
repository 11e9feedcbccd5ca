"""The triage bot's code hook driven with real Lex V2 events: every turn of both conversations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from bots import code_hook_script, triage
from lambdas.triage_bot.environment import code_hook_environment
from lambdas.triage_bot.handler import lambda_handler
from lambdas.triage_bot.settings import Settings, get_settings, load_settings
from tests.handler.lex_v2_events import lex_event, slot

pytestmark = pytest.mark.handler

SETTINGS = load_settings(code_hook_environment(code_hook_script()))
BILLING = triage.TOPICS[0].value


def turn(event: dict[str, Any], context: LambdaContext, settings: Settings = SETTINGS) -> dict[str, Any]:
    response = lambda_handler(event, context, settings=settings)
    # What Lex reads is JSON: the response must survive a round trip unchanged.
    assert json.loads(json.dumps(response)) == response
    return response


def interactive(response: dict[str, Any]) -> dict[str, Any]:
    (message,) = response["messages"]
    assert message["contentType"] == "CustomPayload"
    payload: dict[str, Any] = json.loads(message["content"])
    return payload


def test_the_first_turn_offers_the_topics_as_a_list_picker(lambda_context: LambdaContext) -> None:
    # Given the inbound flow's initial message / When the hook answers
    response = turn(lex_event(triage.TRIAGE, transcript=triage.TRIAGE_START), lambda_context)
    # Then it elicits the Topic slot with a ListPicker of every topic
    assert response["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Topic"}
    payload = interactive(response)
    assert payload["templateType"] == "ListPicker"
    assert payload["version"] == "1.0"
    content = payload["data"]["content"]
    assert content["title"] == triage.TOPIC_QUESTION
    assert [element["title"] for element in content["elements"]] == [t.value for t in triage.TOPICS]


def test_a_picked_topic_is_confirmed_with_a_quick_reply(lambda_context: LambdaContext) -> None:
    event = lex_event(
        triage.TRIAGE, transcript=BILLING, slots={"Topic": slot(BILLING)}, attributes={"topicAsks": "1"}
    )
    response = turn(event, lambda_context)
    assert response["sessionState"]["dialogAction"] == {"type": "ConfirmIntent"}
    assert response["sessionState"]["intent"]["slots"]["Topic"]["value"]["interpretedValue"] == BILLING
    payload = interactive(response)
    assert payload["templateType"] == "QuickReply"
    assert payload["data"]["content"]["title"] == triage.CONFIRM_QUESTION.replace("{Topic}", BILLING)
    assert [e["title"] for e in payload["data"]["content"]["elements"]] == [triage.YES, triage.NO]


def test_a_confirmed_topic_hands_off_with_the_topic_attribute(lambda_context: LambdaContext) -> None:
    event = lex_event(
        triage.TRIAGE,
        transcript="Yes",
        slots={"Topic": slot(BILLING)},
        confirmation="Confirmed",
        attributes={"a": "b"},
    )
    response = turn(event, lambda_context)
    state = response["sessionState"]
    assert state["dialogAction"] == {"type": "Close"}
    assert state["intent"]["state"] == "Fulfilled"
    assert state["sessionAttributes"] == {"a": "b", triage.TOPIC_ATTRIBUTE: BILLING}
    assert response["messages"] == [
        {"contentType": "PlainText", "content": triage.HANDOFF.replace("{Topic}", BILLING)}
    ]


def test_unmatched_text_is_asked_once_more_then_handed_off(lambda_context: LambdaContext) -> None:
    # Given the list was shown once and the customer typed something that is no topic
    again = turn(lex_event(triage.TRIAGE, transcript="my cat", attributes={"topicAsks": "1"}), lambda_context)
    # Then the list comes once more, with the retry question
    assert interactive(again)["data"]["content"]["title"] == triage.RETRY_QUESTION
    assert again["sessionState"]["sessionAttributes"]["topicAsks"] == "2"
    # And a second miss hands off with the unmatched topic
    handed = turn(
        lex_event(triage.TRIAGE, transcript="still my cat", attributes={"topicAsks": "2"}), lambda_context
    )
    assert handed["sessionState"]["dialogAction"] == {"type": "Close"}
    assert handed["sessionState"]["sessionAttributes"][triage.TOPIC_ATTRIBUTE] == triage.UNMATCHED_TOPIC
    assert handed["messages"][0]["content"] == triage.UNMATCHED_HANDOFF


def test_a_no_to_the_confirmation_shows_the_list_again(lambda_context: LambdaContext) -> None:
    event = lex_event(
        triage.TRIAGE,
        transcript="No",
        slots={"Topic": slot(BILLING)},
        confirmation="Denied",
        attributes={"topicAsks": "1"},
    )
    response = turn(event, lambda_context)
    assert response["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Topic"}
    assert (
        response["sessionState"]["intent"]["slots"] == {"Topic": None}
        or "Topic" not in (response["sessionState"]["intent"]["slots"])
    )
    assert response["sessionState"]["intent"]["confirmationState"] == "None"
    assert interactive(response)["templateType"] == "ListPicker"


def test_a_returning_customer_is_asked_same_issue_or_something_new(lambda_context: LambdaContext) -> None:
    response = turn(lex_event(triage.WELCOME_BACK, transcript=triage.RETURN_START), lambda_context)
    assert response["sessionState"]["dialogAction"] == {"type": "ElicitIntent"}
    payload = interactive(response)
    assert payload["templateType"] == "QuickReply"
    assert payload["data"]["content"]["title"] == triage.RETURN_QUESTION
    titles = [e["title"] for e in payload["data"]["content"]["elements"]]
    assert titles == [triage.SAME_ISSUE_TITLE, triage.NEW_ISSUE_TITLE]


def test_same_issue_ends_the_bot_and_something_new_triages_again(lambda_context: LambdaContext) -> None:
    same = turn(lex_event(triage.SAME_ISSUE, transcript=triage.SAME_ISSUE_TITLE), lambda_context)
    assert same["sessionState"]["intent"] == {
        "name": triage.SAME_ISSUE,
        "slots": {},
        "state": "Fulfilled",
        "confirmationState": "None",
    }
    assert same["sessionState"]["dialogAction"] == {"type": "Close"}
    new = turn(
        lex_event(
            triage.NEW_ISSUE, transcript=triage.NEW_ISSUE_TITLE, attributes={triage.TOPIC_ATTRIBUTE: BILLING}
        ),
        lambda_context,
    )
    assert new["sessionState"]["intent"]["name"] == triage.TRIAGE
    assert new["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Topic"}
    assert triage.TOPIC_ATTRIBUTE not in new["sessionState"]["sessionAttributes"]
    assert interactive(new)["data"]["content"]["title"] == triage.TOPIC_QUESTION


def test_the_fallback_intent_hands_off(lambda_context: LambdaContext) -> None:
    response = turn(lex_event("FallbackIntent", transcript="qwerty"), lambda_context)
    assert response["sessionState"]["dialogAction"] == {"type": "Close"}
    assert response["sessionState"]["sessionAttributes"] == {triage.TOPIC_ATTRIBUTE: triage.UNMATCHED_TOPIC}


def test_the_container_reads_its_script_from_the_environment(
    lambda_context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in code_hook_environment(code_hook_script()).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        response = lambda_handler(lex_event(triage.TRIAGE, transcript=triage.TRIAGE_START), lambda_context)
    finally:
        get_settings.cache_clear()
    assert interactive(response)["templateType"] == "ListPicker"
