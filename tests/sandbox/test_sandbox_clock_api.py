"""`--manual-clock` and `POST /sandbox/clock`: time a person (or a page) can move, over real HTTP."""

from __future__ import annotations

import logging

import pytest
from sandbox_helpers import accept, agent_api, agent_state, customer, login_agent, move_clock

from flows.params import DEFAULT_TIMEOUT_MESSAGE, default_continue_message
from sandbox.__main__ import clock_for, parse_args
from sandbox.agents.routing import OFFER_SECONDS
from sandbox.clock import ManualClock, iso_ms
from sandbox.web.clock_route import MAX_ADVANCE_SECONDS

pytestmark = pytest.mark.sandbox


def test_the_flag_selects_the_manual_clock():
    assert isinstance(clock_for(parse_args(["--manual-clock"])), ManualClock)
    assert clock_for(parse_args([])) is None


def test_without_the_manual_clock_the_route_does_not_exist(server):
    assert move_clock(server, 5).status_code == 404
    assert agent_api(server).get("/sandbox/info").json()["manualClock"] is False


def test_advancing_answers_the_new_time_and_fires_due_timers(clocked_server, manual_clock):
    assert agent_api(clocked_server).get("/sandbox/info").json()["manualClock"] is True
    started, _ = customer(clocked_server)
    agent_id = login_agent(clocked_server)
    before = manual_clock.now()
    # When 19.5 s pass, the offer still stands; at 20 s it is missed
    answer = move_clock(clocked_server, OFFER_SECONDS - 0.5)
    assert answer.status_code == 200
    assert answer.json() == {"now": iso_ms(before + OFFER_SECONDS - 0.5)}
    assert agent_state(clocked_server, agent_id)["contacts"][0]["state"] == "OFFERED"
    move_clock(clocked_server, 0.5)
    assert agent_state(clocked_server, agent_id)["contacts"][0]["state"] == "MISSED"
    assert started["ContactId"] == agent_state(clocked_server, agent_id)["contacts"][0]["contactId"]


def test_the_disconnect_flow_wait_follows_the_clock(clocked_server):
    started, person = customer(clocked_server)
    agent_id = login_agent(clocked_server)
    accept(clocked_server, agent_id, started["ContactId"])
    agent_api(clocked_server).post(f"/sandbox/agents/{agent_id}/contacts/{started['ContactId']}/leave")
    wait = clocked_server.sandbox.config.disconnect_wait_seconds
    person.sockets[0].message(default_continue_message(wait), role="SYSTEM")
    assert move_clock(clocked_server, wait).status_code == 200
    person.sockets[0].message(DEFAULT_TIMEOUT_MESSAGE, role="SYSTEM")
    person.sockets[0].event("chat.ended")


def test_the_chat_duration_limit_follows_the_clock(clocked_server):
    _, person = customer(clocked_server)
    duration = clocked_server.sandbox.config.chat_duration_minutes * 60
    assert move_clock(clocked_server, duration).status_code == 200
    person.sockets[0].event("chat.ended")


@pytest.mark.parametrize(
    "body",
    [
        {"advanceSeconds": 0},
        {"advanceSeconds": -5},
        {"advanceSeconds": MAX_ADVANCE_SECONDS + 1},
        {"advanceSeconds": "10"},
        {"advanceSeconds": True},
        {"advance": 10},
        [10],
    ],
)
def test_bad_advances_are_refused_with_a_clear_message(clocked_server, manual_clock, body):
    before = manual_clock.now()
    answer = agent_api(clocked_server).post("/sandbox/clock", json=body)
    assert answer.status_code == 400
    assert "advanceSeconds" in answer.json()["error"]["message"]
    assert manual_clock.now() == before


def test_the_clock_wants_json_and_small_bodies(clocked_server):
    api = agent_api(clocked_server)
    form = api.post(
        "/sandbox/clock", content=b'{"advanceSeconds": 5}', headers={"Content-Type": "text/plain"}
    )
    assert form.status_code == 415
    big = api.post(
        "/sandbox/clock",
        content=b" " * 4096 + b'{"advanceSeconds": 5}',
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413
    bad = api.post("/sandbox/clock", content=b"{oops", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400


def test_a_failing_timer_is_logged_and_the_clock_goes_on(caplog):
    clock = ManualClock(start=0)
    fired: list[float] = []
    clock.call_later(1, lambda: 1 / 0)
    clock.call_later(2, lambda: fired.append(clock.now()))
    with caplog.at_level(logging.ERROR, logger="sandbox.clock"):
        clock.advance(5)
    assert fired == [2] and clock.now() == 5
    assert any("timer callback failed" in record.getMessage() for record in caplog.records)
