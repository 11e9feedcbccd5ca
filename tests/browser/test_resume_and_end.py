"""Refresh, reconnect, end, a new chat without reload, and persistent chat ("continue previous")."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from browser_helpers import Agent, end_chat
from playwright.sync_api import BrowserContext, Page, expect

from sandbox.contacts.model import Role
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser


def test_refresh_mid_chat_resumes_with_the_transcript(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a conversation in progress
    start_chat("Ann")
    agent.accept_next()
    agent.say("Hi Ann")
    page.get_by_role("textbox", name="Type a message").fill("Before the refresh")
    page.get_by_role("button", name="Send").click()
    agent.message_from_customer("Before the refresh")

    # When the page is reloaded
    page.reload()

    # Then the chat is open again with its messages (each once), and the conversation goes on
    expect(page.locator("li.msg.mine", has_text="Before the refresh")).to_have_count(1)
    expect(page.locator("li.msg", has_text="Hi Ann")).to_have_count(1)
    expect(page.get_by_label("Your name")).to_be_hidden()
    page.get_by_role("textbox", name="Type a message").fill("After the refresh")
    page.get_by_role("textbox", name="Type a message").press("Enter")
    agent.message_from_customer("After the refresh")
    agent.say("Still here")
    expect(page.locator("li.msg", has_text="Still here")).to_be_visible()


def test_server_side_socket_close_reconnects_without_losing_messages(
    page: Page, agent: Agent, server: BackgroundServer, start_chat: Callable[..., None]
) -> None:
    # Given a conversation in progress
    start_chat("Ann")
    contact_id = agent.accept_next()
    agent.say("first")
    expect(page.locator("li.msg", has_text="first")).to_be_visible()

    # When the server closes the customer's socket and the agent writes while it is down
    def drop_and_write() -> None:
        sandbox = server.sandbox
        contact = sandbox.store.contacts[contact_id]
        for participant in contact.participants.values():
            if participant.role is Role.CUSTOMER:
                sandbox.hub.close_participant(participant)
        agent_participant = next(p for p in contact.participants.values() if p.role is Role.AGENT)
        body = {"ContentType": "text/plain", "Content": "sent while you were away", "ClientToken": "x"}
        sandbox.chats.send_message(agent_participant, body)

    server.run(drop_and_write)

    # Then the widget reconnects and shows the missed message exactly once, and live pushes work again
    expect(page.locator("li.msg", has_text="sent while you were away")).to_have_count(1)
    expect(page.locator(".status")).to_be_empty()
    agent.say("after the reconnect")
    expect(page.locator("li.msg", has_text="after the reconnect")).to_be_visible()


def test_end_chat_then_continue_previous_then_a_new_chat_without_reload(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a conversation
    start_chat("Ann")
    first_contact = agent.accept_next()
    agent.say("Your ticket is 4711")
    expect(page.locator("li.msg", has_text="Your ticket is 4711")).to_be_visible()

    # When the customer ends it
    end_chat(page)

    # Then the widget shows the ended state, focus on "Start new chat", and the agent saw the end
    new_chat = page.get_by_role("button", name="Start new chat")
    expect(new_chat).to_be_focused()
    expect(page.get_by_text("The chat has ended.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Type a message")).to_be_hidden()
    agent.wait_for(lambda i: i.get("ContentType", "").endswith("chat.ended"))

    # When they continue the previous conversation (persistent chat) from the start form
    new_chat.click()
    page.get_by_role("button", name="Continue previous conversation").click()

    # Then the earlier messages are shown in the new chat, which is a new contact
    expect(page.locator("li.msg", has_text="Your ticket is 4711")).to_have_count(1)
    second_contact = agent.accept_next()
    assert second_contact != first_contact
    agent.say("Welcome back")
    expect(page.locator("li.msg", has_text="Welcome back")).to_be_visible()
    end_chat(page)

    # When they start a brand-new chat without reloading
    new_chat.click()
    expect(page.get_by_label("Your name")).to_be_focused()
    page.get_by_label("Your name").fill("Ann")
    page.get_by_role("button", name="Start chat").click()

    # Then it is a fresh conversation with a new contact
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()
    expect(page.get_by_text("Your ticket is 4711")).to_have_count(0)
    third_contact = agent.accept_next()
    assert third_contact not in {first_contact, second_contact}


def test_chat_ended_while_away_shows_ended_on_return(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None]
) -> None:
    # Given a started chat, and the customer navigates away
    start_chat("Ann")
    contact_id = page.evaluate("() => document.querySelector('connect-chat').chat.contactId")
    page.goto("about:blank")

    # When the chat ends on the server meanwhile (CreateParticipantConnection will answer 403)
    server.run(lambda: server.sandbox.chats.end_contact(server.sandbox.store.contacts[contact_id], "TEST"))

    # Then coming back shows the ended state, with the previous conversation on offer
    page.goto("/")
    expect(page.get_by_text("The chat has ended.")).to_be_visible()
    page.get_by_role("button", name="Start new chat").click()
    expect(page.get_by_role("button", name="Continue previous conversation")).to_be_visible()


def test_storage_local_resumes_in_another_tab(
    context_factory: Callable[[], BrowserContext], agent: Agent
) -> None:
    # Given a site that keeps the chat in localStorage
    context = context_factory()
    first = context.new_page()
    first.goto("/embed?storage=local")
    first.get_by_role("button", name="Chat with us").click()
    first.get_by_label("Your name").fill("Tab")
    first.get_by_role("button", name="Start chat").click()
    agent.accept_next()
    marker = f"hello {uuid.uuid4().hex[:6]}"
    agent.say(marker)
    expect(first.get_by_text(marker)).to_be_visible()

    # When the same site opens in a second tab
    second = context.new_page()
    second.goto("/embed?storage=local")

    # Then the chat is there too
    expect(second.get_by_text(marker)).to_be_visible()
