"""The start-chat function sets the deployment's chat timeouts on each chat it starts."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from lambdas.start_chat.chat_timeouts import ChatTimeouts

from .conftest import CONNECT_ANSWER, INSTANCE_ID, MINIMAL_BODY, SITE, EventFactory, Handle, ReadOutput, body
from .conftest import expected_params as start_params

pytestmark = pytest.mark.handler


def timers_params(*timers: tuple[str, str, int]) -> dict[str, Any]:
    """UpdateParticipantRoleConfig parameters for the new contact."""
    return {
        "InstanceId": INSTANCE_ID,
        "ContactId": CONNECT_ANSWER["ContactId"],
        "ChannelConfiguration": {
            "Chat": {
                "ParticipantTimerConfigList": [
                    {
                        "ParticipantRole": role,
                        "TimerType": kind,
                        "TimerValue": {"ParticipantTimerDurationInMinutes": minutes},
                    }
                    for role, kind, minutes in timers
                ]
            }
        },
    }


def test_configured_timeouts_are_set_right_after_the_start(
    event: EventFactory, handle: Handle, connect_stub: Stubber, deployment: dict[str, Any]
) -> None:
    # Given a deployment with a customer idle timeout and an agent auto-disconnect
    deployment["chat_timeouts"] = ChatTimeouts(customer_idle_minutes=5, agent_auto_disconnect_minutes=30)
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, start_params())
    connect_stub.add_response(
        "update_participant_role_config",
        {},
        timers_params(("CUSTOMER", "IDLE", 5), ("AGENT", "DISCONNECT_NONCUSTOMER", 30)),
    )
    # When a chat starts
    response = handle(event(body=MINIMAL_BODY, origin=SITE))
    # Then it started, and the stub saw both calls (the fixture checks none is left over)
    assert response["statusCode"] == 200


def test_no_timeouts_configured_means_no_call(
    event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, start_params())
    # When a chat starts with the default deployment, only StartChatContact is called (Stubber refuses others)
    assert handle(event(body=MINIMAL_BODY, origin=SITE))["statusCode"] == 200


def test_a_failure_setting_timeouts_does_not_fail_the_chat(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    deployment: dict[str, Any],
    captured_output: ReadOutput,
) -> None:
    deployment["chat_timeouts"] = ChatTimeouts(agent_idle_minutes=10)
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, start_params())
    connect_stub.add_client_error(
        "update_participant_role_config",
        service_error_code="AccessDeniedException",
        service_message="User is not authorized",
        http_status_code=403,
    )
    # When a chat starts and Connect refuses the timers
    response = handle(event(body=MINIMAL_BODY, origin=SITE))
    # Then the customer still gets the chat, and a warning names the error, not the chat's content
    assert response["statusCode"] == 200
    assert body(response)["data"]["startChatResult"] == CONNECT_ANSWER
    output = captured_output()
    warnings = [line for line in output.log_lines if line.get("connect_error") == "AccessDeniedException"]
    assert len(warnings) == 1
    assert warnings[0]["level"] == "WARNING"
    assert CONNECT_ANSWER["ParticipantToken"] not in str(output.log_lines)
    assert "ChatTimeoutsNotSet" in output.metric_names()
