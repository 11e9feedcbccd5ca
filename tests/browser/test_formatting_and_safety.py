"""Markdown (rendering, toolbar, shortcuts, preview) and untrusted text that must render inert."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from browser_helpers import Agent
from playwright.sync_api import Dialog, Page, expect

from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser

XSS = [
    "<script>window.pwned=1;alert(1)</script>",
    '<img src=x onerror="window.pwned=1;alert(1)">',
    "<svg onload=alert(1)><animate onbegin=alert(1)></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "[click me](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[tab](java\tscript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '**<a href="javascript:alert(1)">bold link</a>**',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "javascript:alert(1)",
    '"><script>alert(1)</script>',
    "`<script>alert(1)</script>`",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    'https://example.com/"onmouseover="alert(1)',
]
EVIL_NAME = '<img src=x onerror="alert(1)">Eve'
EVIL_FILE = '<img src=x onerror=alert(1)>"onclick=alert(1).txt'


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every JavaScript dialog the page opens (there must be none)."""
    opened: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def assert_inert(page: Page) -> None:
    """Nothing active inside the widget: no script-capable elements, no handlers, only safe links."""
    report = page.evaluate(
        """() => {
        const root = document.querySelector('connect-chat').shadowRoot;
        const all = [...root.querySelectorAll('*')];
        return {
            // (the widget's own icons are svg.icon with one fixed path each)
            active: all.filter((el) => /^(script|img|svg|iframe|object|embed|math|details|style)$/i
                .test(el.tagName) && el.parentNode !== root && !el.closest('svg.icon'))
                .map((el) => el.tagName),
            icons: [...root.querySelectorAll('svg.icon *')].every((el) => el.tagName === 'path'),
            handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name))
                .map((a) => el.tagName + ' ' + a.name)),
            hrefs: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href')),
            pwned: window.pwned === 1,
        };
    }"""
    )
    assert report["active"] == [], report
    assert report["handlers"] == [], report
    assert report["icons"], report
    assert all(h.startswith(("https://", "http://", "mailto:")) for h in report["hrefs"]), report
    assert not report["pwned"]
    for link in page.locator("connect-chat a").all():
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.get_attribute("target") == "_blank"


def test_agent_markdown_renders_as_formatting(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a chat (markdown permitted by the sandbox's featurePermissions)
    start_chat()
    agent.accept_next()

    # When the agent sends markdown
    agent.say(
        "**Bold** and *italic*\n\n- one\n- two\n\n1. first\n2. second\n\nSee [the docs](https://example.com/d)",
        "text/markdown",
    )

    # Then it is rendered as formatting, with a safe link
    bubble = page.locator("li.msg[data-role=AGENT] .bubble").last
    expect(bubble.locator("strong")).to_have_text("Bold")
    expect(bubble.locator("em")).to_have_text("italic")
    expect(bubble.locator("ul li")).to_have_text(["one", "two"])
    expect(bubble.locator("ol li")).to_have_text(["first", "second"])
    link = bubble.get_by_role("link", name="the docs")
    expect(link).to_have_attribute("href", "https://example.com/d")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")


def test_toolbar_shortcuts_and_preview(page: Page, agent: Agent, start_chat: Callable[..., None]) -> None:
    # Given a chat with markdown
    start_chat()
    agent.accept_next()
    box = page.get_by_role("textbox", name="Type a message")

    # When the customer formats with the keyboard and the toolbar
    box.fill("urgent")
    box.press("Control+a")
    box.press("Control+b")
    box.press("End")
    box.press_sequentially(" and ")
    box.press("Control+i")
    box.press_sequentially("soon")
    expect(box).to_have_value("**urgent** and *soon*")
    box.press("End")
    box.press("Shift+Enter")
    box.press_sequentially("milk")
    page.get_by_role("button", name="Bulleted list").click()
    expect(box).to_have_value("**urgent** and *soon*\n- milk")

    # Then the preview shows what will be sent
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview")
    expect(preview.locator("strong")).to_have_text("urgent")
    expect(preview.locator("em")).to_have_text("soon")
    expect(preview.locator("li")).to_have_text("milk")

    # And it is sent as markdown and rendered in the customer's own bubble
    box.press("Enter")
    sent = agent.message_from_customer("**urgent** and *soon*\n- milk")
    assert sent["ContentType"] == "text/markdown"
    mine = page.locator("li.msg.mine .bubble").last
    expect(mine.locator("strong")).to_have_text("urgent")

    # And numbered lists number each selected line
    box.fill("a\nb")
    box.press("Control+a")
    page.get_by_role("button", name="Numbered list").click()
    expect(box).to_have_value("1. a\n2. b")


def test_untrusted_text_renders_inert(
    page: Page, server: BackgroundServer, dialogs: list[str], start_chat: Callable[..., None]
) -> None:
    # Given an agent whose display name is an XSS payload
    evil = Agent(server.url, EVIL_NAME)
    try:
        start_chat(EVIL_NAME)
        evil.accept_next()

        # When payloads arrive as plain text and as markdown, and an attachment with a hostile name
        for payload in XSS:
            evil.say(payload, "text/plain")
            evil.say(payload, "text/markdown")
        start = evil.call(
            "start-attachment-upload",
            {
                "ContentType": "text/plain",
                "AttachmentSizeInBytes": 2,
                "AttachmentName": EVIL_FILE,
                "ClientToken": "evil-upload",
            },
        ).json()
        upload = start["UploadMetadata"]
        put = httpx.put(upload["Url"], content=b"hi", headers=upload["HeadersToInclude"])
        assert put.status_code in {200, 204}
        done = evil.call(
            "complete-attachment-upload",
            {"AttachmentIds": [start["AttachmentId"]], "ClientToken": "evil-done"},
        )
        assert done.status_code == 200, done.text

        # Then everything shows as text
        expect(page.locator("li.msg[data-role=AGENT]")).to_have_count(2 * len(XSS) + 1)
        expect(page.locator("li.msg[data-role=AGENT] .who").first).to_have_text(EVIL_NAME)
        expect(page.get_by_role("button", name=EVIL_FILE)).to_be_visible()
        plain = page.locator("li.msg[data-role=AGENT] .bubble").nth(0)
        expect(plain).to_have_text(XSS[0])

        # And nothing ran: no dialog, no active element, no handler, no javascript: link
        page.get_by_role("button", name=EVIL_FILE).hover()
        assert_inert(page)
        assert dialogs == []
    finally:
        evil.close()
