"""The customer's side of chat timeouts (issue 12 item 2: idle, returned, auto-disconnection events) and of
attachment scanning (issue 11 item 6: REJECTED and IN_PROGRESS attachments), with the events and items
pushed from the sandbox core."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from browser_helpers import EVENT, Agent
from playwright.sync_api import Page, expect

from sandbox.contacts.model import Role
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser

IDLE = EVENT + "participant.idle"
RETURNED = EVENT + "participant.returned"
AUTO_DISCONNECTED = EVENT + "participant.autodisconnection"
NOTICE = "Are you still there? Send a message to keep this chat open."


def push(
    server: BackgroundServer, page: Page, who: Any, item_type: str, content_type: str, **extra: Any
) -> None:
    """Post a chat item for `who` into the page's contact, as the service would push it."""
    contact_id = page.evaluate("() => document.querySelector('connect-chat').chat.contactId")
    sandbox = server.sandbox
    server.run(
        lambda: sandbox.chats.post(sandbox.store.contacts[contact_id], who, item_type, content_type, **extra)
    )


def customer(page: Page, server: BackgroundServer) -> Any:
    contact_id = page.evaluate("() => document.querySelector('connect-chat').chat.contactId")
    contact = server.sandbox.store.contacts[contact_id]
    return next(p for p in contact.participants.values() if p.role is Role.CUSTOMER)


AGENT = SimpleNamespace(id="agent-participant", display_name="Jane", role=Role.AGENT)


def test_idle_customer_is_told_politely_until_they_return(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None]
) -> None:
    # Given a chat; the agent is marked idle: nothing for the customer
    start_chat()
    push(server, page, AGENT, "EVENT", IDLE)
    notice = page.locator(".idle")
    expect(notice).to_be_hidden()

    # When the service marks the customer idle
    push(server, page, customer(page, server), "EVENT", IDLE)

    # Then a polite live notice asks whether they are still there
    expect(notice).to_have_text(NOTICE)
    expect(notice).to_have_attribute("aria-live", "polite")

    # When they return (the service says so), the notice goes
    push(server, page, customer(page, server), "EVENT", RETURNED)
    expect(notice).to_be_hidden()

    # And when marked idle again, sending a message removes it too
    push(server, page, customer(page, server), "EVENT", IDLE)
    expect(notice).to_have_text(NOTICE)
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("still here")
    box.press("Enter")
    expect(notice).to_be_hidden()


def test_idle_notice_in_arabic(page: Page, server: BackgroundServer, start_chat: Callable[..., None]) -> None:
    # Given an Arabic panel
    start_chat()
    page.locator("connect-chat").evaluate("(el) => el.setAttribute('locale', 'ar')")

    # When the customer is marked idle, the notice is in Arabic
    push(server, page, customer(page, server), "EVENT", IDLE)
    expect(page.locator(".idle")).to_have_text("هل ما زلت هنا؟ أرسل رسالة لإبقاء هذه المحادثة مفتوحة.")


def test_auto_disconnected_agent_leaves_a_neutral_line(
    page: Page, server: BackgroundServer, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a chat with Jane
    start_chat()
    agent.accept_next()
    expect(page.get_by_text("Jane joined the chat")).to_be_visible()

    # When the service removes her for inactivity
    jane = next(
        p
        for p in server.sandbox.store.contacts[agent.contact_id].participants.values()
        if p.role is Role.AGENT
    )
    push(server, page, jane, "EVENT", AUTO_DISCONNECTED)

    # Then the customer reads why she left
    expect(page.locator("li.event", has_text="Jane left because the chat was inactive.")).to_be_visible()


@pytest.mark.parametrize(
    ("status", "label", "offered"),
    [
        ("REJECTED", "Rejected", False),
        ("IN_PROGRESS", "Checking…", False),
        ("APPROVED", None, True),
        (None, None, True),
    ],
)
def test_scanned_attachment_is_offered_only_when_not_rejected_or_checking(
    page: Page,
    server: BackgroundServer,
    start_chat: Callable[..., None],
    status: str | None,
    label: str | None,
    offered: bool,
) -> None:
    # Given an agent's attachment with a scanning Status
    start_chat()
    attachment = {"AttachmentId": "att-1", "AttachmentName": "invoice.pdf", "ContentType": "application/pdf"}
    if status:
        attachment["Status"] = status
    push(server, page, AGENT, "ATTACHMENT", "application/pdf", attachments=[attachment])

    # Then its name shows; a rejected or unchecked file is labelled and never offered for download
    bubble = page.locator("li.msg[data-role=AGENT] .bubble")
    expect(bubble).to_contain_text("invoice.pdf")
    expect(bubble.get_by_role("button", name="invoice.pdf")).to_have_count(1 if offered else 0)
    expect(bubble.get_by_role("link")).to_have_count(0)
    if label:
        expect(bubble).to_contain_text(label)


def test_attachment_checked_then_approved_becomes_downloadable(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None]
) -> None:
    # Given an attachment still being checked
    start_chat()
    attachment = {
        "AttachmentId": "att-2",
        "AttachmentName": "photo.png",
        "ContentType": "image/png",
        "Status": "IN_PROGRESS",
    }
    push(server, page, AGENT, "ATTACHMENT", "image/png", attachments=[attachment])
    bubble = page.locator("li.msg[data-role=AGENT] .bubble")
    expect(bubble).to_contain_text("Checking…")

    # When the same item comes again, approved
    contact_id = page.evaluate("() => document.querySelector('connect-chat').chat.contactId")
    contact = server.sandbox.store.contacts[contact_id]
    item = dict(next(i for i in contact.items if i["Type"] == "ATTACHMENT"))
    item["Attachments"] = [{**attachment, "Status": "APPROVED"}]
    server.run(lambda: server.sandbox.chats.hub.publish(contact, item))

    # Then the same bubble now offers it
    expect(bubble.get_by_role("button", name="photo.png")).to_be_visible()
    expect(bubble).not_to_contain_text("Checking…")
