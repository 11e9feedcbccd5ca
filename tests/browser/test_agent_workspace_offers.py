"""The agent workspace at /agent, before a chat: logging in, the Status control, capacity, offers with
their 20-second countdown (never accepted automatically), missed chats, rejections, notifications and
the manual clock's fast-forward. Everything runs on the sandbox's manual clock: nothing sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from workspace_helpers import Desk, advance, agent_api, contacts_of, eventually

from bench._chat_customer import Customer
from sandbox.clock import ManualClock
from sandbox.server import BackgroundServer, start_in_background

pytestmark = pytest.mark.browser


@pytest.fixture
def small_server(s3_endpoint: str, manual_clock: ManualClock) -> Iterator[BackgroundServer]:
    """A sandbox on the manual clock whose routing profile takes two chats per agent."""
    server = start_in_background(
        clock=manual_clock, demo_agent=False, s3_endpoint=s3_endpoint, chat_concurrency=2
    )
    yield server
    server.stop()


@pytest.fixture
def desk(browser: Browser, small_server: BackgroundServer) -> Iterator[Desk]:
    """Jane's workspace, logged in."""
    desk = Desk(browser, small_server, "Jane")
    yield desk
    desk.close()


def test_log_in_status_control_and_capacity(desk: Desk, small_server: BackgroundServer) -> None:
    page = desk.page
    # Given Jane logged in: her name, a Status control with the three statuses, capacity from chatConcurrency
    expect(page.locator("header")).to_contain_text("Jane")
    status = page.get_by_role("combobox", name="Status")
    expect(status).to_have_value("Available")
    assert status.locator("option").all_inner_texts() == ["Available", "Break", "Offline"]
    expect(page.get_by_text("Chats 0/2")).to_be_visible()

    # When she takes a break, a chat starts: it is not offered to her (Break is not routable)
    status.select_option("Break")
    eventually(lambda: _status(small_server, desk.agent_id) == "Break", "status Break")
    ann = Customer(small_server.url, "Ann")
    expect(page.locator('[data-metric="CONTACTS_IN_QUEUE"]')).to_have_text("1")
    assert contacts_of(small_server, desk.agent_id) == []
    expect(desk.offer("Ann")).to_have_count(0)

    # Offline is not routable either; Available is, and the chat is offered at once
    status.select_option("Offline")
    eventually(lambda: _status(small_server, desk.agent_id) == "Offline", "status Offline")
    assert contacts_of(small_server, desk.agent_id) == []
    status.select_option("Available")
    expect(desk.offer("Ann")).to_be_visible()
    expect(page.get_by_text("Chats 1/2")).to_be_visible()
    ann.close()


def test_offer_counts_down_20_seconds_then_is_missed_until_cleared(
    desk: Desk, small_server: BackgroundServer
) -> None:
    page = desk.page
    # Given an offer: the customer's name, a visible 20-second countdown, Accept and Reject
    ann = Customer(small_server.url, "Ann")
    offer = desk.offer("Ann")
    expect(offer).to_contain_text("Incoming chat: Ann")
    expect(offer).to_contain_text("20 s")
    expect(offer.get_by_role("button", name="Accept")).to_be_visible()
    expect(offer.get_by_role("button", name="Reject")).to_be_visible()

    # When 19 seconds pass, it is still only offered: never accepted automatically
    advance(small_server, 19)
    expect(offer).to_contain_text("1 s")
    assert [c["state"] for c in contacts_of(small_server, desk.agent_id)] == ["OFFERED"]
    expect(page.get_by_role("tab")).to_have_count(0)

    # When the 20th second passes: a missed chat, shown with how long ago, holding a slot
    advance(small_server, 1)
    missed = page.get_by_role("group", name="Missed chat from Ann")
    expect(missed).to_contain_text("missed 0 s ago")
    expect(offer).to_have_count(0)
    advance(small_server, 65)
    expect(missed).to_contain_text("missed 1:05 ago")
    expect(page.get_by_text("Chats 1/2")).to_be_visible()
    # ...counted as Agent non-response, and back in the queue for another agent
    expect(page.locator('[data-metric="AGENT_NON_RESPONSE"]')).to_have_text("1")
    with agent_api(small_server) as api:
        bob = api.post("/sandbox/agents", json={"name": "Bob"}).json()["agentId"]
    offered = eventually(lambda: contacts_of(small_server, bob), "the missed chat offered to Bob")
    assert offered[0]["contactId"] == ann.contact_id
    assert offered[0]["state"] == "OFFERED"

    # When Jane clears it, the slot is free again
    missed.get_by_role("button", name="Clear contact").click()
    expect(missed).to_have_count(0)
    expect(page.get_by_text("Chats 0/2")).to_be_visible()
    assert contacts_of(small_server, desk.agent_id) == []
    ann.close()


