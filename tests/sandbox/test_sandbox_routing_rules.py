"""The routing rules of the agent side (agent-chat-rules.md), each on the manual clock, over HTTP."""

from __future__ import annotations

import pytest
from sandbox_helpers import (
    accept,
    agent_api,
    agent_state,
    contact_state,
    customer,
    login_agent,
    move_clock,
    states,
)

from sandbox.agents.routing import OFFER_SECONDS

pytestmark = pytest.mark.sandbox


def set_status(server, agent_id, status):
    return agent_api(server).put(f"/sandbox/agents/{agent_id}/status", json={"status": status})


def act(server, agent_id, contact_id, action):
    return agent_api(server).post(f"/sandbox/agents/{agent_id}/contacts/{contact_id}/{action}")


@pytest.mark.parametrize("status", ["available", "AVAILABLE", "Away", "", None, 1])
def test_status_is_a_closed_set_with_a_clear_message(clocked_server, status):
    agent_id = login_agent(clocked_server)
    answer = set_status(clocked_server, agent_id, status)
    assert answer.status_code == 400
    assert "Available, Break, Offline" in answer.json()["error"]["message"]
    assert agent_state(clocked_server, agent_id)["status"] == "Available"
    login = agent_api(clocked_server).post("/sandbox/agents", json={"name": "X", "status": status})
    assert login.status_code == 400


def test_concurrency_is_bounded_by_the_routing_profile(make_server):
    server = make_server(chat_concurrency=3)
    api = agent_api(server)
    refused = api.post("/sandbox/agents", json={"name": "X", "concurrency": 4})
    assert refused.status_code == 400
    assert "3" in refused.json()["error"]["message"]
    assert api.post("/sandbox/agents", json={"name": "X", "concurrency": 0}).status_code == 400
    default = api.post("/sandbox/agents", json={"name": "Y"}).json()
    assert default["capacity"] == 3


@pytest.mark.parametrize("status", ["Break", "Offline"])
def test_only_available_agents_are_offered_contacts(clocked_server, status):
    agent_id = login_agent(clocked_server)
    set_status(clocked_server, agent_id, status)
    started, _ = customer(clocked_server)
    assert agent_state(clocked_server, agent_id)["contacts"] == []
    set_status(clocked_server, agent_id, "Available")
    assert states(agent_state(clocked_server, agent_id)) == {started["ContactId"]: "OFFERED"}


def test_with_every_slot_occupied_nothing_more_is_routed(clocked_server):
    agent_id = login_agent(clocked_server, concurrency=2)
    first, _ = customer(clocked_server, name="One")
    second, _ = customer(clocked_server, name="Two")
    third, _ = customer(clocked_server, name="Three")
    held = agent_state(clocked_server, agent_id)
    assert set(states(held)) == {first["ContactId"], second["ContactId"]}
    assert held["slotsAvailable"] == 0
    assert contact_state(clocked_server, third["ContactId"]) == "QUEUED"


def test_a_rejection_is_remembered_for_that_agent_and_contact(clocked_server):
    started, _ = customer(clocked_server)
    contact_id = started["ContactId"]
    first = login_agent(clocked_server, "First")
    second = login_agent(clocked_server, "Second")
    assert act(clocked_server, first, contact_id, "reject").status_code == 200
    assert states(agent_state(clocked_server, second)) == {contact_id: "OFFERED"}
    assert act(clocked_server, second, contact_id, "reject").status_code == 200
    # When every agent changes status, the rejections still hold: the chat waits for someone else
    for agent_id in (first, second):
        set_status(clocked_server, agent_id, "Break")
        set_status(clocked_server, agent_id, "Available")
    assert agent_state(clocked_server, first)["contacts"] == []
    assert agent_state(clocked_server, second)["contacts"] == []
    assert contact_state(clocked_server, contact_id) == "QUEUED"
    # Other contacts still reach the agents who rejected this one
    other, _ = customer(clocked_server, name="Bo")
    assert other["ContactId"] in states(agent_state(clocked_server, first)) | states(
        agent_state(clocked_server, second)
    )
    third = login_agent(clocked_server, "Third")
    assert contact_id in states(agent_state(clocked_server, third))


def test_a_missed_chat_holds_a_slot_until_cleared_and_goes_to_another_agent(clocked_server):
    started, _ = customer(clocked_server)
    contact_id = started["ContactId"]
    first = login_agent(clocked_server, "First", concurrency=2)
    second = login_agent(clocked_server, "Second", concurrency=1)
    move_clock(clocked_server, OFFER_SECONDS)
    missed = agent_state(clocked_server, first)
    assert states(missed) == {contact_id: "MISSED"} and missed["slotsAvailable"] == 0
    assert states(agent_state(clocked_server, second)) == {contact_id: "OFFERED"}
    # A new chat goes to the other agent, though the first has a free slot: the miss blocks routing
    accept(clocked_server, second, contact_id)
    other, _ = customer(clocked_server, name="Bo")
    assert other["ContactId"] not in states(agent_state(clocked_server, first))
    assert act(clocked_server, first, contact_id, "clear").status_code == 200
    assert states(agent_state(clocked_server, first)) == {other["ContactId"]: "OFFERED"}


def test_ending_the_chat_is_after_contact_work_until_cleared(clocked_server):
    agent_id = login_agent(clocked_server, concurrency=1)
    started, person = customer(clocked_server)
    contact_id = started["ContactId"]
    accept(clocked_server, agent_id, contact_id)
    waiting, _ = customer(clocked_server, name="Bo")
    # When the agent ends the chat (leaves), the slot stays taken by after-contact work
    assert act(clocked_server, agent_id, contact_id, "leave").status_code == 200
    assert states(agent_state(clocked_server, agent_id)) == {contact_id: "AFTER_CONTACT_WORK"}
    move_clock(clocked_server, 3600)
    assert states(agent_state(clocked_server, agent_id)) == {contact_id: "AFTER_CONTACT_WORK"}
    # When it is cleared, the slot is free and the waiting chat is offered
    assert act(clocked_server, agent_id, contact_id, "clear").status_code == 200
    assert states(agent_state(clocked_server, agent_id)) == {waiting["ContactId"]: "OFFERED"}
    person.close()


def test_the_demo_agent_takes_only_what_no_person_can(make_server):
    server = make_server(demo_agent=True)
    demo_id = server.run(lambda: server.sandbox.demo_agent.agent.id)
    person_id = login_agent(server, "Pat", concurrency=1)

    def names(agent_id):
        return {c["customerName"] for c in agent_state(server, agent_id)["contacts"]}

    # A chat goes to the person, not to the demo agent
    first, ann = customer(server, name="Ann")
    assert states(agent_state(server, person_id)) == {first["ContactId"]: "OFFERED"}
    assert names(demo_id) == set()
    # Once the person has rejected it, the demo agent takes it
    act(server, person_id, first["ContactId"], "reject")
    ann.sockets[0].joined("AGENT")
    assert names(demo_id) == {"Ann"}
    # The next chat is the person's again; with the person's one slot taken, the demo agent's
    customer(server, name="Cy")
    assert names(person_id) == {"Cy"}
    _, dee = customer(server, name="Dee")
    dee.sockets[0].joined("AGENT")
    assert names(demo_id) == {"Ann", "Dee"}
