"""Flows on a manual clock, and the queue/agent API (offers, accept, reject, missed, leave, clear)."""

from __future__ import annotations

import logging

import pytest
from sandbox_helpers import (
    accept,
    advance,
    agent_api,
    agent_state,
    connect_client,
    contact_state,
    customer,
    login_agent,
)

from flows.params import DEFAULT_TIMEOUT_MESSAGE, default_continue_message
from sandbox.agents.routing import OFFER_SECONDS
from sandbox.config import DEFAULT_GREETING
from sandbox.web.http import MAX_BODY_BYTES

pytestmark = pytest.mark.sandbox


def offered(server, agent_id):
    return [c for c in agent_state(server, agent_id)["contacts"] if c["state"] == "OFFERED"]


def test_inbound_flow_greets_and_queues(clocked_server):
    started, person = customer(clocked_server)
    sock = person.sockets[0]
    sock.joined("CUSTOMER")
    greeting = sock.message(role="SYSTEM")
    assert greeting["Content"] == DEFAULT_GREETING
    assert greeting["DisplayName"] == "SYSTEM_MESSAGE"
    assert contact_state(clocked_server, started["ContactId"]) == "QUEUED"


def test_agent_accepts_sees_history_and_both_sides_talk(clocked_server):
    started, person = customer(clocked_server)
    person.send("anyone there?")
    agent_id = login_agent(clocked_server)
    offer = offered(clocked_server, agent_id)
    assert [o["contactId"] for o in offer] == [started["ContactId"]]
    assert offer[0]["customerName"] == "Ann"
    # When
    agent = accept(clocked_server, agent_id, started["ContactId"])
    # Then
    joined = person.sockets[0].joined("AGENT")
    assert joined["DisplayName"] == "Alex"
    history = [i.get("Content") for i in agent.transcript(MaxResults=100)["Transcript"]]
    assert "anyone there?" in history and DEFAULT_GREETING in history
    agent.send("Hi Ann, Alex here")
    person.sockets[0].message("Hi Ann, Alex here", role="AGENT")
    agent.sockets[0].message("Hi Ann, Alex here")  # the sender gets its own echo
    person.send("thanks")
    agent.sockets[0].message("thanks", role="CUSTOMER")
    agent.send_event("application/vnd.amazonaws.connect.event.typing")
    assert person.sockets[0].event("typing")["ParticipantRole"] == "AGENT"
    assert agent_state(clocked_server, agent_id)["contacts"][0]["state"] == "CONNECTED"


def test_agent_leaves_then_customer_returns_and_is_offered_again(clocked_server, manual_clock):
    started, person = customer(clocked_server)
    agent_id = login_agent(clocked_server)
    agent = accept(clocked_server, agent_id, started["ContactId"])
    # When the agent leaves
    agent.disconnect()
    # Then the disconnect flow speaks, and the agent is in after-contact work
    wait = clocked_server.sandbox.config.disconnect_wait_seconds
    person.sockets[0].message(default_continue_message(wait), role="SYSTEM")
    assert agent_state(clocked_server, agent_id)["contacts"][0]["state"] == "AFTER_CONTACT_WORK"
    assert contact_state(clocked_server, started["ContactId"]) == "IN_FLOW"
    advance(clocked_server, manual_clock, wait - 1)
    # When the customer comes back within the wait
    person.send("I'm back")
    # Then the chat is queued and offered again (to the agent once they clear the old contact)
    assert contact_state(clocked_server, started["ContactId"]) == "QUEUED"
    api = agent_api(clocked_server)
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/clear").status_code == 200
    assert [o["contactId"] for o in offered(clocked_server, agent_id)] == [started["ContactId"]]
    advance(clocked_server, manual_clock, 10)  # the old wait's timer must not fire any more
    assert contact_state(clocked_server, started["ContactId"]) == "QUEUED"


def test_wait_elapses_timeout_message_and_chat_ends(clocked_server, manual_clock):
    started, person = customer(clocked_server)
    agent_id = login_agent(clocked_server)
    accept(clocked_server, agent_id, started["ContactId"]).disconnect()
    wait = clocked_server.sandbox.config.disconnect_wait_seconds
    advance(clocked_server, manual_clock, wait)
    person.sockets[0].message(DEFAULT_TIMEOUT_MESSAGE, role="SYSTEM")
    person.sockets[0].event("chat.ended")
    assert contact_state(clocked_server, started["ContactId"]) == "ENDED"


