"""The inbound and disconnect flow builders: shape, routing, parameters, JSON output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flows import (
    DisconnectFlowParams,
    InboundFlowParams,
    arns,
    build_disconnect_flow,
    build_inbound_flow,
    disconnect_flow_json,
    inbound_flow_json,
    transitions,
    validate_flow,
)
from flows.params import default_continue_message, describe_duration

pytestmark = pytest.mark.unit

INSTANCE = arns.instance_arn("us-east-1", "111122223333", "i")
QUEUE = arns.resource_arn(INSTANCE, arns.QUEUE, "q")
HOURS = arns.resource_arn(INSTANCE, arns.OPERATING_HOURS, "h")
DISCONNECT_FLOW = arns.resource_arn(INSTANCE, arns.CONTACT_FLOW, "d")


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return transitions.actions_by_id(document)


def walk(document: dict[str, Any], outcomes: dict[str, str] | None = None) -> list[str]:
    """Follow a flow from StartAction; ``outcomes`` picks a condition result or error type per action.

    Without an outcome an action takes its NextAction; the walk stops at an action with no
    branch left to follow (DisconnectParticipant, or a successful TransferContactToQueue).
    Branches are read with flows.transitions, as the validator and the sandbox's engine read them.
    """
    outcomes = outcomes or {}
    actions = by_id(document)
    path = [transitions.start_action(document)]
    while len(path) < 50:
        action = actions[str(path[-1])]
        outcome = outcomes.get(str(path[-1]))
        if outcome is None:
            following = transitions.next_action(action)
        else:
            following = transitions.condition_branch(action, outcome) or transitions.error_branch(
                action, outcome
            )
            assert following is not None, f"{path[-1]} has no branch for {outcome}"
        if following is None:
            return [str(identifier) for identifier in path]
        path.append(following)
    raise AssertionError(f"the walk did not end: {path}")


# -- every builder output is a valid flow ---------------------------------------------------


@pytest.mark.parametrize("with_lex", [False, True], ids=["plain", "lex"])
def test_inbound_flow_is_valid(
    inbound_params: InboundFlowParams, inbound_lex_params: InboundFlowParams, with_lex: bool
) -> None:
    params = inbound_lex_params if with_lex else inbound_params

    assert validate_flow(build_inbound_flow(params)) == []


@pytest.mark.parametrize("seconds", [1, 59, 60, 900, 3_600, 5_400, 43_200, 86_400, 90_061, 604_800])
def test_disconnect_flow_is_valid_for_any_wait_length(seconds: int) -> None:
    document = build_disconnect_flow(DisconnectFlowParams(queue_arn=QUEUE, wait_seconds=seconds))

    assert validate_flow(document) == []
    assert by_id(document)["wait-for-customer"]["Parameters"]["TimeLimitSeconds"] == str(seconds)


def test_cloudformation_tokens_pass_through_unparsed() -> None:
    # Given ARNs that are CDK tokens, resolved only at deploy time
    queue, hours, flow = "${Token[TOKEN.101]}", "${Token[TOKEN.102]}", "${Token[TOKEN.103]}"

    # When both flows are built
    inbound = by_id(
        build_inbound_flow(
            InboundFlowParams(queue_arn=queue, hours_of_operation_arn=hours, disconnect_flow_arn=flow)
        )
    )
    disconnect = by_id(build_disconnect_flow(DisconnectFlowParams(queue_arn=queue)))

    # Then the tokens land verbatim where the ARNs go
    assert inbound["set-disconnect-flow"]["Parameters"] == {"EventHooks": {"CustomerRemaining": flow}}
    assert inbound["check-hours"]["Parameters"] == {"HoursOfOperationId": hours}
    assert inbound["set-working-queue"]["Parameters"] == {"QueueId": queue}
    assert disconnect["set-working-queue"]["Parameters"] == {"QueueId": queue}


# -- inbound flow ------------------------------------------------------------------------


def test_inbound_flow_document_header(inbound_params: InboundFlowParams) -> None:
    document = build_inbound_flow(inbound_params)

    assert document["Version"] == "2019-10-30"
    assert document["StartAction"] == "greeting"
    assert [action["Identifier"] for action in document["Actions"]] == [
        "greeting",
        "set-disconnect-flow",
        "check-hours",
        "closed-message",
        "set-working-queue",
        "transfer-to-queue",
        "apologize",
        "disconnect",
    ]


def test_inbound_flow_open_path_greets_sets_hook_checks_hours_then_queues(
    inbound_params: InboundFlowParams,
) -> None:
    document = build_inbound_flow(inbound_params)
    actions = by_id(document)

    assert walk(document, {"check-hours": "True"}) == [
        "greeting",
        "set-disconnect-flow",
        "check-hours",
        "set-working-queue",
        "transfer-to-queue",
    ]
    assert actions["greeting"]["Parameters"] == {"Text": inbound_params.greeting}
    hooks = actions["set-disconnect-flow"]
    assert hooks["Type"] == "UpdateContactEventHooks"
    assert hooks["Parameters"] == {"EventHooks": {"CustomerRemaining": inbound_params.disconnect_flow_arn}}
    assert actions["check-hours"]["Type"] == "CheckHoursOfOperation"
    assert actions["check-hours"]["Parameters"] == {
        "HoursOfOperationId": inbound_params.hours_of_operation_arn
    }
    assert actions["set-working-queue"]["Type"] == "UpdateContactTargetQueue"
    assert actions["set-working-queue"]["Parameters"] == {"QueueId": inbound_params.queue_arn}
    assert actions["transfer-to-queue"]["Type"] == "TransferContactToQueue"
    assert actions["transfer-to-queue"]["Parameters"] == {}


def test_inbound_flow_closed_path_says_so_and_disconnects(inbound_params: InboundFlowParams) -> None:
    document = build_inbound_flow(inbound_params)

    assert walk(document, {"check-hours": "False"}) == [
        "greeting",
        "set-disconnect-flow",
        "check-hours",
        "closed-message",
        "disconnect",
    ]
    assert by_id(document)["closed-message"]["Parameters"]["Text"] == inbound_params.closed_message
    assert by_id(document)["disconnect"] == {
        "Identifier": "disconnect",
        "Type": "DisconnectParticipant",
        "Parameters": {},
        "Transitions": {},
    }


@pytest.mark.parametrize("error", ["QueueAtCapacity", "NoMatchingError"])
def test_inbound_flow_transfer_failure_apologizes_then_disconnects(
    inbound_params: InboundFlowParams, error: str
) -> None:
    document = build_inbound_flow(inbound_params)

    assert walk(document, {"check-hours": "True", "transfer-to-queue": error})[-3:] == [
        "transfer-to-queue",
        "apologize",
        "disconnect",
    ]
    assert by_id(document)["apologize"]["Parameters"]["Text"] == inbound_params.error_message


@pytest.mark.parametrize("flow", ["inbound", "inbound-lex", "disconnect"])
def test_every_no_matching_error_leads_to_the_apology_then_disconnect(
    flow: str,
    inbound_params: InboundFlowParams,
    inbound_lex_params: InboundFlowParams,
    disconnect_params: DisconnectFlowParams,
) -> None:
    document = {
        "inbound": lambda: build_inbound_flow(inbound_params),
        "inbound-lex": lambda: build_inbound_flow(inbound_lex_params),
        "disconnect": lambda: build_disconnect_flow(disconnect_params),
    }[flow]()
    actions = by_id(document)
    # Exceptions: the apology's own failure, the goodbye's, and the bot's (it carries on to queueing).
    exempt = {"apologize", "timeout-message", "lex-bot"}

    for identifier, action in actions.items():
        for error in action["Transitions"].get("Errors", []):
            if error["ErrorType"] == "NoMatchingError" and identifier not in exempt:
                assert error["NextAction"] == "apologize", identifier
    assert actions["apologize"]["Transitions"]["NextAction"] == "disconnect"
    assert actions["apologize"]["Transitions"]["Errors"] == [
        {"NextAction": "disconnect", "ErrorType": "NoMatchingError"}
    ]


def test_inbound_flow_with_lex_talks_to_the_bot_before_queueing(
    inbound_lex_params: InboundFlowParams,
) -> None:
    document = build_inbound_flow(inbound_lex_params)
    bot = by_id(document)["lex-bot"]

    assert walk(document, {"check-hours": "True"}) == [
        "greeting",
        "set-disconnect-flow",
        "check-hours",
        "lex-bot",
        "set-working-queue",
        "transfer-to-queue",
    ]
    assert bot["Type"] == "ConnectParticipantWithLexBot"
    assert bot["Parameters"] == {
        "Text": inbound_lex_params.bot_prompt,
        "LexV2Bot": {"AliasArn": inbound_lex_params.lex_bot_alias_arn},
    }
    assert {error["ErrorType"]: error["NextAction"] for error in bot["Transitions"]["Errors"]} == {
        "InputTimeLimitExceeded": "set-working-queue",
        "NoMatchingError": "set-working-queue",
        "NoMatchingCondition": "set-working-queue",
    }


def test_inbound_flow_without_lex_has_no_bot_step(inbound_params: InboundFlowParams) -> None:
    types = {action["Type"] for action in build_inbound_flow(inbound_params)["Actions"]}

    assert "ConnectParticipantWithLexBot" not in types


def test_inbound_flow_uses_custom_texts() -> None:
    params = InboundFlowParams(
        queue_arn=QUEUE,
        hours_of_operation_arn=HOURS,
        disconnect_flow_arn=DISCONNECT_FLOW,
        greeting="Hi!",
        closed_message="Closed.",
        error_message="Oops.",
    )

    texts = {
        action["Identifier"]: action["Parameters"].get("Text")
        for action in build_inbound_flow(params)["Actions"]
    }

    assert texts["greeting"] == "Hi!"
    assert texts["closed-message"] == "Closed."
    assert texts["apologize"] == "Oops."


# -- disconnect flow ---------------------------------------------------------------------


def test_disconnect_flow_waits_with_both_conditions(disconnect_params: DisconnectFlowParams) -> None:
    wait = by_id(build_disconnect_flow(disconnect_params))["wait-for-customer"]

    assert wait["Type"] == "Wait"
    assert wait["Parameters"] == {"TimeLimitSeconds": "43200", "Events": ["CustomerReturned"]}
    assert {
        condition["Condition"]["Operands"][0]: (condition["Condition"]["Operator"], condition["NextAction"])
        for condition in wait["Transitions"]["Conditions"]
    } == {"WaitCompleted": ("Equals", "timeout-message"), "CustomerReturned": ("Equals", "set-working-queue")}
    assert wait["Transitions"]["Errors"] == [{"NextAction": "apologize", "ErrorType": "NoMatchingError"}]


def test_disconnect_flow_customer_returns_to_the_queue(disconnect_params: DisconnectFlowParams) -> None:
    document = build_disconnect_flow(disconnect_params)

    assert walk(document, {"wait-for-customer": "CustomerReturned"}) == [
        "continue-prompt",
        "wait-for-customer",
        "set-working-queue",
        "transfer-to-queue",
    ]
    assert by_id(document)["set-working-queue"]["Parameters"] == {"QueueId": disconnect_params.queue_arn}


def test_disconnect_flow_timeout_says_goodbye_and_disconnects(
    disconnect_params: DisconnectFlowParams,
) -> None:
    document = build_disconnect_flow(disconnect_params)

    assert walk(document, {"wait-for-customer": "WaitCompleted"}) == [
        "continue-prompt",
        "wait-for-customer",
        "timeout-message",
        "disconnect",
    ]
    assert by_id(document)["timeout-message"]["Parameters"]["Text"] == disconnect_params.timeout_message


@pytest.mark.parametrize("error", ["QueueAtCapacity", "NoMatchingError"])
def test_disconnect_flow_failed_requeue_apologizes(
    disconnect_params: DisconnectFlowParams, error: str
) -> None:
    path = walk(
        build_disconnect_flow(disconnect_params),
        {"wait-for-customer": "CustomerReturned", "transfer-to-queue": error},
    )

    assert path[-3:] == ["transfer-to-queue", "apologize", "disconnect"]


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (43_200, "within 12 hours"),
        (900, "within 15 minutes"),
        (604_800, "within 7 days"),
        (5_400, "within 1 hour and 30 minutes"),
    ],
)
def test_disconnect_flow_default_prompt_states_the_wait(seconds: int, phrase: str) -> None:
    document = build_disconnect_flow(DisconnectFlowParams(queue_arn=QUEUE, wait_seconds=seconds))

    assert phrase in by_id(document)["continue-prompt"]["Parameters"]["Text"]


def test_disconnect_flow_custom_prompt_is_used_verbatim() -> None:
    params = DisconnectFlowParams(queue_arn=QUEUE, continue_message="Reply to pick up where you left off.")

    prompt = by_id(build_disconnect_flow(params))["continue-prompt"]

    assert prompt["Parameters"] == {"Text": "Reply to pick up where you left off."}
    assert params.effective_continue_message == "Reply to pick up where you left off."


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (2, "2 seconds"),
        (60, "1 minute"),
        (3_600, "1 hour"),
        (43_200, "12 hours"),
        (86_400, "1 day"),
        (90_000, "1 day and 1 hour"),
        (90_061, "1 day, 1 hour, 1 minute and 1 second"),
        (604_800, "7 days"),
    ],
)
def test_describe_duration(seconds: int, words: str) -> None:
    assert describe_duration(seconds) == words


def test_default_continue_message_mentions_the_duration() -> None:
    assert "12 hours" in default_continue_message(43_200)


# -- parameter validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"queue_arn": ""}, "queue_arn"),
        ({"queue_arn": "   "}, "queue_arn"),
        ({"hours_of_operation_arn": ""}, "hours_of_operation_arn"),
        ({"disconnect_flow_arn": None}, "disconnect_flow_arn"),
        ({"lex_bot_alias_arn": ""}, "lex_bot_alias_arn"),
        ({"greeting": ""}, "greeting"),
        ({"closed_message": "x" * 1025}, "closed_message is 1025 characters"),
        ({"error_message": " "}, "error_message"),
        ({"bot_prompt": ""}, "bot_prompt"),
    ],
)
def test_inbound_params_reject_bad_values(changes: dict[str, Any], fragment: str) -> None:
    values: dict[str, Any] = {
        "queue_arn": QUEUE,
        "hours_of_operation_arn": HOURS,
        "disconnect_flow_arn": DISCONNECT_FLOW,
    }

    with pytest.raises(ValueError, match=fragment):
        InboundFlowParams(**(values | changes))


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"queue_arn": ""}, "queue_arn"),
        ({"wait_seconds": 0}, "between 1 and 604800"),
        ({"wait_seconds": 604_801}, "between 1 and 604800"),
        ({"wait_seconds": True}, "whole number"),
        ({"wait_seconds": 1.5}, "whole number"),
        ({"wait_seconds": "900"}, "whole number"),
        ({"continue_message": ""}, "continue_message"),
        ({"timeout_message": "x" * 1025}, "timeout_message"),
        ({"error_message": ""}, "error_message"),
    ],
)
def test_disconnect_params_reject_bad_values(changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        DisconnectFlowParams(**({"queue_arn": QUEUE} | changes))


def test_params_are_immutable(disconnect_params: DisconnectFlowParams) -> None:
    with pytest.raises(AttributeError):
        disconnect_params.wait_seconds = 5  # type: ignore[misc]


# -- JSON output and packaging -----------------------------------------------------------


def test_json_output_is_stable_and_round_trips(
    inbound_params: InboundFlowParams, disconnect_params: DisconnectFlowParams
) -> None:
    assert inbound_flow_json(inbound_params) == inbound_flow_json(inbound_params)
    assert json.loads(inbound_flow_json(inbound_params)) == build_inbound_flow(inbound_params)
    assert json.loads(disconnect_flow_json(disconnect_params)) == build_disconnect_flow(disconnect_params)
    assert inbound_flow_json(inbound_params).startswith(
        '{\n  "Version": "2019-10-30",\n  "StartAction": "greeting"'
    )


def test_compact_json_has_no_whitespace_between_tokens(disconnect_params: DisconnectFlowParams) -> None:
    compact = disconnect_flow_json(disconnect_params, indent=None)

    assert "\n" not in compact
    assert compact.startswith('{"Version":"2019-10-30","StartAction":"continue-prompt"')


def test_flows_package_does_not_depend_on_the_cdk() -> None:
    package = Path(__file__).resolve().parents[3] / "flows"

    sources = {path.name: path.read_text(encoding="utf-8") for path in package.glob("*.py")}

    assert sources
    assert [name for name, text in sources.items() if "aws_cdk" in text] == []
