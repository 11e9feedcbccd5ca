"""startChatAuth=jwt in the browser: the widget gets its start token from the site (`auth-token-url`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import Agent
from conftest import with_embed_page
from playwright.sync_api import Page, expect
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.server import BackgroundServer, start_in_background
from sandbox.sign_token import load_or_create_secret, sign_start_token

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    """A sandbox in jwt mode, plus the site's backend endpoint that signs for its signed-in customer."""
    secret_file: Path = tmp_path_factory.mktemp("jwt") / "start-token-secret"
    server = with_embed_page(
        start_in_background(
            demo_agent=False,
            s3_endpoint=s3_endpoint,
            start_chat_auth="jwt",
            start_token_secret_file=secret_file,
        )
    )

    async def chat_token(request: Request) -> JSONResponse:
        # The site's backend: only a customer with a session gets a token (here: a cookie).
        if request.cookies.get("session") != "signed-in":
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return JSONResponse({"token": sign_start_token(load_or_create_secret(secret_file), "customer-42")})

    server.app.router.routes.insert(0, Route("/chat-token", chat_token, methods=["POST"]))
    yield server
    server.stop()


def test_a_signed_in_customer_starts_a_chat_that_names_them(
    page: Page, agent: Agent, server: BackgroundServer
) -> None:
    # Given a signed-in customer on a page whose widget gets start tokens from the site
    page.context.add_cookies([{"name": "session", "value": "signed-in", "url": server.url}])
    page.goto("/embed?auth-token-url=/chat-token")

    # When they start a chat
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Ann")
    page.get_by_role("button", name="Start chat").click()

    # Then the chat starts, and the contact carries the customer id from the token
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()
    contact_id = agent.accept_next()
    assert server.sandbox.store.contacts[contact_id].attributes["customerId"] == "customer-42"


def test_without_a_token_the_widget_asks_to_sign_in(page: Page) -> None:
    # Given a visitor who is not signed in (the site's endpoint refuses), and a page without the hook
    for path in ("/embed?auth-token-url=/chat-token", "/embed"):
        page.goto(path)
        page.get_by_role("button", name="Chat with us").click()
        page.get_by_label("Your name").fill("Ann")
        page.get_by_role("button", name="Start chat").click()

        # Then the API's 401 is explained
        expect(page.get_by_text("Please sign in to start a chat.")).to_be_visible()