def disconnect_reason(server, contact_id):
    """DescribeContact's DisconnectReason, as a boto3 client sees it (None while the chat is on)."""
    described = connect_client(server).describe_contact(
        InstanceId=server.sandbox.config.instance_id, ContactId=contact_id
    )["Contact"]
    return described.get("DisconnectReason")


def test_chat_duration_limit_ends_the_chat(clocked_server, manual_clock):
    server = clocked_server
    started, person = customer(server, ChatDurationInMinutes=60)
    # Given a 60-minute chat, one second before the limit it is still waiting in the queue
    advance(server, manual_clock, 60 * 60 - 1)
    assert contact_state(server, started["ContactId"]) == "QUEUED"
    assert disconnect_reason(server, started["ContactId"]) is None
    # When the last second passes, the chat ends, and Connect says why: the duration expired
    advance(server, manual_clock, 1)
    person.sockets[0].event("chat.ended")
    assert contact_state(server, started["ContactId"]) == "ENDED"
    assert disconnect_reason(server, started["ContactId"]) == "EXPIRED"


def test_chat_duration_limit_includes_the_disconnect_wait(make_server, manual_clock):
    server = make_server(clock=manual_clock, disconnect_wait_seconds=7200)
    started, person = customer(server, ChatDurationInMinutes=60)
    agent_id = login_agent(server)
    accept(server, agent_id, started["ContactId"]).disconnect()
    advance(server, manual_clock, 3600 - 1)
    assert disconnect_reason(server, started["ContactId"]) is None
    advance(server, manual_clock, 1)
    person.sockets[0].event("chat.ended")
    assert disconnect_reason(server, started["ContactId"]) == "EXPIRED"


def test_customer_must_connect_within_five_minutes(clocked_server, manual_clock):
    from sandbox_helpers import start_chat

    started = start_chat(clocked_server)
    advance(clocked_server, manual_clock, 301)
    assert contact_state(clocked_server, started["ContactId"]) == "ENDED"


def test_missed_offer_occupies_a_slot_and_goes_to_another_agent(clocked_server, manual_clock):
    started, _ = customer(clocked_server)
    first = login_agent(clocked_server, "First")
    assert offered(clocked_server, first)
    second = login_agent(clocked_server, "Second", concurrency=1)
    advance(clocked_server, manual_clock, OFFER_SECONDS)
    missed = agent_state(clocked_server, first)
    assert missed["contacts"][0]["state"] == "MISSED"
    assert missed["routable"] is False
    assert [o["contactId"] for o in offered(clocked_server, second)] == [started["ContactId"]]
    advance(clocked_server, manual_clock, 5)
    assert agent_state(clocked_server, first)["contacts"][0]["missedSecondsAgo"] == 5
    # A new chat is not routed to the agent with a missed contact
    started2, _ = customer(clocked_server, name="Cy")
    assert not [
        c for c in agent_state(clocked_server, first)["contacts"] if c["contactId"] == started2["ContactId"]
    ]
    assert (
        agent_api(clocked_server)
        .post(f"/sandbox/agents/{first}/contacts/{started['ContactId']}/clear")
        .status_code
        == 200
    )
    assert [o["contactId"] for o in offered(clocked_server, first)] == [started2["ContactId"]]


def test_reject_sends_the_contact_to_another_agent(clocked_server):
    started, _ = customer(clocked_server)
    first = login_agent(clocked_server, "First")
    second = login_agent(clocked_server, "Second")
    api = agent_api(clocked_server)
    assert api.post(f"/sandbox/agents/{first}/contacts/{started['ContactId']}/reject").status_code == 200
    assert [o["contactId"] for o in offered(clocked_server, second)] == [started["ContactId"]]
    assert not agent_state(clocked_server, first)["contacts"]


def test_only_available_agents_get_offers_and_concurrency_is_respected(clocked_server):
    agent_id = login_agent(clocked_server, concurrency=1)
    api = agent_api(clocked_server)
    assert api.put(f"/sandbox/agents/{agent_id}/status", json={"status": "Break"}).status_code == 200
    started, _ = customer(clocked_server)
    assert not offered(clocked_server, agent_id)
    api.put(f"/sandbox/agents/{agent_id}/status", json={"status": "Available"})
    accept(clocked_server, agent_id, started["ContactId"])
    customer(clocked_server, name="Second")
    assert len(agent_state(clocked_server, agent_id)["contacts"]) == 1


