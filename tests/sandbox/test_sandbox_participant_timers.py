"""Chat timeouts: UpdateParticipantRoleConfig through boto3 `connect`, and the timers on the manual clock."""

from __future__ import annotations

import json
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from sandbox_helpers import (
    Participant,
    accept,
    advance,
    agent_api,
    agent_state,
    connect_client,
    contact_state,
    customer,
    login_agent,
)

from flows.params import default_continue_message
from sandbox.config import SandboxConfig
from sandbox.contacts.model import Role

pytestmark = pytest.mark.sandbox

IDLE = "participant.idle"
RETURNED = "participant.returned"
AUTO_DISCONNECTION = "participant.autodisconnection"
TYPING = "application/vnd.amazonaws.connect.event.typing"
TIMEOUT_FIELDS = (
    "customer_idle_minutes",
    "customer_auto_disconnect_minutes",
    "agent_idle_minutes",
    "agent_auto_disconnect_minutes",
)


def timer(role: str, kind: str, minutes: int | None = None) -> dict[str, Any]:
    """One ParticipantTimerConfiguration; no minutes means Unset."""
    value = {"ParticipantTimerDurationInMinutes": minutes} if minutes else {"ParticipantTimerAction": "Unset"}
    return {"ParticipantRole": role, "TimerType": kind, "TimerValue": value}


def set_timers(server, contact_id: str, *timers: dict[str, Any], client: Any = None) -> dict[str, Any]:
    client = client or connect_client(server)
    return dict(
        client.update_participant_role_config(
            InstanceId=server.sandbox.config.instance_id,
            ContactId=contact_id,
            ChannelConfiguration={"Chat": {"ParticipantTimerConfigList": list(timers)}},
        )
    )


def unvalidated_connect(server):
    """A client that sends what botocore would refuse, so the sandbox's own checks answer."""
    config = Config(parameter_validation=False, retries={"max_attempts": 1})
    return boto3.client("connect", endpoint_url=f"{server.url}/connect", config=config)


def pushed(socket, sender, kind: str) -> list[dict[str, Any]]:
    """Items of that event kind pushed to `socket` so far.

    `sender` sends a typing event (which resets no timer) and we read up to it: the socket delivers
    in order, so anything pushed before it has arrived by then.
    """
    sent = sender.send_event(TYPING)
    socket.item(lambda i: i.get("Id") == sent["Id"])
    items = [json.loads(f["content"]) for f in socket.frames if f.get("topic") == "aws/chat"]
    return [i for i in items if i["ContentType"].endswith(kind)]


def chat_with_agent(server, *timers: dict[str, Any]):
    started, person = customer(server)
    set_timers(server, started["ContactId"], *timers)
    agent_id = login_agent(server)
    agent = accept(server, agent_id, started["ContactId"])
    person.sockets[0].joined("AGENT")
    return started, person, agent, agent_id


# The API ---------------------------------------------------------------------------------------


def test_update_participant_role_config_answers_200_with_an_empty_body(clocked_server):
    started, _ = customer(clocked_server, socket=False)
    answer = set_timers(clocked_server, started["ContactId"], timer("CUSTOMER", "IDLE", 2))
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(answer) == {"ResponseMetadata"}


@pytest.mark.parametrize(
    ("configuration", "code"),
    [
        (
            {"Chat": {"ParticipantTimerConfigList": [timer("CUSTOMER", "IDLE", 1)]}},
            "InvalidParameterException",
        ),
        (
            {"Chat": {"ParticipantTimerConfigList": [timer("AGENT", "IDLE", 481)]}},
            "InvalidParameterException",
        ),
        ({"Chat": {"ParticipantTimerConfigList": [timer("SYSTEM", "IDLE", 5)]}}, "InvalidParameterException"),
        (
            {"Chat": {"ParticipantTimerConfigList": [timer("AGENT", "SLEEPY", 5)]}},
            "InvalidParameterException",
        ),
        ({"Chat": {"ParticipantTimerConfigList": []}}, "InvalidParameterException"),
        ({}, "InvalidParameterException"),
        (
            {
                "Chat": {
                    "ParticipantTimerConfigList": [
                        {
                            "ParticipantRole": "AGENT",
                            "TimerType": "IDLE",
                            "TimerValue": {
                                "ParticipantTimerAction": "Unset",
                                "ParticipantTimerDurationInMinutes": 5,
                            },
                        }
                    ]
                }
            },
            "InvalidParameterException",
        ),
        (
            {"Chat": {"ParticipantTimerConfigList": [timer("AGENT", "IDLE", 5), timer("AGENT", "IDLE", 6)]}},
            "InvalidParameterException",
        ),
    ],
)
def test_update_participant_role_config_refuses_invalid_timers(clocked_server, configuration, code):
    started, _ = customer(clocked_server, socket=False)
    with pytest.raises(ClientError) as caught:
        unvalidated_connect(clocked_server).update_participant_role_config(
            InstanceId=clocked_server.sandbox.config.instance_id,
            ContactId=started["ContactId"],
            ChannelConfiguration=configuration,
        )
    assert caught.value.response["Error"]["Code"] == code
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_update_participant_role_config_unknown_contact_or_instance(clocked_server):
    started, _ = customer(clocked_server, socket=False)
    client = connect_client(clocked_server)
    for instance, contact in (
        ("other-instance", started["ContactId"]),
        (clocked_server.sandbox.config.instance_id, "nope"),
    ):
        with pytest.raises(ClientError) as caught:
            client.update_participant_role_config(
                InstanceId=instance,
                ContactId=contact,
                ChannelConfiguration={"Chat": {"ParticipantTimerConfigList": [timer("AGENT", "IDLE", 5)]}},
            )
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_update_participant_role_config_refuses_an_ended_contact(clocked_server):
    started, person = customer(clocked_server, socket=False)
    person.disconnect()
    with pytest.raises(ClientError) as caught:
        set_timers(clocked_server, started["ContactId"], timer("AGENT", "IDLE", 5))
    assert caught.value.response["Error"]["Code"] == "InvalidRequestException"


