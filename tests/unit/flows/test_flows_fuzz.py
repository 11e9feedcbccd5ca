"""Property tests: the validator never raises, and builders always produce valid flows."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flow_strategies import flow_like, json_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import (
    DisconnectFlowParams,
    FlowIssue,
    InboundFlowParams,
    build_disconnect_flow,
    build_inbound_flow,
    validate_flow,
)
from flows.cli import EXAMPLE_DISCONNECT_FLOW_ARN, EXAMPLE_HOURS_ARN, EXAMPLE_LEX_ALIAS_ARN, EXAMPLE_QUEUE_ARN
from flows.validator import ISSUE_CODES

pytestmark = pytest.mark.unit

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_issues(result: object) -> None:
    assert isinstance(result, list)
    for issue in result:
        assert isinstance(issue, FlowIssue)
        assert issue.code in ISSUE_CODES
        assert str(issue)


@FAST
@given(json_values)
def test_validator_never_raises_on_arbitrary_json(value: Any) -> None:
    assert_issues(validate_flow(value))


@FAST
@given(flow_like)
def test_validator_never_raises_on_flow_shaped_input(value: Any) -> None:
    assert_issues(validate_flow(value))


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _nodes(child, (*path, index))
    return found


BUILT = [
    build_disconnect_flow(DisconnectFlowParams(queue_arn=EXAMPLE_QUEUE_ARN)),
    build_inbound_flow(
        InboundFlowParams(
            queue_arn=EXAMPLE_QUEUE_ARN,
            hours_of_operation_arn=EXAMPLE_HOURS_ARN,
            disconnect_flow_arn=EXAMPLE_DISCONNECT_FLOW_ARN,
            lex_bot_alias_arn=EXAMPLE_LEX_ALIAS_ARN,
        )
    ),
]


@FAST
@given(st.data())
def test_validator_never_raises_on_a_mutated_real_flow(data: st.DataObject) -> None:
    # Given a real flow with one value somewhere replaced by anything
    document = copy.deepcopy(data.draw(st.sampled_from(BUILT)))
    path = data.draw(st.sampled_from(_nodes(document)[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(json_values)

    # Then validation reports issues (or none) without raising
    assert_issues(validate_flow(document))


messages = st.text(min_size=1, max_size=1024).filter(str.strip)
references = st.text(min_size=1, max_size=80).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    queue=references,
    hours=references,
    flow=references,
    lex=st.none() | references,
    greeting=messages,
    closed=messages,
    error=messages,
)
def test_any_valid_inbound_params_build_a_valid_flow(
    queue: str, hours: str, flow: str, lex: str | None, greeting: str, closed: str, error: str
) -> None:
    params = InboundFlowParams(
        queue_arn=queue,
        hours_of_operation_arn=hours,
        disconnect_flow_arn=flow,
        lex_bot_alias_arn=lex,
        greeting=greeting,
        closed_message=closed,
        error_message=error,
    )

    assert validate_flow(build_inbound_flow(params)) == []


@settings(max_examples=60, deadline=None)
@given(
    queue=references,
    seconds=st.integers(min_value=1, max_value=604_800),
    prompt=st.none() | messages,
    timeout=messages,
)
def test_any_valid_disconnect_params_build_a_valid_flow(
    queue: str, seconds: int, prompt: str | None, timeout: str
) -> None:
    params = DisconnectFlowParams(
        queue_arn=queue, wait_seconds=seconds, continue_message=prompt, timeout_message=timeout
    )

    document = build_disconnect_flow(params)

    assert validate_flow(document) == []
    assert document["Actions"][1]["Parameters"]["TimeLimitSeconds"] == str(seconds)
