"""The agent workspace at /agent for everyone: no serious or critical axe-core violation in any state, and a
whole chat handled with the keyboard alone (on the sandbox's manual clock)."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import ensure_node_modules
from playwright.sync_api import Browser, Page, expect
from workspace_helpers import Desk

from bench._chat_customer import Customer
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser


def test_axe_finds_no_serious_or_critical_violations(
    browser: Browser, clocked_server: BackgroundServer
) -> None:
    desk = Desk(browser, clocked_server, "")
    page = desk.page
    try:
        assert _axe(page) == []  # the login form
        desk.log_in("Jane")
        ann = Customer(clocked_server.url, "Ann")
        expect(desk.offer("Ann")).to_be_visible()
        assert _axe(page) == []  # an offer
        desk.accept("Ann")
        ann.say("**hi**", "text/markdown")
        page.get_by_label("Message to Ann").fill("*draft*")
        page.get_by_role("button", name="Preview").click()
        assert _axe(page) == []  # a chat with a preview
        page.get_by_role("button", name="End chat").click()
        expect(page.get_by_role("button", name="Clear contact")).to_be_visible()
        assert _axe(page) == []  # after contact work
        ann.close()
    finally:
        desk.close()


def test_keyboard_only(browser: Browser, clocked_server: BackgroundServer) -> None:
    desk = Desk(browser, clocked_server, "")
    page = desk.page
    try:
        # Log in, accept and answer with the keyboard alone
        expect(page.get_by_label("Your name")).to_be_focused()
        page.keyboard.type("Jane")
        page.keyboard.press("Enter")
        expect(page.get_by_role("combobox", name="Status")).to_be_visible()
        ann = Customer(clocked_server.url, "Ann")
        accept = desk.offer("Ann").get_by_role("button", name="Accept")
        _tab_to(page, accept)
        page.keyboard.press("Enter")
        expect(page.get_by_role("tab", name="Ann", exact=True)).to_be_focused()
        _tab_to(page, page.get_by_label("Message to Ann"))
        page.keyboard.type("typed with keys")
        page.keyboard.press("Enter")
        ann.wait_for(lambda i: i.get("Content") == "typed with keys")
        ann.close()
    finally:
        desk.close()


def _tab_to(page: Page, target: Any) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError("not reachable with Tab")


def _axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(ensure_node_modules() / "axe-core" / "axe.min.js"))
    return list(
        page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter((v) => ['serious', 'critical'].includes(v.impact))
                .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)}))"""
        )
    )
