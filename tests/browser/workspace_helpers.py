"""Driving the agent workspace at /agent in tests: a sandbox of its own on the manual clock, the page
logged in as an agent, the clock moved over HTTP (as the page's fast-forward does), and agents and
customers on the other sides."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from sandbox.server import BackgroundServer

WAIT = 10.0  # upper bound for anything asynchronous; tests never sleep for a fixed time


class Desk:
    """The workspace page of one agent (its own browser context), failing the test on page errors."""

    def __init__(
        self, browser: Browser, server: BackgroundServer, name: str = "Jane", **options: Any
    ) -> None:
        self.server = server
        self.context: BrowserContext = browser.new_context(base_url=server.url, **options)
        self.context.set_default_timeout(WAIT * 1000)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto("/agent")
        if name:
            self.log_in(name)

    def log_in(self, name: str) -> None:
        """Log in with a name; returns once the Status control is there."""
        self.page.get_by_label("Your name").fill(name)
        self.page.get_by_role("button", name="Log in").click()
        expect(self.page.get_by_role("combobox", name="Status")).to_be_visible()
        expect(self.page.get_by_role("status").filter(has_text="Connected")).to_be_visible()

    @property
    def agent_id(self) -> str:
        """This page's agent, from its session."""
        return str(
            self.page.evaluate("() => JSON.parse(sessionStorage.getItem('connect-agent-workspace')).agentId")
        )

    def offer(self, name: str) -> Any:
        """The incoming-chat banner of a customer."""
        return self.page.get_by_role("group", name=f"Incoming chat from {name}")

    def accept(self, name: str) -> Any:
        """Accept the customer's offer; returns the chat's tab once it is there."""
        self.offer(name).get_by_role("button", name="Accept").click()
        tab = self.page.get_by_role("tab", name=name, exact=True)
        expect(tab).to_be_visible()
        # Connected: the agent's socket is subscribed, so everything from now on reaches the page
        panel = self.page.locator(f"#{tab.get_attribute('aria-controls')}")
        expect(panel.get_by_role("status")).to_have_text("Connected")
        return tab

    def panel(self) -> Any:
        """The chat panel shown."""
        return self.page.get_by_role("tabpanel")

    def close(self) -> None:
        """Close the browser context; the page must not have thrown."""
        self.context.close()
        assert not self.errors, f"uncaught errors in the workspace: {self.errors}"


def advance(server: BackgroundServer, seconds: float) -> None:
    """POST /sandbox/clock: the sandbox's time moves and every agent view is pushed again."""
    answer = httpx.post(f"{server.url}/sandbox/clock", json={"advanceSeconds": seconds}, timeout=WAIT)
    assert answer.status_code == 200, answer.text


def agent_api(server: BackgroundServer) -> httpx.Client:
    """The agent API, as another agent's console (or curl) uses it."""
    return httpx.Client(base_url=server.url, timeout=WAIT, headers={"Content-Type": "application/json"})


def eventually(condition: Callable[[], Any], what: str) -> Any:
    """Poll a condition read from the sandbox until it holds (bounded; the interval is no wait for
    behaviour)."""
    deadline = time.monotonic() + WAIT
    while not (value := condition()):
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.02)
    return value


def contacts_of(server: BackgroundServer, agent_id: str) -> list[dict[str, Any]]:
    """The contacts an agent holds, from the agent API."""
    with agent_api(server) as api:
        return list(api.get(f"/sandbox/agents/{agent_id}").json()["contacts"])
