"""The agent event stream (`GET /sandbox/agents/{id}/events`): pushed snapshots, over real HTTP."""

from __future__ import annotations

from datetime import datetime

import pytest
from sandbox_helpers import (
    WAIT,
    AgentStream,
    accept,
    agent_api,
    customer,
    login_agent,
    move_clock,
    states,
    wait_until,
)

from sandbox.agents.events import MAX_SUBSCRIBERS_PER_AGENT
from sandbox.agents.routing import OFFER_SECONDS

pytestmark = pytest.mark.sandbox


def seconds_between(earlier: str, later: str) -> float:
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(later) - parse(earlier)).total_seconds()


def test_the_stream_opens_with_the_snapshot_and_the_sandbox_time(clocked_server, manual_clock):
    agent_id = login_agent(clocked_server, concurrency=3)
    stream = AgentStream(clocked_server, agent_id)
    assert stream.response.headers["content-type"].startswith("text/event-stream")
    name, snapshot = stream.next_event()
    assert name == "agent"
    assert snapshot == {
        **agent_api(clocked_server).get(f"/sandbox/agents/{agent_id}").json(),
        "now": snapshot["now"],
    }
    assert snapshot["capacity"] == 3 and snapshot["slotsAvailable"] == 3
    assert datetime.fromisoformat(snapshot["now"].replace("Z", "+00:00")).timestamp() == manual_clock.now()
    stream.close()


def test_an_offer_is_pushed_with_what_the_page_shows(clocked_server):
    # Given an agent watching its stream
    agent_id = login_agent(clocked_server, concurrency=2)
    stream = AgentStream(clocked_server, agent_id)
    stream.next_event()
    # When a chat with the customer's name as an attribute is queued
    started, _ = customer(clocked_server, name="Ann", Attributes={"customerName": "Ann"})
    # Then the offer arrives with its countdown's end and the contact's details
    snapshot = stream.until(lambda s: s["contacts"])
    (offer,) = snapshot["contacts"]
    assert offer["contactId"] == started["ContactId"] and offer["state"] == "OFFERED"
    assert offer["customerName"] == "Ann"
    assert offer["attributes"] == {"customerName": "Ann"}
    assert offer["initiationMethod"] == "API"
    assert offer["queue"] == "BasicQueue"
    assert seconds_between(offer["since"], offer["offerExpiresAt"]) == OFFER_SECONDS
    assert seconds_between(offer["connectedToSystemAt"], snapshot["now"]) >= 0
    assert snapshot["slotsAvailable"] == 1
    stream.close()


def test_miss_accept_leave_and_clear_are_each_pushed(clocked_server):
    first = login_agent(clocked_server, "First", concurrency=2)
    watch = AgentStream(clocked_server, first)
    watch.next_event()
    started, person = customer(clocked_server)
    contact_id = started["ContactId"]
    watch.until(lambda s: states(s) == {contact_id: "OFFERED"})
    # When 20 s pass on the sandbox clock, moved over HTTP
    assert move_clock(clocked_server, OFFER_SECONDS).status_code == 200
    missed = watch.until(lambda s: states(s) == {contact_id: "MISSED"})
    assert missed["contacts"][0]["missedSecondsAgo"] == 0
    assert missed["contacts"][0]["missedAt"] == missed["now"]
    assert missed["slotsAvailable"] == 0 and missed["routable"] is False
    # Then a clock advance alone is pushed too (the page's "missed N s ago" follows it)
    move_clock(clocked_server, 5)
    later = watch.until(lambda s: s["contacts"][0].get("missedSecondsAgo") == 5)
    assert seconds_between(missed["now"], later["now"]) == 5
    # When the agent clears the missed chat, is offered it again and accepts it
    api = agent_api(clocked_server)
    assert api.post(f"/sandbox/agents/{first}/contacts/{contact_id}/clear").status_code == 200
    watch.until(lambda s: states(s) == {contact_id: "OFFERED"})
    agent = accept(clocked_server, first, contact_id)
    connected = watch.until(lambda s: states(s) == {contact_id: "CONNECTED"})
    assert connected["contacts"][0]["participantId"]
    # When the customer leaves, the chat is in after-contact work until cleared
    person.disconnect()
    acw = watch.until(lambda s: states(s) == {contact_id: "AFTER_CONTACT_WORK"})
    assert acw["contacts"][0]["acwSince"] == acw["contacts"][0]["since"]
    api.post(f"/sandbox/agents/{first}/contacts/{contact_id}/clear")
    assert watch.until(lambda s: not s["contacts"])["slotsAvailable"] == 2
    agent.close()
    watch.close()


def test_status_changes_and_logout_are_pushed_and_logout_ends_the_stream(clocked_server):
    agent_id = login_agent(clocked_server)
    stream = AgentStream(clocked_server, agent_id)
    stream.next_event()
    api = agent_api(clocked_server)
    api.put(f"/sandbox/agents/{agent_id}/status", json={"status": "Break"})
    assert stream.until(lambda s: True)["status"] == "Break"
    api.delete(f"/sandbox/agents/{agent_id}")
    final = stream.until(lambda s: True)
    assert final["loggedOut"] is True and final["status"] == "Offline" and final["contacts"] == []
    with pytest.raises(AssertionError, match="ended"):
        stream.next_event()
    stream.close()


def test_a_burst_of_changes_arrives_as_its_latest_snapshot(clocked_server):
    agent_id = login_agent(clocked_server)
    stream = AgentStream(clocked_server, agent_id)
    stream.next_event()
    routing = clocked_server.sandbox.routing

    def burst() -> None:
        for status in ("Break", "Available", "Break", "Offline"):
            routing.set_status(agent_id, status)

    # When four status changes happen in one turn of the loop, then one more
    clocked_server.run(burst)
    agent_api(clocked_server).put(f"/sandbox/agents/{agent_id}/status", json={"status": "Available"})
    # Then the stream carries the burst's end state once, then the next change
    assert [stream.next_event()[1]["status"] for _ in range(2)] == ["Offline", "Available"]
    stream.close()


def test_streams_per_agent_are_capped_and_unknown_agents_refused(clocked_server):
    agent_id = login_agent(clocked_server)
    streams = [AgentStream(clocked_server, agent_id) for _ in range(MAX_SUBSCRIBERS_PER_AGENT)]
    for stream in streams:
        stream.next_event()
    refused = agent_api(clocked_server).get(f"/sandbox/agents/{agent_id}/events")
    assert refused.status_code == 429
    assert agent_api(clocked_server).get("/sandbox/agents/nope/events").status_code == 404
    streams.pop().close()
    # A closed stream frees its place once the server has noticed the disconnect
    events = clocked_server.sandbox.agent_events
    wait_until(lambda: clocked_server.run(lambda: len(events.subscribers[agent_id])) < len(streams) + 1)
    reopened = AgentStream(clocked_server, agent_id)
    assert reopened.next_event()[0] == "agent"
    reopened.close()
    for stream in streams:
        stream.close()


def test_an_open_stream_does_not_keep_the_server_from_stopping(make_server):
    server = make_server()
    agent_id = login_agent(server)
    stream = AgentStream(server, agent_id)
    stream.next_event()
    server.stop(timeout=WAIT)
    assert not server.thread.is_alive()
    stream.close()