def test_agent_api_errors(clocked_server):
    api = agent_api(clocked_server)
    assert api.post("/sandbox/agents", json={"name": "X", "concurrency": 11}).status_code == 400
    bad_json = api.post("/sandbox/agents", content=b"{bad")
    assert bad_json.status_code == 400
    assert bad_json.json()["error"]["code"] == "InvalidJson"
    assert api.get("/sandbox/agents/nope").status_code == 404
    agent_id = login_agent(clocked_server)
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/nope/accept").status_code == 404
    started, _ = customer(clocked_server)
    accept(clocked_server, agent_id, started["ContactId"])
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/accept").status_code == 409
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/clear").status_code == 409
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/leave").status_code == 200
    assert api.post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/clear").status_code == 200
    assert api.delete(f"/sandbox/agents/{agent_id}").status_code == 200
    assert api.get("/sandbox/agents").json() == {"agents": []}


def test_agent_api_refuses_a_body_over_the_size_limit(clocked_server):
    # The agent API reads bodies with the same limit as the AWS APIs: a huge body is not buffered.
    too_big = b'{"name": "' + b"x" * (MAX_BODY_BYTES + 1) + b'"}'
    answer = agent_api(clocked_server).post("/sandbox/agents", content=too_big)
    assert answer.status_code == 400
    assert answer.json()["error"] == {"code": "InvalidJson", "message": "The request body is too large"}
    assert agent_api(clocked_server).get("/sandbox/agents").json() == {"agents": []}


def test_customer_leaving_puts_the_agent_in_after_contact_work(clocked_server):
    started, person = customer(clocked_server)
    agent_id = login_agent(clocked_server)
    agent = accept(clocked_server, agent_id, started["ContactId"])
    person.disconnect()
    agent.sockets[0].event("chat.ended")
    assert agent_state(clocked_server, agent_id)["contacts"][0]["state"] == "AFTER_CONTACT_WORK"


def test_queue_at_capacity_takes_the_error_branch(make_server):
    server = make_server(queue_capacity=0)
    _started, person = customer(server)
    apology = person.sockets[0].message(role="SYSTEM")
    assert apology["Content"] == DEFAULT_GREETING
    person.sockets[0].item(lambda i: i.get("ParticipantRole") == "SYSTEM" and "Sorry" in i.get("Content", ""))
    person.sockets[0].event("chat.ended")


def test_closed_hours_say_so_and_end_the_chat(make_server):
    server = make_server(open_hours=((0, 0, 0),))  # open zero minutes a week
    _, person = customer(server)
    person.sockets[0].item(
        lambda i: i.get("ParticipantRole") == "SYSTEM" and "closed" in i.get("Content", "")
    )
    person.sockets[0].event("chat.ended")


def test_unsupported_action_takes_its_error_branch_with_a_log_line(clocked_server, caplog):
    sandbox = clocked_server.sandbox
    flow = {
        "Version": "2019-10-30",
        "StartAction": "lambda",
        "Actions": [
            {
                "Identifier": "lambda",
                "Type": "InvokeLambdaFunction",
                "Parameters": {"LambdaFunctionARN": "arn:aws:lambda:us-east-1:1:function:f"},
                "Transitions": {
                    "NextAction": "bye",
                    "Errors": [{"NextAction": "oops", "ErrorType": "NoMatchingError"}],
                },
            },
            {
                "Identifier": "oops",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "error branch"},
                "Transitions": {"NextAction": "end", "Errors": []},
            },
            {
                "Identifier": "bye",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "success branch"},
                "Transitions": {"NextAction": "end", "Errors": []},
            },
            {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }
    sandbox.flows.flows[sandbox.config.contact_flow_id] = flow
    with caplog.at_level(logging.WARNING, logger="sandbox.flow_runtime.flow_engine"):
        _, person = customer(clocked_server)
        person.sockets[0].message("error branch", role="SYSTEM")
        person.sockets[0].event("chat.ended")
    assert any(
        "InvokeLambdaFunction" in r.getMessage() and "not supported" in r.getMessage() for r in caplog.records
    )


def test_demo_agent_accepts_and_answers(make_server):
    server = make_server(demo_agent=True)
    _, person = customer(server)
    sock = person.sockets[0]
    joined = sock.item(
        lambda i: i["ContentType"].endswith("participant.joined") and i.get("ParticipantRole") == "AGENT"
    )
    assert "demo" in joined["DisplayName"].lower()
    sock.message(role="AGENT")
    person.send("hello demo")
    reply = sock.item(lambda i: i.get("ParticipantRole") == "AGENT" and "hello demo" in i.get("Content", ""))
    assert "demo agent" in reply["Content"]
