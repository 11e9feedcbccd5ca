"""The agent workspace at /agent during and after a chat: the full transcript on accept with everyone's
display name, tabs with two timers, the composer (formatting, preview, typing, receipts, attachments),
End chat and After Contact Work, contact details, a refresh, the connection state and metrics
(accessibility: test_agent_workspace_access.py). On the sandbox's manual clock: timers are exact
and nothing sleeps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, expect
from workspace_helpers import Desk, advance, agent_api, contacts_of, eventually

from bench._chat_customer import EVENT, Customer
from sandbox.clock import ManualClock
from sandbox.contacts.model import Role
from sandbox.participant.attachment_scanning import EICAR
from sandbox.server import BackgroundServer, start_in_background

pytestmark = pytest.mark.browser


@pytest.fixture
def ann(clocked_server: BackgroundServer) -> Iterator[Customer]:
    """Ann, a customer who has started a chat."""
    customer = Customer(clocked_server.url, "Ann")
    yield customer
    customer.close()


def test_accept_shows_the_full_transcript_with_display_names(
    browser: Browser, clocked_server: BackgroundServer, ann: Customer
) -> None:
    # Given a chat Bob handled first: Ann wrote while waiting, Bob answered, a bot spoke, Bob logged out
    ann.say("typed while waiting")
    with agent_api(clocked_server) as api:
        bob = api.post("/sandbox/agents", json={"name": "Bob"}).json()["agentId"]
        eventually(lambda: contacts_of(clocked_server, bob), "an offer for Bob")
        token = api.post(f"/sandbox/agents/{bob}/contacts/{ann.contact_id}/accept").json()["participantToken"]
        bob_connection = api.post(
            "/participant/connection",
            headers={"X-Amz-Bearer": token},
            json={"Type": ["CONNECTION_CREDENTIALS"], "ConnectParticipant": True},
        ).json()["ConnectionCredentials"]["ConnectionToken"]
        api.post(
            "/participant/message",
            headers={"X-Amz-Bearer": bob_connection},
            json={"ContentType": "text/plain", "Content": "Bob here", "ClientToken": "bob-1"},
        )
        _bot_says(clocked_server, ann.contact_id, "I am the triage bot")
        api.delete(f"/sandbox/agents/{bob}")
    desk = Desk(browser, clocked_server, "Jane")
    try:
        # When Ann writes again (the disconnect flow sends her back to the queue) and Jane accepts
        ann.say("anyone there?")
        desk.accept("Ann")

        # Then Jane sees everything so far, each message with its sender's name
        log = desk.page.get_by_role("log", name="Chat with Ann")
        expect(log.locator("li.msg").filter(has_text="anyone there?")).to_be_visible()
        senders = {
            text: log.locator("li.msg").filter(has_text=text).locator(".who").inner_text()
            for text in ("typed while waiting", "Bob here", "I am the triage bot", "anyone there?")
        }
        assert senders == {
            "typed while waiting": "Ann",
            "Bob here": "Bob",
            "I am the triage bot": "BOT",
            "anyone there?": "Ann",
        }
        expect(log.locator("li.msg[data-role=SYSTEM] .who").first).to_have_text("SYSTEM")
    finally:
        desk.close()


def test_tabs_with_two_timers(desk: Desk, clocked_server: BackgroundServer) -> None:
    page = desk.page
    # Given three customers; the first has waited 30 seconds (bot and queue time count)
    status = page.get_by_role("combobox", name="Status")
    status.select_option("Break")
    expect(page.get_by_role("combobox", name="Status")).to_have_value("Break")
    customers = [Customer(clocked_server.url, "Ann")]
    advance(clocked_server, 30)
    customers += [Customer(clocked_server.url, name) for name in ("Ben", "Cy")]
    status.select_option("Available")
    for name in ("Ann", "Ben", "Cy"):
        desk.accept(name)

    # Then each chat is a tab named with the customer's display name
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    assert [tab.locator(".name").inner_text() for tab in tabs.all()] == ["Ann", "Ben", "Cy"]
    ann_tab = page.get_by_role("tab", name="Ann", exact=True)
    expect(ann_tab).to_contain_text("Connected 0:30")
    expect(page.get_by_role("tab", name="Ben", exact=True)).to_contain_text("Connected 0:00")

    # Keyboard: arrows move between tabs
    ann_tab.click()
    expect(ann_tab).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Ben", exact=True)).to_be_focused()
    expect(page.get_by_role("tab", name="Ben", exact=True)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(ann_tab).to_have_attribute("aria-selected", "true")

    # "Since last message" restarts only when the other side writes
    ann = customers[0]
    ann.say("hello")
    expect(ann_tab).to_contain_text("Since last message 0:00")
    # (half seconds: each message's time is a millisecond or so after the clock's, to keep their order)
    advance(clocked_server, 65.5)
    expect(ann_tab).to_contain_text("Connected 1:35")
    expect(ann_tab).to_contain_text("Since last message 1:05")
    _send(page, "first answer")
    expect(ann_tab).to_contain_text("Since last message 0:00")
    advance(clocked_server, 5.5)
    _send(page, "second answer, same side")
    advance(clocked_server, 5)
    expect(ann_tab).to_contain_text("Since last message 0:10")
    ann.say("cheers")
    expect(page.get_by_role("log", name="Chat with Ann").locator("li.msg", has_text="cheers")).to_be_visible()
    expect(ann_tab).to_contain_text("Since last message 0:00")
    for customer in customers:
        customer.close()


def test_composer_formatting_preview_and_markdown(desk: Desk, ann: Customer) -> None:
    page = desk.page
    desk.accept("Ann")
    message = page.get_by_label("Message to Ann")

    # Bold and italic wrap the selection; lists prefix each line
    message.fill("hello")
    message.press("Control+a")
    page.get_by_role("button", name="Bold").click()
    expect(message).to_have_value("**hello**")
    message.press("End")
    message.press("Shift+Enter")
    page.get_by_role("button", name="Italic").click()
    message.press("End")
    message.press("Shift+Enter")
    message.press_sequentially("one\ntwo".replace("\n", ""))
    message.fill("**hello** *there*\none\ntwo")
    message.evaluate("(el) => el.setSelectionRange(el.value.indexOf('one'), el.value.length)")
    page.get_by_role("button", name="Bulleted list").click()
    expect(message).to_have_value("**hello** *there*\n- one\n- two")
    message.fill("first\nsecond")
    message.evaluate("(el) => el.setSelectionRange(0, el.value.length)")
    page.get_by_role("button", name="Numbered list").click()
    expect(message).to_have_value("1. first\n2. second")

    # Preview shows the message as the customer will see it, before sending
    message.fill("**hello** *there*\n- one\n- two")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Message preview")
    expect(preview.locator("strong")).to_have_text("hello")
    expect(preview.locator("em")).to_have_text("there")
    expect(preview.locator("ul li")).to_have_count(2)
    assert ann.transcript()[-1].get("Content") != "**hello** *there*\n- one\n- two"

    # Sent as text/markdown, rendered in the agent's transcript too
    page.get_by_role("button", name="Send").click()
    item = ann.wait_for(lambda i: i.get("ParticipantRole") == "AGENT" and i["Type"] == "MESSAGE")
    assert item["ContentType"] == "text/markdown"
    assert item["Content"] == "**hello** *there*\n- one\n- two"
    log = page.get_by_role("log", name="Chat with Ann")
    expect(log.locator("li.msg.mine strong")).to_have_text("hello")


def test_typing_indicators_both_ways_and_receipts(desk: Desk, ann: Customer) -> None:
    page = desk.page
    desk.accept("Ann")

    # The customer typing shows in the chat
    ann.event("typing")
    expect(page.get_by_text("Ann is typing…")).to_be_visible()
    # The agent typing reaches the customer
    page.get_by_label("Message to Ann").press_sequentially("wor")
    typing = ann.wait_for(
        lambda i: i["ContentType"] == EVENT + "typing" and i["ParticipantRole"] != "CUSTOMER"
    )
    assert typing["ParticipantRole"] == "AGENT"
    assert typing["DisplayName"] == "Jane"

    # A customer's message shown in the open tab is read: a read receipt goes to the customer
    message_id = ann.say("can you read me?")
    expect(
        page.get_by_role("log", name="Chat with Ann").locator("li.msg", has_text="can you read me?")
    ).to_be_visible()
    eventually(lambda: _read_by_agent(ann, message_id), "the agent's read receipt")

    # The agent's message shows Delivered, then Read, as the customer's receipts arrive
    _send(page, "here is the answer")
    sent = ann.wait_for(lambda i: i.get("ParticipantRole") == "AGENT" and i["Type"] == "MESSAGE")
    mine = page.locator("li.msg.mine", has_text="here is the answer")
    ann.event("message.delivered", json.dumps({"messageId": sent["Id"]}))
    expect(mine.locator(".meta")).to_have_text("Delivered")
    ann.event("message.read", json.dumps({"messageId": sent["Id"]}))
    expect(mine.locator(".meta")).to_have_text("Read")


def test_attachments_open_and_upload(desk: Desk, ann: Customer) -> None:
    page = desk.page
    desk.accept("Ann")
    # Given the customer sends a file, the agent opens it
    ann.attach("notes.txt", b"order 1234")
    button = page.get_by_role("button", name="notes.txt")
    with page.expect_download() as downloaded:
        button.click()
    assert downloaded.value.suggested_filename == "notes.txt"
    assert Path(downloaded.value.path()).read_bytes() == b"order 1234"

    # The agent attaches a file: the customer gets it
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "reply.txt", "mimeType": "text/plain", "buffer": b"see attached"}]
    )
    item = ann.wait_for(lambda i: i["Type"] == "ATTACHMENT" and i.get("ParticipantRole") == "AGENT")
    assert item["Attachments"][0]["AttachmentName"] == "reply.txt"
    expect(page.get_by_role("button", name="reply.txt")).to_be_visible()


def test_end_chat_after_contact_work_then_clear(
    desk: Desk, clocked_server: BackgroundServer, ann: Customer
) -> None:
    page = desk.page
    tab = desk.accept("Ann")
    expect(page.get_by_text("Chats 1/10")).to_be_visible()

    # When the agent ends the chat: the disconnect flow runs for the customer, the tab is in ACW
    page.get_by_role("button", name="End chat").click()
    expect(desk.panel().get_by_role("status")).to_have_text("After contact work")
    expect(tab.locator("[aria-hidden=true]", has_text="⌛")).to_be_visible()
    expect(tab).to_contain_text("After contact work 0:00")
    ann.wait_for(lambda i: i["ContentType"] == EVENT + "participant.left")
    advance(clocked_server, 42)
    expect(tab).to_contain_text("After contact work 0:42")
    expect(page.get_by_label("Message to Ann")).to_be_disabled()
    expect(page.get_by_text("Chats 1/10")).to_be_visible()

    # Clear contact closes the tab and frees the slot
    page.get_by_role("button", name="Clear contact").click()
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(page.get_by_text("Chats 0/10")).to_be_visible()


def test_after_contact_work_survives_a_refresh(desk: Desk, ann: Customer) -> None:
    page = desk.page
    desk.accept("Ann")
    page.get_by_role("button", name="End chat").click()
    expect(desk.panel().get_by_role("status")).to_have_text("After contact work")

    # When the page reloads, the tab is back in after-contact work, still to be cleared
    page.reload()
    tab = page.get_by_role("tab", name="Ann", exact=True)
    expect(tab).to_contain_text("After contact work")
    expect(desk.panel().get_by_role("status")).to_have_text("After contact work")
    page.get_by_role("button", name="Clear contact").click()
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(page.get_by_text("Chats 0/10")).to_be_visible()


def test_a_chat_the_customer_ended_goes_to_after_contact_work(desk: Desk, ann: Customer) -> None:
    page = desk.page
    tab = desk.accept("Ann")
    ann.leave()
    expect(desk.panel().get_by_role("status")).to_have_text("After contact work")
    expect(tab).to_contain_text("After contact work")
    expect(page.get_by_role("button", name="Clear contact")).to_be_visible()


def test_contact_details_beside_the_chat(desk: Desk, ann: Customer) -> None:
    desk.accept("Ann")
    details = desk.page.get_by_role("region", name="Contact details")
    text = details.inner_text()
    for expected in ("Customer\nAnn", "Initiation method\nAPI", "Queue\nBasicQueue", "customerName\nAnn"):
        assert expected.replace("\n", "") in text.replace("\n", "").replace("\t", ""), text


def test_refresh_brings_the_session_and_open_chats_back(desk: Desk, ann: Customer) -> None:
    page = desk.page
    desk.accept("Ann")
    ann.say("before the refresh")
    log = page.get_by_role("log", name="Chat with Ann")
    expect(log.locator("li.msg", has_text="before the refresh")).to_be_visible()

    # When the page reloads: same agent, the chat's tab and transcript come back, the chat goes on
    page.reload()
    expect(page.get_by_role("combobox", name="Status")).to_be_visible()
    expect(page.get_by_label("Your name")).to_be_hidden()
    expect(page.get_by_role("tab", name="Ann", exact=True)).to_be_visible()
    expect(log.locator("li.msg", has_text="before the refresh")).to_have_count(1)
    expect(desk.panel().get_by_role("status")).to_have_text("Connected")
    _send(page, "after the refresh")
    ann.wait_for(lambda i: i.get("Content") == "after the refresh")


def test_connection_state_is_shown_honestly(desk: Desk, clocked_server: BackgroundServer) -> None:
    state = desk.page.locator("header [role=status]")
    expect(state).to_have_text("Connected")
    # When the sandbox ends the agent's event stream and refuses new ones, the page says so
    clocked_server.run(clocked_server.sandbox.agent_events.close)
    expect(state).not_to_have_text("Connected")
    expect(state).to_have_text("Disconnected")


def test_metrics_panel_follows_the_queue(desk: Desk, clocked_server: BackgroundServer, ann: Customer) -> None:
    metrics = desk.page.get_by_role("complementary", name="Real-time metrics")
    expect(metrics.locator('[data-metric="CONTACTS_CREATED"]')).to_have_text("1")
    expect(metrics.locator('[data-metric="CONTACTS_IN_QUEUE"]')).to_have_text("1")
    advance(clocked_server, 20)
    expect(metrics.locator('[data-metric="AGENT_NON_RESPONSE"]')).to_have_text("1")
    expect(metrics.locator('[data-metric="OLDEST_CONTACT_AGE"]')).to_have_text("0:20")
    desk.page.get_by_role("button", name="Clear contact").click()
    desk.accept("Ann")
    expect(metrics.locator('[data-metric="CONTACTS_HANDLED"]')).to_have_text("1")
    expect(metrics.locator('[data-metric="AGENTS_ON_CONTACT"]')).to_have_text("1")


def _send(page: Page, text: str) -> None:
    box = page.get_by_role("tabpanel").get_by_role("textbox")
    box.fill(text)
    box.press("Enter")
    expect(page.get_by_role("tabpanel").locator("li.msg.mine", has_text=text)).to_be_visible()


def _bot_says(server: BackgroundServer, contact_id: str, text: str) -> None:
    """A message from the flow's bot (a Lex bot's participant: role CUSTOM_BOT, shown as BOT)."""
    sandbox = server.sandbox
    bot = SimpleNamespace(id="bot-participant", display_name="BOT", role=Role.CUSTOM_BOT)
    server.run(
        lambda: sandbox.chats.post(sandbox.store.contacts[contact_id], bot, "MESSAGE", "text/plain", text)
    )


def _read_by_agent(customer: Customer, message_id: str) -> bool:
    for item in customer.transcript():
        if item["Id"] == message_id:
            return any(r.get("ReadTimestamp") for r in item.get("MessageMetadata", {}).get("Receipts", []))
    return False


def test_a_rejected_attachment_shows_as_rejected_with_nothing_to_open(
    browser: Browser, s3_endpoint: str, manual_clock: ManualClock
) -> None:
    # Given a sandbox scanning attachments, and an agent in a chat with Ann
    server = start_in_background(
        clock=manual_clock,
        demo_agent=False,
        s3_endpoint=s3_endpoint,
        throttle_sends=False,
        scan_attachments=True,
    )
    desk = Desk(browser, server, "Jane")
    ann = Customer(server.url, "Ann")
    try:
        desk.accept("Ann")
        # When Ann sends a file the scanner rejects (the EICAR test string) and a clean one
        ann.attach("invoice.txt", b"see " + EICAR)
        ann.attach("notes.txt", b"order 1234")
        # Then the rejected one is named as rejected, with no button or link to open it
        page = desk.page
        expect(page.get_by_role("button", name="notes.txt")).to_be_visible()
        rejected = page.locator(".attachment.rejected")
        expect(rejected).to_have_text("invoice.txt: rejected by the attachment scanner")
        expect(page.get_by_role("button", name="invoice.txt")).to_have_count(0)
        expect(page.get_by_role("link", name="invoice.txt")).to_have_count(0)
        # And one still being scanned has nothing to open yet
        contact = server.sandbox.store.contacts[ann.contact_id]
        pending = {"ContentType": "text/plain", "AttachmentId": "a-1", "AttachmentName": "slow.txt"}
        server.run(
            lambda: server.sandbox.chats.post(
                contact,
                contact.customer,
                "ATTACHMENT",
                "text/plain",
                attachments=[{**pending, "Status": "IN_PROGRESS"}],
            )
        )
        expect(page.locator(".attachment.scanning")).to_have_text("slow.txt: being scanned")
        expect(page.get_by_role("button", name="slow.txt")).to_have_count(0)
    finally:
        ann.close()
        desk.close()
        server.stop()
