"""Regenerate the widget's screenshots in docs/screenshots/ (referenced by README): the pre-chat form and a
conversation on a desktop, the same conversation on a 375x667 phone, right to left (`locale="ar"`), and the
triage bot's interactive messages (`chatBot`).

Each shot is a real chat in headless Chromium against the sandbox, answered by its demo agent or its bot.
Run: ``make screenshots`` (or ``python -m docs.screenshots``; needs Playwright for Python and Chromium).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench._chromium import CHROMIUM, CHROMIUM_ARGS
from sandbox.server import start_in_background

FOLDER = Path(__file__).resolve().parent / "screenshots"
DESKTOP: dict[str, Any] = {"viewport": {"width": 1100, "height": 760}}
TALL: dict[str, Any] = {"viewport": {"width": 1100, "height": 900}}  # the bot's whole list in view
PHONE: dict[str, Any] = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
# (file name, browser context options, widget locale, what the customer writes, or None: the form only)
SHOTS = [
    ("desktop-form.png", DESKTOP, "en", None),
    ("desktop.png", DESKTOP, "en", "Hello! My order **#4711** has not arrived yet.\nCan you check it?"),
    ("mobile.png", PHONE, "en", "Hello! My order **#4711** has not arrived yet.\nCan you check it?"),
    ("rtl.png", DESKTOP, "ar", "مرحبا، لم يصل طلبي رقم 4711 بعد."),
]
BOT_SHOT = "bot.png"


def shoot(page: Page, locale: str, message: str | None, path: Path) -> None:
    """Open the widget on the demo page, chat (unless `message` is None) and save the screenshot."""
    page.goto("/")
    widget = page.locator("connect-chat")
    widget.evaluate("(el, locale) => el.setAttribute('locale', locale)", locale)
    page.locator("connect-chat .launcher").click()
    page.locator("connect-chat input[name=name]").fill("Ann" if locale == "en" else "آن")
    if message is not None:
        page.locator("connect-chat form.prechat button[type=submit]").click()
        expect(page.locator("connect-chat li.msg[data-role=AGENT]").first).to_be_visible(timeout=15_000)
        box = page.locator("connect-chat textarea")
        box.fill(message)
        box.press("Enter")
        expect(page.locator("connect-chat li.msg[data-role=AGENT]")).to_have_count(2, timeout=15_000)
        expect(page.locator("connect-chat li.msg.pending")).to_have_count(0)
        box.fill("")
        widget.evaluate("(el) => el.shadowRoot.activeElement?.blur()")
    page.screenshot(path=str(path))


def shoot_bot(page: Page, path: Path) -> None:
    """The triage bot's greeting and its list of topics, as a customer first sees them."""
    page.goto("/")
    page.locator("connect-chat .launcher").click()
    page.locator("connect-chat input[name=name]").fill("Ann")
    page.locator("connect-chat form.prechat button[type=submit]").click()
    topics = page.locator("connect-chat li[data-role=SYSTEM] [role=group]").first
    expect(topics.get_by_role("button", name="Orders and delivery")).to_be_enabled(timeout=15_000)
    page.locator("connect-chat").evaluate("(el) => el.shadowRoot.activeElement?.blur()")
    page.screenshot(path=str(path))


def main() -> None:
    """Take every shot, each in a fresh browser context (a new chat)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the embedded S3 server's request log
    FOLDER.mkdir(exist_ok=True)
    server = start_in_background()  # with the demo agent, who answers
    bot_server = start_in_background(demo_agent=False, chat_bot=True)  # the triage bot talks first
    try:
        with sync_playwright() as driver:
            browser: Browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, options, locale, message in SHOTS:
                context = browser.new_context(base_url=server.url, **options)
                shoot(context.new_page(), locale, message, FOLDER / name)
                context.close()
                print(FOLDER / name)
            context = browser.new_context(base_url=bot_server.url, **TALL)
            shoot_bot(context.new_page(), FOLDER / BOT_SHOT)
            context.close()
            print(FOLDER / BOT_SHOT)
            browser.close()
    finally:
        server.stop()
        bot_server.stop()


if __name__ == "__main__":
    main()
