"""Chat timeouts in the agent workspace, on the sandbox's manual clock: an idle customer is marked on the
chat's tab and header until they write again, and an auto-disconnect says the agent was disconnected for
inactivity."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from playwright.sync_api import expect
from workspace_helpers import Desk, advance

from bench._chat_customer import EVENT, Customer
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser


def customer_with_timers(server: BackgroundServer, **minutes: int) -> Customer:
    """Ann's chat, with customer timers set through boto3 `connect` before any agent joins."""
    ann = Customer(server.url, "Ann")
    timers: list[dict[str, Any]] = [
        {
            "ParticipantRole": "CUSTOMER",
            "TimerType": kind,
            "TimerValue": {"ParticipantTimerDurationInMinutes": n},
        }
        for kind, n in minutes.items()
    ]
    boto3.client("connect", endpoint_url=f"{server.url}/connect").update_participant_role_config(
        InstanceId=server.sandbox.config.instance_id,
        ContactId=ann.contact_id,
        ChannelConfiguration={"Chat": {"ParticipantTimerConfigList": timers}},
    )
    return ann


def test_an_idle_customer_is_marked_until_they_write(desk: Desk, clocked_server: BackgroundServer) -> None:
    ann = customer_with_timers(clocked_server, IDLE=2)
    try:
        tab = desk.accept("Ann")
        notice = desk.panel().locator(".idle-notice")
        # When two minutes pass without a word from Ann
        advance(clocked_server, 120)
        # Then her tab and the chat's header say she is idle
        expect(tab).to_contain_text("Customer idle")
        expect(notice).to_contain_text("Customer idle")
        # When she writes again, the marks go
        ann.say("Sorry, I'm here")
        expect(desk.panel().get_by_text("Sorry, I'm here")).to_be_visible()
        expect(tab).not_to_contain_text("Customer idle")
        expect(notice).to_be_hidden()
    finally:
        ann.close()


def test_auto_disconnect_tells_the_agent_why(desk: Desk, clocked_server: BackgroundServer) -> None:
    ann = customer_with_timers(clocked_server, IDLE=2, DISCONNECT_NONCUSTOMER=3)
    try:
        tab = desk.accept("Ann")
        advance(clocked_server, 120)
        expect(tab).to_contain_text("Customer idle")
        # When three more minutes pass, the agent is disconnected and the chat goes to after contact work
        advance(clocked_server, 180)
        ann.wait_for(lambda i: i["ContentType"] == EVENT + "participant.left")
        expect(desk.panel().get_by_text("After contact work", exact=True)).to_be_visible()
        expect(desk.panel().locator(".idle-notice")).to_have_text(
            "You were disconnected for inactivity: the customer stopped responding"
        )
        expect(tab).not_to_contain_text("Customer idle")
    finally:
        ann.close()