def test_with_every_slot_taken_nothing_more_is_routed(desk: Desk, small_server: BackgroundServer) -> None:
    page = desk.page
    # Given two chats offered to Jane, whose routing profile takes two
    customers = [Customer(small_server.url, name) for name in ("Ann", "Ben")]
    expect(desk.offer("Ann")).to_be_visible()
    expect(desk.offer("Ben")).to_be_visible()
    expect(page.get_by_text("Chats 2/2")).to_be_visible()

    # When a third customer starts a chat, it waits in the queue
    customers.append(Customer(small_server.url, "Cy"))
    expect(page.locator('[data-metric="CONTACTS_IN_QUEUE"]')).to_have_text("3")
    assert len(contacts_of(small_server, desk.agent_id)) == 2
    expect(desk.offer("Cy")).to_have_count(0)

    # A missed chat keeps its slot too: with Ann's and Ben's offers missed, still nothing for Jane
    advance(small_server, 20)
    expect(page.get_by_role("group", name="Missed chat from Ann")).to_be_visible()
    assert {c["state"] for c in contacts_of(small_server, desk.agent_id)} == {"MISSED"}

    # When she clears them, routing to her resumes, oldest chats first (the missed ones went back to the
    # front of the queue): two offers again, Cy's still waiting
    page.get_by_role("group", name="Missed chat from Ann").get_by_role("button", name="Clear contact").click()
    page.get_by_role("group", name="Missed chat from Ben").get_by_role("button", name="Clear contact").click()
    expect(page.get_by_role("group", name="Missed chat from Ben")).to_have_count(0)
    expect(desk.offer("Ann")).to_be_visible()
    expect(desk.offer("Ben")).to_be_visible()
    expect(desk.offer("Cy")).to_have_count(0)
    expect(page.get_by_text("Chats 2/2")).to_be_visible()
    for customer in customers:
        customer.close()


def test_a_rejected_chat_goes_to_another_agent(desk: Desk, small_server: BackgroundServer) -> None:
    # Given Ann's chat offered to Jane
    ann = Customer(small_server.url, "Ann")
    expect(desk.offer("Ann")).to_be_visible()

    # When Jane rejects it
    desk.offer("Ann").get_by_role("button", name="Reject").click()
    expect(desk.offer("Ann")).to_have_count(0)

    # Then it is not offered to her again, but to Bob when he is available
    assert contacts_of(small_server, desk.agent_id) == []
    with agent_api(small_server) as api:
        bob = api.post("/sandbox/agents", json={"name": "Bob"}).json()["agentId"]
    offered = eventually(lambda: contacts_of(small_server, bob), "the rejected chat offered to Bob")
    assert offered[0]["contactId"] == ann.contact_id
    assert contacts_of(small_server, desk.agent_id) == []
    expect(desk.page.get_by_text("Chats 0/2")).to_be_visible()
    ann.close()


def test_browser_notification_for_an_offer_while_the_page_is_hidden(
    browser: Browser, small_server: BackgroundServer
) -> None:
    # Given notifications allowed, and a way to hide the page
    desk = Desk(browser, small_server, "", permissions=["notifications"])
    desk.context.add_init_script(
        """window.shown = [];
        window.Notification = class {
            static permission = 'granted';
            constructor(title, options) { window.shown.push([title, options.body]); }
        };
        Object.defineProperty(document, 'visibilityState', {
            get: () => (window.hiddenTab ? 'hidden' : 'visible'),
        });"""
    )
    desk.page.reload()
    desk.log_in("Jane")
    try:
        # When an offer arrives while the page is visible: the banner only
        ann = Customer(small_server.url, "Ann")
        expect(desk.offer("Ann")).to_be_visible()
        assert desk.page.evaluate("() => window.shown") == []

        # When one arrives while it is hidden: a notification with the customer's name as well
        desk.page.evaluate("() => { window.hiddenTab = true; }")
        ben = Customer(small_server.url, "Ben")
        expect(desk.offer("Ben")).to_be_visible()
        shown = desk.page.evaluate("() => window.shown")
        assert len(shown) == 1
        assert shown[0][0] == "Incoming chat"
        assert shown[0][1].startswith("Ben")
        ann.close()
        ben.close()
    finally:
        desk.close()


def test_fast_forward_control_moves_the_sandbox_clock(desk: Desk, small_server: BackgroundServer) -> None:
    # Given an offer, on a sandbox started on the manual clock (the control is there)
    ann = Customer(small_server.url, "Ann")
    expect(desk.offer("Ann")).to_contain_text("20 s")
    clock = desk.page.get_by_role("group", name="Sandbox clock")

    # When the agent fast-forwards 20 seconds from the page, the offer is missed
    clock.get_by_label("Seconds").fill("20")
    clock.get_by_role("button", name="Fast-forward").click()
    expect(desk.page.get_by_role("group", name="Missed chat from Ann")).to_be_visible()
    ann.close()


def test_no_fast_forward_control_on_the_real_clock(browser: Browser, server: BackgroundServer) -> None:
    # Given a sandbox on the real clock, the workspace offers no way to move time
    desk = Desk(browser, server, "Jane")
    try:
        expect(desk.page.get_by_role("group", name="Sandbox clock")).to_be_hidden()
    finally:
        desk.close()


def _status(server: BackgroundServer, agent_id: str) -> str:
    with agent_api(server) as api:
        return str(api.get(f"/sandbox/agents/{agent_id}").json()["status"])


def test_log_out_returns_to_the_login_form(desk: Desk, small_server: BackgroundServer) -> None:
    # Given Jane logged in
    agent_id = desk.agent_id
    # When she logs out, the workspace asks for a name again and the sandbox no longer knows her
    desk.page.get_by_role("button", name="Log out").click()
    expect(desk.page.get_by_label("Your name")).to_be_visible()
    expect(desk.page.get_by_role("combobox", name="Status")).to_be_hidden()
    with agent_api(small_server) as api:
        assert api.get(f"/sandbox/agents/{agent_id}").status_code == 404
    # ...and a refresh does not bring the old session back
    desk.page.reload()
    expect(desk.page.get_by_label("Your name")).to_be_visible()