# The timers ------------------------------------------------------------------------------------


def test_customer_becomes_idle_after_the_configured_minutes(clocked_server, manual_clock):
    started, person, agent, _ = chat_with_agent(clocked_server, timer("CUSTOMER", "IDLE", 3))
    advance(clocked_server, manual_clock, 3 * 60 - 1)
    assert not pushed(agent.sockets[0], person, IDLE)
    # When the third minute ends
    advance(clocked_server, manual_clock, 1)
    # Then both sides hear that the customer is idle, and the transcript does not keep it
    for socket in (person.sockets[0], agent.sockets[0]):
        idle = socket.event(IDLE)
        assert idle["Type"] == "EVENT"
        assert (idle["ParticipantRole"], idle["ParticipantId"]) == (
            "CUSTOMER",
            person_id(clocked_server, started),
        )
        assert idle["DisplayName"] == "Ann"
    types = [item["ContentType"] for item in person.transcript()["Transcript"]]
    assert not [t for t in types if t.endswith(IDLE)]


def person_id(server, started) -> str:
    return server.run(lambda: server.sandbox.store.contacts[started["ContactId"]].customer.id)


def test_a_message_resets_the_timer_and_an_idle_participant_returns(clocked_server, manual_clock):
    _, person, agent, _ = chat_with_agent(clocked_server, timer("AGENT", "IDLE", 2))
    advance(clocked_server, manual_clock, 100)
    agent.send("Still there?")
    # Then the count starts again from that message
    advance(clocked_server, manual_clock, 100)
    assert not pushed(person.sockets[0], person, IDLE)
    advance(clocked_server, manual_clock, 20)
    assert person.sockets[0].event(IDLE)["ParticipantRole"] == "AGENT"
    # When the idle agent writes, they are back
    agent.send("Sorry, here")
    returned = person.sockets[0].event(RETURNED)
    assert (returned["ParticipantRole"], returned["Type"]) == ("AGENT", "EVENT")


def test_timers_do_not_run_before_an_agent_joins(clocked_server, manual_clock):
    started, person = customer(clocked_server)
    set_timers(clocked_server, started["ContactId"], timer("CUSTOMER", "IDLE", 2))
    # While queued, hours pass without an idle event
    advance(clocked_server, manual_clock, 3600)
    assert not pushed(person.sockets[0], person, IDLE)
    accept(clocked_server, login_agent(clocked_server), started["ContactId"])
    advance(clocked_server, manual_clock, 120)
    person.sockets[0].event(IDLE)


def test_auto_disconnect_removes_the_agent_and_runs_the_disconnect_flow(clocked_server, manual_clock):
    started, person, agent, agent_id = chat_with_agent(
        clocked_server, timer("CUSTOMER", "IDLE", 2), timer("CUSTOMER", "DISCONNECT_NONCUSTOMER", 5)
    )
    # The auto-disconnect timer starts only once the customer is idle
    advance(clocked_server, manual_clock, 2 * 60)
    person.sockets[0].event(IDLE)
    advance(clocked_server, manual_clock, 5 * 60 - 1)
    assert not pushed(person.sockets[0], person, AUTO_DISCONNECTION)
    advance(clocked_server, manual_clock, 1)
    # Then the agent is told, leaves, and the disconnect flow speaks to the customer
    assert agent.sockets[0].event(AUTO_DISCONNECTION)["ParticipantRole"] == "CUSTOMER"
    assert (
        person.sockets[0].item(lambda i: i["ContentType"].endswith("participant.left"))["ParticipantRole"]
        == "AGENT"
    )
    wait = clocked_server.sandbox.config.disconnect_wait_seconds
    person.sockets[0].message(default_continue_message(wait), role="SYSTEM")
    assert agent_state(clocked_server, agent_id)["contacts"][0]["state"] == "AFTER_CONTACT_WORK"
    assert contact_state(clocked_server, started["ContactId"]) == "IN_FLOW"


