"""The chat flows with the triage bot: it speaks first, its topic becomes a contact attribute, and a
returning customer with the same issue goes back to the previous agent."""

from __future__ import annotations

import dataclasses

import pytest

from flows import (
    DisconnectFlowParams,
    InboundFlowParams,
    build_disconnect_flow,
    build_inbound_flow,
    validate_flow,
)
from flows.params import BotStep
from tests.unit.flows.conftest import LEX_ALIAS_ARN, QUEUE_ARN

pytestmark = pytest.mark.unit

TRIAGE = BotStep(
    alias_arn=LEX_ALIAS_ARN,
    initial_message="I need help",
    handoff_intents=("Triage", "FallbackIntent"),
    topic_attribute="topic",
)
RETURN = dataclasses.replace(TRIAGE, initial_message="I am back", back_to_agent_intent="SameIssue")


def by_id(document: dict) -> dict:  # type: ignore[type-arg]
    return {action["Identifier"]: action for action in document["Actions"]}


def test_the_inbound_flow_lets_the_triage_bot_speak_first(inbound_params: InboundFlowParams) -> None:
    document = build_inbound_flow(dataclasses.replace(inbound_params, triage_bot=TRIAGE))
    actions = by_id(document)
    assert actions["check-hours"]["Transitions"]["Conditions"][0]["NextAction"] == "triage-bot"
    bot = actions["triage-bot"]
    assert bot["Parameters"] == {
        "LexV2Bot": {"AliasArn": LEX_ALIAS_ARN},
        "LexInitilizationData": {"InitialMessage": "I need help"},
    }
    branches = {c["Condition"]["Operands"][0]: c["NextAction"] for c in bot["Transitions"]["Conditions"]}
    assert branches == {"Triage": "set-topic", "FallbackIntent": "set-topic"}
    assert {e["NextAction"] for e in bot["Transitions"]["Errors"]} == {"set-working-queue"}
    assert actions["set-topic"]["Parameters"] == {
        "Attributes": {"topic": "$.Lex.SessionAttributes.topic"},
        "TargetContact": "Current",
    }
    assert actions["set-topic"]["Transitions"]["NextAction"] == "set-working-queue"
    assert validate_flow(document) == []


def test_the_triage_bot_excludes_a_bot_of_your_own(inbound_params: InboundFlowParams) -> None:
    with pytest.raises(ValueError, match="not both"):
        dataclasses.replace(inbound_params, triage_bot=TRIAGE, lex_bot_alias_arn=LEX_ALIAS_ARN)


def test_a_returning_customer_talks_to_the_bot_first() -> None:
    document = build_disconnect_flow(DisconnectFlowParams(queue_arn=QUEUE_ARN, return_bot=RETURN))
    actions = by_id(document)
    returned = list(actions["wait-for-customer"]["Transitions"]["Conditions"])
    assert {c["Condition"]["Operands"][0]: c["NextAction"] for c in returned}[
        "CustomerReturned"
    ] == "return-bot"
    bot = actions["return-bot"]
    branches = {c["Condition"]["Operands"][0]: c["NextAction"] for c in bot["Transitions"]["Conditions"]}
    assert branches == {
        "Triage": "set-topic",
        "FallbackIntent": "set-topic",
        "SameIssue": "set-previous-agent",
    }
    assert actions["set-previous-agent"]["Parameters"] == {"AgentId": "$.Agent.ARN"}
    # No previous agent, or that agent's queue is full: the chat queue.
    assert actions["set-previous-agent"]["Transitions"]["Errors"][0]["NextAction"] == "set-working-queue"
    assert {e["NextAction"] for e in actions["transfer-to-agent"]["Transitions"]["Errors"]} == {
        "set-working-queue"
    }
    assert validate_flow(document) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"InitialMessage": ""}, "parameter-invalid"),
        ({"Message": "hi"}, "parameter-invalid"),
        ("hi", "parameter-invalid"),
    ],
)
def test_the_validator_knows_the_initial_message(
    inbound_params: InboundFlowParams, data: object, code: str
) -> None:
    document = build_inbound_flow(dataclasses.replace(inbound_params, triage_bot=TRIAGE))
    bot = by_id(document)["triage-bot"]
    bot["Parameters"]["LexInitilizationData"] = data
    assert [(issue.code, issue.path.rsplit(".", 1)[-1]) for issue in validate_flow(document)] == [
        (code, "LexInitilizationData")
    ]


def test_a_bot_step_without_text_or_initial_message_is_reported(inbound_params: InboundFlowParams) -> None:
    document = build_inbound_flow(dataclasses.replace(inbound_params, triage_bot=TRIAGE))
    del by_id(document)["triage-bot"]["Parameters"]["LexInitilizationData"]
    assert [issue.code for issue in validate_flow(document)] == ["parameter-missing"]
