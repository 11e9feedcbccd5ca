"""Chat timeouts as synthesized: the settings the function gets, and its extra permission only when on."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lambdas.start_chat import environment

from .conftest import EXISTING_INSTANCE_WITH_TIMEOUTS, INSTANCE_ARN, Synthesized

pytestmark = pytest.mark.infra


def _connect_statements(synth: Synthesized) -> list[dict[str, Any]]:
    return [s for s in synth.policy_statements() if "connect:" in json.dumps(s.get("Action"))]


def test_timeouts_reach_the_function_and_it_may_set_them_on_the_instances_contacts(synth: Any) -> None:
    # Given a deployment with three of the four timers on
    synthesized: Synthesized = synth(EXISTING_INSTANCE_WITH_TIMEOUTS)
    # Then the function's environment carries them (the fourth empty: off)
    env = synthesized.only("AWS::Lambda::Function")["Properties"]["Environment"]["Variables"]
    assert env[environment.ENV_CUSTOMER_IDLE_MINUTES] == "5"
    assert env[environment.ENV_CUSTOMER_AUTO_DISCONNECT_MINUTES] == "10"
    assert env[environment.ENV_AGENT_IDLE_MINUTES] == "480"
    assert env[environment.ENV_AGENT_AUTO_DISCONNECT_MINUTES] == ""
    # And it may call UpdateParticipantRoleConfig on the contacts of that one instance, nothing more
    timeouts = [s for s in _connect_statements(synthesized) if s.get("Sid") == "SetChatTimeouts"]
    assert timeouts == [
        {
            "Action": "connect:UpdateParticipantRoleConfig",
            "Effect": "Allow",
            "Resource": f"{INSTANCE_ARN}/contact/*",
            "Sid": "SetChatTimeouts",
        }
    ]


@pytest.mark.parametrize("fixture", ["new_instance", "existing_instance"])
def test_without_timeouts_the_function_may_not_set_them(fixture: str, request: pytest.FixtureRequest) -> None:
    synthesized: Synthesized = request.getfixturevalue(fixture)
    actions = json.dumps(_connect_statements(synthesized))
    assert "UpdateParticipantRoleConfig" not in actions
    env = synthesized.resources("AWS::Lambda::Function")
    for function in env.values():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        if environment.ENV_CUSTOMER_IDLE_MINUTES in variables:
            assert variables[environment.ENV_CUSTOMER_IDLE_MINUTES] == ""
