"""flows.transitions (how branches are followed) and flows.wait_time (how long a Wait waits)."""

from __future__ import annotations

from typing import Any

import pytest
from flow_strategies import action_like, flow_like, json_values
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import DisconnectFlowParams, build_disconnect_flow, transitions, validate_flow
from flows.cli import EXAMPLE_QUEUE_ARN
from flows.wait_time import WaitTimeError, wait_seconds

pytestmark = pytest.mark.unit


def branching_action(**transitions_: Any) -> dict[str, Any]:
    return {"Identifier": "x", "Type": "Wait", "Parameters": {}, "Transitions": transitions_}


def equals(operand: str, target: str, operator: str = "Equals") -> dict[str, Any]:
    return {"NextAction": target, "Condition": {"Operator": operator, "Operands": [operand]}}


# -- transitions ---------------------------------------------------------------------------


def test_start_action_and_actions_by_id_read_a_built_flow() -> None:
    document = build_disconnect_flow(DisconnectFlowParams(queue_arn=EXAMPLE_QUEUE_ARN))

    assert transitions.start_action(document) == "continue-prompt"
    assert list(transitions.actions_by_id(document)) == [
        action["Identifier"] for action in document["Actions"]
    ]


def test_actions_by_id_keeps_the_first_of_duplicates_and_skips_malformed_actions() -> None:
    first, second = {"Identifier": "a", "Type": "One"}, {"Identifier": "a", "Type": "Two"}
    document = {"Actions": [first, "junk", {"Identifier": ""}, {"Identifier": 3}, second]}

    assert transitions.actions_by_id(document) == {"a": first}


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (branching_action(NextAction="b"), "b"),
        (branching_action(NextAction=""), None),  # console exports: an unused success branch
        (branching_action(), None),
        (branching_action(NextAction=["b"]), None),
        ({"Transitions": "b"}, None),
        ("not an action", None),
    ],
)
def test_next_action(action: object, expected: str | None) -> None:
    assert transitions.next_action(action) == expected


def test_condition_branch_follows_equals_conditions_only() -> None:
    action = branching_action(
        Conditions=[equals("WaitCompleted", "timeout"), equals("CustomerReturned", "back", operator="Other")]
    )

    assert transitions.condition_branch(action, "WaitCompleted") == "timeout"
    # Given an operator the flows never use, no result selects the condition (the validator rejects it too)
    assert transitions.condition_branch(action, "CustomerReturned") is None
    assert transitions.condition_branch(action, "True") is None


def test_an_error_takes_its_own_branch_else_the_no_matching_error_branch() -> None:
    action = branching_action(
        Errors=[
            {"ErrorType": "QueueAtCapacity", "NextAction": "full"},
            {"ErrorType": "NoMatchingError", "NextAction": "apologize"},
        ]
    )

    assert transitions.on_error(action, "QueueAtCapacity") == "full"
    assert transitions.on_error(action, "NoMatchingCondition") == "apologize"
    assert transitions.error_branch(action, "NoMatchingCondition") is None
    assert transitions.on_error(branching_action(), "QueueAtCapacity") is None


def test_targets_lists_every_branch_in_document_order() -> None:
    action = branching_action(
        NextAction="next",
        Errors=[{"ErrorType": "NoMatchingError", "NextAction": "oops"}, "junk"],
        Conditions=[equals("WaitCompleted", "done"), {"NextAction": "odd", "Condition": "junk"}],
    )

    assert transitions.targets(action) == ["next", "oops", "done", "odd"]


@settings(max_examples=200, deadline=None)
@given(action_like | json_values, st.text(max_size=20))
def test_transitions_never_raise_on_arbitrary_actions(action: Any, outcome: str) -> None:
    assert transitions.next_action(action) is None or isinstance(transitions.next_action(action), str)
    for target in [
        transitions.condition_branch(action, outcome),
        transitions.on_error(action, outcome),
        *transitions.targets(action),
    ]:
        assert target is None or (isinstance(target, str) and target)


@settings(max_examples=200, deadline=None)
@given(flow_like | json_values)
def test_documents_never_make_transitions_raise(document: Any) -> None:
    start = transitions.start_action(document)
    assert start is None or isinstance(start, str)
    assert all(isinstance(identifier, str) for identifier in transitions.actions_by_id(document))


# -- the Wait time rule --------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [("1", 1), ("900", 900), ("0604800", 604_800), ("$.x", None)])
def test_wait_seconds_reads_time_limit_seconds(value: str, seconds: int | None) -> None:
    assert wait_seconds({"TimeLimitSeconds": value}) == seconds


@pytest.mark.parametrize(
    ("parameters", "code"),
    [
        ({"TimeoutSeconds": "900"}, "parameter-missing"),  # the documented name is not the one used
        ({"TimeLimitSeconds": 900}, "wait-time-invalid"),
        ({"TimeLimitSeconds": "15m"}, "wait-time-invalid"),
        ({"TimeLimitSeconds": " 900"}, "wait-time-invalid"),
        ({"TimeLimitSeconds": "0"}, "wait-time-range"),
        ({"TimeLimitSeconds": "604801"}, "wait-time-range"),
        ({"TimeLimitSeconds": "9" * 5000}, "wait-time-range"),
    ],
)
def test_wait_seconds_rejects_what_the_validator_rejects(parameters: dict[str, object], code: str) -> None:
    with pytest.raises(WaitTimeError) as raised:
        wait_seconds(parameters)

    assert raised.value.code == code


@settings(max_examples=200, deadline=None)
@given(st.none() | json_values | st.from_regex(r"\A[0-9]{1,8}\Z"))
def test_the_validator_and_wait_seconds_agree_on_any_time_limit(value: Any) -> None:
    # Given the disconnect flow with its Wait's time limit replaced by anything
    document = build_disconnect_flow(DisconnectFlowParams(queue_arn=EXAMPLE_QUEUE_ARN))
    parameters = document["Actions"][1]["Parameters"]
    parameters["TimeLimitSeconds"] = value

    # When both read it
    issues = [issue.code for issue in validate_flow(document) if issue.path.endswith(".TimeLimitSeconds")]
    try:
        wait_seconds(parameters)
        rejected = []
    except WaitTimeError as error:
        rejected = [error.code]

    # Then the validator reports exactly what the rule rejects
    assert issues == rejected
