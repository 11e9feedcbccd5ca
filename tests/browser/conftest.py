"""One Chromium per session, one sandbox per module serving the demo page and the built widget."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Agent
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from workspace_helpers import Desk

from bench._chromium import CHROMIUM, CHROMIUM_ARGS
from sandbox.clock import Clock, ManualClock
from sandbox.server import BackgroundServer, start_in_background
from sandbox.storage.s3_server import EmbeddedS3

expect.set_options(timeout=10_000)


def embed_page(request: Request) -> HTMLResponse:
    """`/embed?locale=ar&storage=local`: a page embedding the widget with the query as extra attributes
    (served by the sandbox itself: Chromium blocks pages without a local address from reaching loopback)."""
    attributes = "".join(f' {html.escape(k)}="{html.escape(v)}"' for k, v in request.query_params.items())
    return HTMLResponse(
        '<!doctype html><html lang="en"><title>Embed test</title><main><h1>Embed test</h1></main>'
        '<script src="/connect-chat.js" defer></script>'
        f'<connect-chat api-url="/chats" participant-endpoint=""{attributes}></connect-chat></html>'
    )


def with_embed_page(server: BackgroundServer) -> BackgroundServer:
    """Add the tests' `/embed` page to a running sandbox (the sandbox serves `/` and the widget itself)."""
    server.app.router.routes.insert(0, Route("/embed", embed_page, methods=["GET"]))
    return server


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """One embedded S3 server for every sandbox of the session."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    s3 = EmbeddedS3()
    yield s3.start()
    s3.stop()


def start_server(s3_endpoint: str, clock: Clock | None = None) -> BackgroundServer:
    """A sandbox with the demo page, without the demo agent (tests drive their own agent)."""
    return with_embed_page(
        start_in_background(clock=clock, demo_agent=False, s3_endpoint=s3_endpoint, throttle_sends=False)
    )


@pytest.fixture(scope="module")
def server(s3_endpoint: str) -> Iterator[BackgroundServer]:
    """The module's sandbox on the real clock."""
    server = start_server(s3_endpoint)
    yield server
    server.stop()


@pytest.fixture
def manual_clock() -> ManualClock:
    """A sandbox clock that moves only when the test advances it (starting at the real time, on a whole
    second so that the times it stamps are exact to the millisecond)."""
    return ManualClock()


@pytest.fixture
def clocked_server(s3_endpoint: str, manual_clock: ManualClock) -> Iterator[BackgroundServer]:
    """A sandbox of its own driven by `manual_clock`."""
    server = start_server(s3_endpoint, manual_clock)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def end_chats_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """End every chat a test left open, so no contact waits in the queue for the next test's agent."""
    yield
    if "server" not in request.fixturenames:
        return
    server: BackgroundServer = request.getfixturevalue("server")
    sandbox = server.sandbox

    def end_all() -> None:
        for contact in list(sandbox.store.contacts.values()):
            if not contact.ended:
                sandbox.chats.end_contact(contact, "TEST_FINISHED")

    server.run(end_all)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright's own browser downloads are not used)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (make test does this)")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def desk(browser: Browser, clocked_server: BackgroundServer) -> Iterator[Desk]:
    """Jane's agent workspace, logged in, on a sandbox of its own driven by the manual clock."""
    desk = Desk(browser, clocked_server, "Jane")
    yield desk
    desk.close()


@pytest.fixture
def context_factory(browser: Browser, server: BackgroundServer) -> Iterator[Callable[..., BrowserContext]]:
    """New browser contexts on the sandbox (closed after the test)."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser: Browser, server: BackgroundServer) -> Iterator[Page]:
    """A fresh browser context (own sessionStorage) on the demo page; fails on any page error."""
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def agent(server: BackgroundServer) -> Iterator[Agent]:
    """An available agent named Jane (logged in before the customer starts)."""
    agent = Agent(server.url, "Jane")
    yield agent
    agent.close()


@pytest.fixture
def start_chat(page: Page) -> Callable[..., None]:
    """Open the widget, fill the pre-chat form and start; returns when the greeting is on screen."""

    def start(name: str = "Ann") -> None:
        page.get_by_role("button", name="Chat with us").click()
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Start chat").click()
        expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()

    return start
