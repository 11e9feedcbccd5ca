"""Issue 12's layout items (mobile 375x667 inputs and touch targets, the pre-chat panel's size and intro,
Preview keeping the log at the end, the divider of a continued conversation, End chat asking first) and
the message limits (one table, a counter near the limit, nothing cut)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest
from browser_helpers import WIDGET, Agent, end_chat, tool
from playwright.sync_api import BrowserContext, Page, expect

from sandbox.contacts.chats import MESSAGE_LIMITS

pytestmark = pytest.mark.browser

# Every visible control of the widget with its size and, for fields, its font size.
CONTROLS = """(host) => [...host.shadowRoot.querySelectorAll('button, input:not([type=file]), textarea')]
  .filter((el) => el.getClientRects().length)
  .map((el) => ({name: el.getAttribute('aria-label') || el.textContent.trim() || el.name, tag: el.tagName,
    width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height,
    font: parseFloat(getComputedStyle(el).fontSize)}))"""


def test_mobile_fields_do_not_zoom_and_touch_targets_are_large(
    context_factory: Callable[..., BrowserContext], agent: Agent
) -> None:
    # Given a 375x667 phone (a coarse pointer)
    page = context_factory(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True).new_page()
    page.goto("/")
    assert page.evaluate("() => matchMedia('(pointer: coarse)').matches")
    page.get_by_role("button", name="Chat with us").tap()
    page.get_by_label("Your name").fill("Mo")
    form = page.locator("connect-chat").evaluate(CONTROLS)
    page.get_by_role("button", name="Start chat").tap()
    agent.accept_next()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    chat = page.locator("connect-chat").evaluate(CONTROLS)

    # Then every field is at least 16 px (iOS Safari zooms on smaller ones) and every target 44x44 px
    controls = form + chat
    assert {c["tag"] for c in controls} >= {"INPUT", "TEXTAREA", "BUTTON"}
    assert [c for c in controls if c["tag"] != "BUTTON" and c["font"] < 16] == []
    assert [c for c in controls if c["width"] < 44 or c["height"] < 44] == []


def test_desktop_pre_chat_panel_fits_its_content_with_a_configurable_intro(
    context_factory: Callable[..., BrowserContext],
) -> None:
    # Given the desktop demo page
    page = context_factory(viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/")

    # When the chat opens on the one-field form
    page.get_by_role("button", name="Chat with us").click()

    # Then the panel is as tall as its content (not 560 px), with a short intro line
    panel = page.get_by_role("dialog")
    expect(page.get_by_text("Tell us your name and we will connect you with our team.")).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["height"] < 360

    # And a site sets its own intro (or none) through the labels
    other = context_factory().new_page()
    other.goto("/embed?labels=" + json.dumps({"intro": "We answer within 2 minutes."}))
    other.get_by_role("button", name="Chat with us").click()
    expect(other.get_by_text("We answer within 2 minutes.")).to_be_visible()


# Resolves once the transcript is scrolled to its newest item.
AT_END = """() => { const log = document.querySelector('connect-chat').shadowRoot.querySelector('.log');
  return log.scrollTop + log.clientHeight >= log.scrollHeight - 2; }"""


def test_preview_keeps_the_newest_messages_in_view(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a conversation longer than the log, scrolled to its newest message
    start_chat("Ann")
    agent.accept_next()
    for n in range(12):
        agent.say(f"message {n}")
    newest = page.locator("li.msg", has_text="message 11")
    expect(newest).to_be_visible()
    page.wait_for_function(AT_END)

    # When the customer types markdown and opens Preview (the log gets shorter)
    page.get_by_role("textbox", name="Type a message").fill("**bold**\n- one\n- two\n- three")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("connect-chat .preview strong")).to_have_text("bold")

    # Then the log is still scrolled to the end: the newest message is in view
    page.wait_for_function(AT_END)
    expect(newest).to_be_in_viewport()


def test_continued_conversation_shows_a_divider_and_end_chat_asks_first(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given an ended conversation
    start_chat("Ann")
    agent.accept_next()
    agent.say("Your ticket is 4711")
    expect(page.get_by_text("Your ticket is 4711")).to_be_visible()

    # When the customer clicks End chat, it asks first; "Keep chatting" goes back to the chat
    page.get_by_role("button", name="End chat").click()
    expect(page.get_by_text("End this chat?")).to_be_visible()
    page.get_by_role("button", name="Keep chatting").click()
    expect(page.get_by_text("End this chat?")).to_be_hidden()
    expect(page.get_by_role("button", name="End chat")).to_be_focused()
    expect(page.get_by_role("textbox", name="Type a message")).to_be_visible()
    end_chat(page)
    expect(page.get_by_text("The chat has ended.")).to_be_visible()

    # When they continue it
    page.get_by_role("button", name="Start new chat").click()
    page.get_by_role("button", name="Continue previous conversation").click()
    agent.accept_next()
    agent.say("Welcome back")
    expect(page.get_by_text("Welcome back")).to_be_visible()

    # Then a divider stands between the past session and the new one
    divider = page.get_by_role("separator")
    expect(divider).to_have_text("New conversation")
    order = page.locator("connect-chat ol > li").evaluate_all("(lis) => lis.map((li) => li.className)")
    split = order.index("divider")
    assert all("past" in c for c in order[:split]) and not any("past" in c for c in order[split + 1 :])
    assert order[:split] and order[split + 1 :]


def test_the_widget_uses_the_sandboxs_message_limits() -> None:
    # Given the widget's table (its source module, as the build bundles it)
    script = "import('./src/limits.js').then((m) => console.log(JSON.stringify(m.MESSAGE_LIMITS)))"
    result = subprocess.run(
        [tool("node"), "--input-type=module", "-e", script],
        cwd=WIDGET,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    # Then it is the sandbox's, which is botocore's connectparticipant model (not an older 1,024)
    assert json.loads(result.stdout) == MESSAGE_LIMITS
    assert MESSAGE_LIMITS["text/plain"] == 16_384


def test_a_counter_near_the_limit_and_nothing_cut_over_it(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a chat
    start_chat("Ann")
    agent.accept_next()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    box = page.get_by_role("textbox", name="Type a message")
    limit = MESSAGE_LIMITS["text/markdown"]
    counter = page.locator("connect-chat .counter")

    # When a short message is typed, no counter shows
    box.fill("hello")
    expect(counter).to_be_hidden()

    # When the message comes near the limit, the counter says what is left
    box.fill("x" * (limit - 84))
    expect(counter).to_have_text("84 characters left")

    # When it goes over, nothing is cut: the counter says by how much, and Send keeps it in the box
    box.fill("y" * (limit + 6))
    expect(counter).to_have_text("6 characters too many.")
    box.press("Enter")
    expect(page.locator("li.msg.mine")).to_have_count(0)
    assert len(box.input_value()) == limit + 6

    # When it is shortened to the limit exactly, it is sent whole
    box.fill("z" * limit)
    box.press("Enter")
    assert len(agent.message_from_customer("z" * limit)["Content"]) == limit