def test_a_single_auto_disconnect_timer_starts_at_once(clocked_server, manual_clock):
    _, person, _, _ = chat_with_agent(clocked_server, timer("AGENT", "DISCONNECT_NONCUSTOMER", 4))
    advance(clocked_server, manual_clock, 4 * 60)
    assert person.sockets[0].event(AUTO_DISCONNECTION)["ParticipantRole"] == "AGENT"
    assert not pushed(person.sockets[0], person, IDLE)


def test_unset_removes_a_timer(clocked_server, manual_clock):
    started, person = customer(clocked_server)
    set_timers(clocked_server, started["ContactId"], timer("CUSTOMER", "IDLE", 2), timer("AGENT", "IDLE", 3))
    set_timers(clocked_server, started["ContactId"], timer("CUSTOMER", "IDLE"))
    accept(clocked_server, login_agent(clocked_server), started["ContactId"])
    advance(clocked_server, manual_clock, 3 * 60)
    assert person.sockets[0].event(IDLE)["ParticipantRole"] == "AGENT"
    assert not [i for i in pushed(person.sockets[0], person, IDLE) if i["ParticipantRole"] == "CUSTOMER"]


def test_a_change_applies_when_the_next_agent_joins(clocked_server, manual_clock):
    started, person, agent, agent_id = chat_with_agent(clocked_server, timer("CUSTOMER", "IDLE", 10))
    # A change while connected is stored, not applied
    set_timers(clocked_server, started["ContactId"], timer("CUSTOMER", "IDLE", 2))
    advance(clocked_server, manual_clock, 5 * 60)
    assert not pushed(person.sockets[0], person, IDLE)
    # When the agent leaves, the customer returns and an agent joins again
    agent.disconnect()
    person.send("Hello again")
    api = agent_api(clocked_server)
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/clear").status_code == 200
    accept(clocked_server, agent_id, started["ContactId"])
    # Then the stored change applies
    advance(clocked_server, manual_clock, 2 * 60)
    person.sockets[0].event(IDLE)


def test_timers_stop_when_the_agent_leaves(clocked_server, manual_clock):
    _, person, agent, _ = chat_with_agent(clocked_server, timer("CUSTOMER", "IDLE", 2))
    agent.disconnect()
    advance(clocked_server, manual_clock, 3 * 60)
    assert not pushed(person.sockets[0], person, IDLE)


# The deployment's keys, through the real start-chat function --------------------------------------


def test_the_deployed_keys_reach_chats_through_the_start_chat_function(make_server, manual_clock):
    # Given a sandbox configured with the deployment's timeout keys (parsed as the stack parses them)
    config = SandboxConfig.from_values({"customerIdleMinutes": 3, "customerAutoDisconnectMinutes": 4})
    server = make_server(clock=manual_clock, **{k: getattr(config, k) for k in TIMEOUT_FIELDS})
    # When a website starts a chat through POST /chats (the real Lambda, then the sandbox's Connect API)
    answer = httpx.post(
        f"{server.url}/chats",
        json={"ParticipantDetails": {"DisplayName": "Ann"}},
        headers={"Origin": server.sandbox.config.base_url},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    started = answer.json()["data"]["startChatResult"]
    contact = server.sandbox.store.contacts[started["ContactId"]]
    # Then the chat holds the timers the function set, and they run once an agent joins
    assert server.run(lambda: server.sandbox.participant_timers.stored(contact)) == {
        (Role.CUSTOMER, "IDLE"): 3,
        (Role.CUSTOMER, "DISCONNECT_NONCUSTOMER"): 4,
    }
    person = Participant(server, started["ParticipantToken"])
    person.connect()
    person.open_socket()
    agent = accept(server, login_agent(server), started["ContactId"])
    advance(server, manual_clock, 3 * 60)
    assert agent.sockets[0].event(IDLE)["ParticipantRole"] == "CUSTOMER"
    advance(server, manual_clock, 4 * 60)
    agent.sockets[0].event(AUTO_DISCONNECTION)
