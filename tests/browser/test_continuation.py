"""The widget keeps a continuation token, not the bare ContactId; drops it at expiry; forgets on request."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import Agent, end_chat
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

STORE = "connect-chat:/chats"  # the ChatStore's key: sessionStorage, named after the api-url


def stored(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.evaluate(f"() => sessionStorage.getItem('{STORE}') || '{{}}'"))
    return data


def end_a_chat(page: Page, agent: Agent, start_chat: Callable[..., None]) -> str:
    """Start a chat, have it accepted, end it from the widget, go back to the form; its ContactId."""
    start_chat("Ann")
    contact_id = agent.accept_next()
    end_chat(page)
    page.get_by_role("button", name="Start new chat").click()
    return contact_id


def test_the_ended_chat_is_kept_as_its_continuation_token_and_dropped_at_expiry(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given the browser's clock under the test's control (running from now), and an ended chat
    page.clock.install()
    page.reload()
    contact_id = end_a_chat(page, agent, start_chat)

    # Then storage holds the chat's continuation (token and expiry), and continuing is offered
    previous = stored(page)["previous"]
    assert previous["contactId"] == contact_id
    assert previous["token"] and previous["expiresAt"].endswith("Z")
    continue_button = page.get_by_role("button", name="Continue previous conversation")
    expect(continue_button).to_be_visible()
    expect(page.get_by_role("button", name="Forget this conversation")).to_be_visible()

    # When the continuation window (48 hours) passes with the page open
    page.clock.fast_forward("48:00:01")

    # Then the offer disappears and the token is gone from storage
    expect(continue_button).to_be_hidden()
    expect(page.get_by_role("button", name="Forget this conversation")).to_be_hidden()
    assert "previous" not in stored(page)


def test_forget_this_conversation_leaves_no_way_back(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given an ended chat on offer
    end_a_chat(page, agent, start_chat)
    expect(page.get_by_role("button", name="Continue previous conversation")).to_be_visible()

    # When the customer forgets it
    page.get_by_role("button", name="Forget this conversation").click()

    # Then nothing is offered or stored, even after a reload, and focus is on the name field
    expect(page.get_by_role("button", name="Continue previous conversation")).to_be_hidden()
    expect(page.get_by_label("Your name")).to_be_focused()
    assert "previous" not in stored(page)
    page.reload()
    page.get_by_role("button", name="Chat with us").click()
    expect(page.get_by_role("button", name="Continue previous conversation")).to_be_hidden()


def test_a_bare_contact_id_from_an_earlier_version_is_not_offered(page: Page, server: Any) -> None:
    # Given what earlier versions stored: the bare ContactId of an ended chat
    page.evaluate(f"() => sessionStorage.setItem('{STORE}', JSON.stringify({{previous: 'some-contact-id'}}))")

    # When the page loads
    page.reload()
    page.get_by_role("button", name="Chat with us").click()

    # Then continuing is not offered and the id is dropped
    expect(page.get_by_label("Your name")).to_be_visible()
    expect(page.get_by_role("button", name="Continue previous conversation")).to_be_hidden()
    assert "previous" not in stored(page)


def test_a_refused_continuation_is_explained_and_forgotten(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given an ended chat whose stored token has been tampered with
    end_a_chat(page, agent, start_chat)
    previous = stored(page)["previous"]
    previous["token"] = previous["token"][:-2] + "xx"
    page.evaluate(f"(p) => sessionStorage.setItem('{STORE}', JSON.stringify({{previous: p}}))", previous)

    # When the customer continues it
    page.get_by_label("Your name").fill("Ann")
    page.get_by_role("button", name="Continue previous conversation").click()

    # Then the widget says so and stops offering it
    expect(page.get_by_text("That conversation can no longer be continued.")).to_be_visible()
    expect(page.get_by_role("button", name="Continue previous conversation")).to_be_hidden()
