"""The customer's rough edges of issue 12, each reproduced with the steps the issue gives: line breaks,
timers after the end, mixed-direction text, receipts the service refuses, refusals in their real words,
the name kept with the session, and "waiting for an agent"."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from browser_helpers import Agent, end_chat
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser

# Records, synchronously, the messageId of every receipt the widget hands to fetch (the widget binds
# fetch when it connects, so this wrapper sees its calls) and every console error.
RECORD_RECEIPTS = """window.receiptsSent = [];
const realFetch = window.fetch;
window.fetch = (url, init) => {
  if (String(url).endsWith('/participant/event') && String(init?.body).includes('event.message.')) {
    window.receiptsSent.push(JSON.parse(JSON.parse(init.body).Content).messageId);
  }
  return realFetch(url, init);
};"""


def open_chat(page: Page, name: str = "Ann") -> None:
    """Open the widget and start a chat; returns when the greeting is on screen."""
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()


def test_plain_text_keeps_its_line_breaks(page: Page, agent: Agent, start_chat: Callable[..., None]) -> None:
    # Given a chat with an agent
    start_chat("Ann")
    agent.accept_next()

    # When the agent sends three lines as text/plain
    agent.say("Line one\nLine two\nLine three")

    # Then they show as three lines, not one
    bubble = page.locator("li.msg[data-role=AGENT] .bubble")
    expect(bubble).to_be_visible()
    assert bubble.evaluate("(el) => el.innerText") == "Line one\nLine two\nLine three"
    line_height = float(bubble.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)"))
    box = bubble.bounding_box()
    assert box is not None and box["height"] >= 3 * line_height


def test_timers_stop_when_the_chat_ends(context_factory: Callable[..., BrowserContext], agent: Agent) -> None:
    # Given a chat whose page clock moves only when the test moves it
    page = context_factory().new_page()
    page.clock.install(time=time.time())
    page.clock.pause_at(time.time() + 1)
    page.goto("/")
    open_chat(page)
    agent.accept_next()
    page.clock.run_for(38_000)
    timers = page.locator(".timers")
    expect(timers).to_contain_text("Connected 0:38")

    # When the customer ends the chat and three more seconds pass
    end_chat(page)
    expect(page.get_by_text("The chat has ended.")).to_be_visible()
    shown = timers.inner_text()
    page.clock.run_for(3_000)

    # Then the timers show the time the chat ended at
    assert timers.inner_text() == shown
    assert "Connected 0:38" in shown


def test_each_message_and_name_takes_its_own_direction(
    context_factory: Callable[..., BrowserContext], agent: Agent
) -> None:
    # Given an Arabic (right-to-left) panel and an agent who writes English
    page = context_factory().new_page()
    page.goto("/embed?locale=ar")
    page.get_by_role("button", name="تحدث معنا").click()
    page.get_by_label("اسمك").fill("Ann")
    page.get_by_role("button", name="بدء المحادثة").click()
    agent.accept_next()
    agent.say("Hi, I am your agent. How can I help?")
    agent.say("- مرحبا\n- شكرا", "text/markdown")

    # Then the English message reads left to right (its "?" at the end), the name too
    english = page.locator("li.msg[data-role=AGENT]", has_text="How can I help")
    expect(english).to_be_visible()
    assert english.locator(".bubble").evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    assert english.locator(".who").evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    # and the agent's name in the Arabic "joined" sentence is isolated from the words around it
    expect(page.locator("li.event bdi", has_text="Jane")).to_have_count(1)

    # When the site switches the panel to English, an Arabic list keeps its bullets on the right
    page.locator("connect-chat").evaluate("(el) => el.setAttribute('locale', 'en')")
    expect(page.get_by_role("dialog")).to_have_attribute("dir", "ltr")
    arabic = page.locator("li.msg[data-role=AGENT] .bubble", has_text="مرحبا")
    expect(arabic).to_be_visible()
    assert arabic.evaluate("(el) => getComputedStyle(el.querySelector('ul')).direction") == "rtl"


def test_no_refused_receipts_and_no_console_errors(
    context_factory: Callable[..., BrowserContext], agent: Agent
) -> None:
    # Given the demo page (with its favicon), a page clock the test moves, and receipts recorded
    context = context_factory()
    context.add_init_script(RECORD_RECEIPTS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install(time=time.time())
    page.clock.pause_at(time.time() + 1)
    page.goto("/")
    open_chat(page)
    agent.accept_next()

    # When a normal chat goes on, its messages are read (receipts go out)
    first = agent.say("How can I help?")
    expect(page.get_by_text("How can I help?")).to_be_visible()
    page.clock.run_for(6_000)
    page.wait_for_function("(id) => window.receiptsSent.includes(id)", arg=first)
    page.get_by_role("textbox", name="Type a message").fill("My order is late")
    page.get_by_role("textbox", name="Type a message").press("Enter")
    agent.message_from_customer("My order is late")

    # When a message arrives and the customer ends the chat before its receipt is due
    second = agent.say("Let me check")
    expect(page.get_by_text("Let me check")).to_be_visible()
    end_chat(page)
    expect(page.get_by_text("The chat has ended.")).to_be_visible()
    page.clock.run_for(6_000)

    # Then no receipt goes out after the end (the service answers 403)
    assert second not in page.evaluate("() => window.receiptsSent")

    # When, after a refresh, the customer continues the conversation
    page.reload()
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_role("button", name="Continue previous conversation").click()
    expect(page.get_by_text("Let me check")).to_be_visible()
    agent.accept_next()
    third = agent.say("Welcome back")
    expect(page.get_by_text("Welcome back")).to_be_visible()
    page.clock.run_for(6_000)

    # Then this contact's message is read, the previous contact's are not (the service answers 400)
    page.wait_for_function("(id) => window.receiptsSent.includes(id)", arg=third)
    sent = page.evaluate("() => window.receiptsSent")
    assert first not in sent[1:] and second not in sent
    # and the browser logged no error at all (no failed request, no missing favicon)
    page.evaluate("() => fetch('/connect-chat.js', {method: 'HEAD'})")  # a last round trip
    assert errors == []


def test_an_empty_file_is_refused_as_empty(page: Page, agent: Agent, start_chat: Callable[..., None]) -> None:
    # Given a chat with attachments
    start_chat("Ann")
    agent.accept_next()
    expect(page.get_by_role("button", name="Attach a file")).to_be_enabled()

    # When the customer picks an empty file
    page.locator("connect-chat input[type=file]").set_input_files(
        files=[{"name": "empty.txt", "mimeType": "text/plain", "buffer": b""}]
    )

    # Then the refusal says why (not "at most 20 MB")
    expect(page.locator(".status")).to_have_text("This file is empty.")


def test_the_name_is_kept_with_the_session(page: Page, agent: Agent, start_chat: Callable[..., None]) -> None:
    # Given a chat, and a refresh during it
    start_chat("Ann")
    agent.accept_next()
    page.reload()
    expect(page.get_by_role("button", name="End chat")).to_be_visible()

    # When the customer ends it and goes back to the form
    end_chat(page)
    page.get_by_role("button", name="Start new chat").click()

    # Then the name is still there, and continuing needs nothing typed again
    expect(page.get_by_label("Your name")).to_have_value("Ann")
    page.get_by_role("button", name="Continue previous conversation").click()
    expect(page.get_by_role("textbox", name="Type a message")).to_be_visible()
    expect(page.locator(".prechat .error")).to_be_empty()


def test_a_refused_name_is_said_in_words(page: Page) -> None:
    # Given a name the browser keeps but the start-chat API strips to nothing (a control character)
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("\x1f")

    # When the customer starts
    page.get_by_role("button", name="Start chat").click()

    # Then the name field is marked and the message is for a person (no "at least 1 item")
    expect(page.locator(".prechat .error")).to_have_text("Please enter your name.")
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")


def test_waiting_for_an_agent_until_one_joins(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a chat in the queue
    start_chat("Ann")

    # Then the customer sees that they are waiting for an agent
    waiting = page.get_by_text("Waiting for an agent to join…")
    expect(waiting).to_be_visible()

    # When the agent joins, the line goes, and does not come back after a refresh
    agent.accept_next()
    expect(page.locator("li.event", has_text="Jane joined the chat")).to_be_visible()
    expect(waiting).to_be_hidden()
    page.reload()
    expect(page.locator("li.event", has_text="Jane joined the chat")).to_be_visible()
    expect(waiting).to_be_hidden()
