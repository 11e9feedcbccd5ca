"""Regenerates the README's picture of the agent workspace: sandbox/agents/workspace/screenshot.png.

A sandbox on the manual clock (so the timers read the same on every run), Jane in the workspace with two
chats (one with a formatted answer) and a third offered, in headless Chromium.
Run: ``make screenshots`` (or ``python -m bench._screenshots``).
"""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from bench._chat_customer import Customer
from bench._workspace_page import workspace_page
from sandbox.server import BackgroundServer
from sandbox.web.website import WORKSPACE_DIR

SCREENSHOT = WORKSPACE_DIR / "screenshot.png"


def advance(server: BackgroundServer, seconds: float) -> None:
    """Move the sandbox's manual clock (as the page's fast-forward does)."""
    httpx.post(f"{server.url}/sandbox/clock", json={"advanceSeconds": seconds}).raise_for_status()


def accept(page: Page, name: str) -> None:
    """Accept a customer's offer and wait until the chat is connected."""
    page.get_by_role("group", name=f"Incoming chat from {name}").get_by_role("button", name="Accept").click()
    expect(page.get_by_role("tabpanel").get_by_role("status")).to_have_text("Connected")


def stage(server: BackgroundServer, page: Page) -> list[Customer]:
    """Two chats under way and an offer counting down."""
    ann = Customer(server.url, "Ann")
    ann.say("Hi, my order #1234 has not arrived yet.")
    advance(server, 14)
    accept(page, "Ann")
    advance(server, 6)
    box = page.get_by_label("Message to Ann")
    box.fill(
        "Sorry about that, Ann! Let me check.\n**Order #1234**:\n- shipped Monday\n- arriving *tomorrow*"
    )
    box.press("Enter")
    expect(page.get_by_role("tabpanel").locator("li.msg.mine")).to_have_count(1)
    advance(server, 25)
    ann.say("Great, thank you!")
    ann.event("typing")
    ben = Customer(server.url, "Ben")
    accept(page, "Ben")
    page.get_by_role("tab", name="Ann", exact=True).click()
    advance(server, 12)
    cy = Customer(server.url, "Cy")
    expect(page.get_by_role("group", name="Incoming chat from Cy")).to_be_visible()
    advance(server, 7)
    expect(page.locator("[data-metric=CONTACTS_HANDLED]")).to_have_text("2")
    return [ann, ben, cy]


def main() -> None:
    """Write the screenshot."""
    with workspace_page("Jane") as (server, page):
        page.set_viewport_size({"width": 1280, "height": 860})
        customers = stage(server, page)
        page.screenshot(path=str(SCREENSHOT))
        for customer in customers:
            customer.close()
    print(f"wrote {SCREENSHOT}")


if __name__ == "__main__":
    main()
