"""Accessibility (axe-core, keyboard only, mobile width), languages and labels, timers, notifications."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import Agent, end_chat, ensure_node_modules
from playwright.sync_api import Browser, BrowserContext, Page, expect

from sandbox.clock import ManualClock
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations inside the widget (axe descends into its shadow root)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(ensure_node_modules() / "axe-core" / "axe.min.js"))
    results = page.evaluate(
        """async () => (await axe.run('connect-chat', {resultTypes: ['violations']})).violations
            .filter((v) => ['serious', 'critical'].includes(v.impact))
            .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)}))"""
    )
    return list(results)


def test_axe_finds_no_serious_or_critical_violations(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # The closed launcher, the pre-chat form, a conversation with formatting, and the ended state
    assert axe_violations(page) == []
    page.get_by_role("button", name="Chat with us").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Chat with us").click()
    start_chat("Ann")
    agent.accept_next()
    agent.say("**Hello** see [docs](https://example.com)", "text/markdown")
    page.get_by_role("textbox", name="Type a message").fill("hi")
    page.get_by_role("textbox", name="Type a message").press("Enter")
    expect(page.locator("li.msg.mine")).to_have_count(1)
    page.get_by_role("button", name="Preview").click()
    assert axe_violations(page) == []
    end_chat(page)
    expect(page.get_by_role("button", name="Start new chat")).to_be_visible()
    assert axe_violations(page) == []


def test_accent_fills_the_customers_bubbles_and_the_primary_buttons(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a conversation with a message from the customer and one from the agent
    start_chat("Ann")
    agent.accept_next()
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("mine")
    box.press("Enter")
    agent.say("theirs")
    colours = "(el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    accent, on_accent = "rgb(11, 92, 173)", "rgb(255, 255, 255)"

    # Then the customer's bubble and the launcher are accent with on-accent text, the agent's are not
    expect(page.locator("li.msg.mine .bubble")).to_have_count(1)
    assert page.locator("li.msg.mine .bubble").evaluate(colours) == [accent, on_accent]
    assert page.locator("li.msg:not(.mine) .bubble", has_text="theirs").evaluate(colours)[0] != accent
    launcher = page.get_by_role("button", name="Chat with us")
    assert launcher.evaluate(colours) == [accent, on_accent]
    # And only a focused control has the focus ring (an unfocused launcher has none)
    box.focus()
    assert launcher.evaluate("(el) => getComputedStyle(el).outlineStyle") == "none"


def test_keyboard_only_conversation(page: Page, agent: Agent) -> None:
    # Given only a keyboard: Tab reaches the launcher
    launcher = page.get_by_role("button", name="Chat with us")
    for _ in range(10):
        page.keyboard.press("Tab")
        if launcher.evaluate("(el) => el.matches(':focus')"):
            break
    expect(launcher).to_be_focused()

    # When the customer opens the chat, types a name and presses Enter
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your name")).to_be_focused()
    page.keyboard.type("Kim")
    page.keyboard.press("Enter")

    # Then the message box has focus once connected, and Enter sends
    box = page.get_by_role("textbox", name="Type a message")
    expect(box).to_be_focused()
    agent.accept_next()
    page.keyboard.type("typed without a mouse")
    page.keyboard.press("Enter")
    agent.message_from_customer("typed without a mouse")
    agent.say("Got it")
    expect(page.locator("li.msg", has_text="Got it")).to_be_visible()

    # And Escape minimises to the launcher, Enter reopens into the box
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(box).to_be_focused()

    # And Shift+Tab reaches End chat; ending moves focus to "Start new chat"
    end = page.get_by_role("button", name="End chat")
    for _ in range(15):
        page.keyboard.press("Shift+Tab")
        if end.evaluate("(el) => el.matches(':focus')"):
            break
    expect(end).to_be_focused()
    # (its focus ring is drawn in the on-accent colour: an accent ring would vanish on the header)
    ring, header = end.evaluate(
        "(el) => [getComputedStyle(el).outlineColor, getComputedStyle(el.parentElement).backgroundColor]"
    )
    assert ring == "rgb(255, 255, 255)" and ring != header
    # (it asks first: Enter moves to the confirming "End chat", a second Enter ends)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="End chat")).to_be_focused()
    expect(page.get_by_text("End this chat?")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Start new chat")).to_be_focused()


def test_mobile_width_fills_the_screen(context_factory: Callable[..., BrowserContext]) -> None:
    # Given a phone-sized viewport
    page = context_factory(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True).new_page()
    page.goto("/")

    # When the chat opens
    page.get_by_role("button", name="Chat with us").click()

    # Then the panel takes the whole screen, nothing overflows sideways, and the form is usable
    panel = page.get_by_role("dialog")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["width"] == 360 and box["height"] == 640
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.get_by_label("Your name").fill("Mo")
    page.get_by_role("button", name="Start chat").tap()
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()


def test_locale_switch_and_label_overrides(page: Page, agent: Agent, start_chat: Callable[..., None]) -> None:
    # Given a chat in English
    start_chat("Ann")
    agent.accept_next()
    agent.say("hello")
    expect(page.locator("li.msg[data-role=AGENT]", has_text="hello")).to_be_visible()
    widget = page.locator("connect-chat")

    # When the site switches to Arabic
    widget.evaluate("(el) => el.setAttribute('locale', 'ar')")

    # Then labels are Arabic and the layout is right-to-left
    expect(page.get_by_role("button", name="إنهاء المحادثة")).to_be_visible()
    expect(page.get_by_role("textbox", name="اكتب رسالة")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_attribute("dir", "rtl")
    expect(page.locator("li.msg[data-role=SYSTEM] .who").first).to_have_text("النظام")

    # When it switches to Spanish and renames the roles
    labels = {"SYSTEM": "Acme", "CUSTOMER": "Yo mismo"}
    widget.evaluate(
        "(el, labels) => { el.setAttribute('locale', 'es-MX'); el.setAttribute('labels', labels); }",
        json.dumps(labels),
    )

    # Then the Spanish table applies, with the overrides, left-to-right again
    expect(page.get_by_role("button", name="Finalizar chat")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_attribute("dir", "ltr")
    expect(page.locator("li.msg[data-role=SYSTEM] .who").first).to_have_text("Acme")
    page.get_by_role("textbox", name="Escribe un mensaje").fill("hola")
    page.get_by_role("textbox", name="Escribe un mensaje").press("Enter")
    expect(page.locator("li.msg.mine .who").last).to_have_text("Yo mismo")


def test_bot_label_and_locale_attribute_at_load(context_factory: Callable[..., BrowserContext]) -> None:
    # Given a page that embeds the widget in Arabic with a renamed launcher
    page = context_factory().new_page()
    page.goto("/embed?locale=ar&labels=" + json.dumps({"open": "مساعدة", "BOT": "Assistant"}))

    # Then the launcher uses the override and the panel opens right-to-left
    page.get_by_role("button", name="مساعدة").click()
    expect(page.get_by_role("dialog")).to_have_attribute("dir", "rtl")
    expect(page.get_by_label("اسمك")).to_be_focused()
    label = page.locator("connect-chat").evaluate("(el) => el.roleLabel({ParticipantRole: 'CUSTOM_BOT'})")
    assert label == "Assistant"


def settled(page: Page) -> None:
    """Wait until the widget has processed the answer or the echo of every message the customer sent
    (a bubble stops being pending in the same task that records the message's time)."""
    expect(page.locator("connect-chat li.msg.pending")).to_have_count(0)


def test_timers_unread_badge_and_notification(
    browser: Browser, clocked_server: BackgroundServer, manual_clock: ManualClock
) -> None:
    # Given a page and a sandbox whose clocks the test controls, and notifications allowed and recorded
    context = browser.new_context(base_url=clocked_server.url)
    context.set_default_timeout(10_000)
    agent = Agent(clocked_server.url, "Jane")
    try:
        timers_badge_and_notification(context, agent, clocked_server, manual_clock)
    finally:
        agent.close()
        context.close()


def timers_badge_and_notification(
    context: BrowserContext, agent: Agent, clocked_server: BackgroundServer, manual_clock: ManualClock
) -> None:
    """The body of the test above (which owns the context and the agent)."""

    def advance(seconds: int) -> None:
        # The two clocks move one after the other, so the widget must not be processing an item meanwhile:
        # an item it handled between the two moves would make its clock-skew estimate off by `seconds`.
        # Every own message is settled first (the agent's are awaited on screen by the steps themselves).
        settled(page)
        page.clock.fast_forward(seconds * 1000)
        clocked_server.run(lambda: manual_clock.advance(seconds))

    context.grant_permissions(["notifications"])
    context.add_init_script(
        """window.shown = [];
        window.Notification = class {
            static permission = 'granted';
            constructor(title, options) { window.shown.push([title, options.body]); }
        };
        Object.defineProperty(document, 'visibilityState', {
            get: () => (window.hiddenTab ? 'hidden' : 'visible'),
        });"""
    )
    page = context.new_page()
    # The page's clock stands still unless the test moves it, 30 s ahead of the server's (the widget must
    # measure that skew): what the timers show never depends on how fast this machine runs the test.
    page.clock.install(time=manual_clock.now())
    page.clock.pause_at(manual_clock.now() + 30)
    page.goto("/embed?notifications=")
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Tim")
    page.get_by_role("button", name="Start chat").click()
    agent.accept_next()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()  # connected: Enter will send
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("one")
    box.press("Enter")
    agent.message_from_customer("one")
    timers = page.locator(".timers")

    # When 65 s pass and the customer writes again (same sender: the "since last" timer keeps running)
    advance(65)
    expect(timers).to_contain_text("Connected 1:05")
    expect(timers).to_contain_text("Since last message 1:05")
    box.fill("two")
    box.press("Enter")
    agent.message_from_customer("two")
    advance(1)
    expect(timers).to_contain_text("Since last message 1:06")

    # When the agent answers (the sender alternates), it restarts
    agent.say("answer")
    expect(page.locator("li.msg", has_text="answer")).to_be_visible()
    advance(1)
    expect(timers).to_contain_text("Since last message 0:01")

    # When the tab is hidden and the panel minimised, agent messages count as unread and notify
    title = page.title()
    page.get_by_role("button", name="Minimize chat").click()
    page.evaluate("() => { window.hiddenTab = true; document.dispatchEvent(new Event('visibilitychange')); }")
    agent.say("are you there?")
    agent.say("hello?")
    expect(page.locator("connect-chat .badge")).to_have_text("2")
    expect(page).to_have_title(f"(2) {title}")
    assert page.evaluate("() => window.shown") == [["Jane", "are you there?"], ["Jane", "hello?"]]

    # When the customer comes back and opens the chat, the count clears
    page.evaluate(
        "() => { window.hiddenTab = false; document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.get_by_role("button", name="Chat with us").click()
    expect(page.locator("connect-chat .badge")).to_be_hidden()
    expect(page).to_have_title(title)
