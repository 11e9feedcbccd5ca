"""The demo website: `/` embeds the widget as a site would, and `/connect-chat.js` is the built widget."""

from __future__ import annotations

import httpx
import pytest

from sandbox.server import BackgroundServer
from sandbox.web.website import WIDGET_FILE

pytestmark = pytest.mark.sandbox


def test_demo_page_embeds_the_widget_with_one_script_tag(server: BackgroundServer) -> None:
    # When a browser opens the sandbox's root
    page = httpx.get(f"{server.url}/")
    # Then it is an HTML page with the embed snippet of the README
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/connect-chat.js" defer></script>' in page.text
    assert '<connect-chat api-url="/chats"' in page.text


def test_widget_file_is_served_as_javascript(server: BackgroundServer) -> None:
    script = httpx.get(f"{server.url}/connect-chat.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.content == WIDGET_FILE.read_bytes()
    assert "connect-chat" in script.text
