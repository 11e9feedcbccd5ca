"""The agent workspace with the triage bot (`chatBot`): the bot's turns labelled BOT, its interactive
messages and the customer's answers as readable text, the topic it set in the contact details; hostile
interactive content shown as inert text. A sandbox of its own on the manual clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from workspace_helpers import Desk, eventually

from bench._chat_customer import Customer
from bots import triage
from sandbox.bot_runtime.chat_bots import INTERACTIVE
from sandbox.clock import ManualClock
from sandbox.contacts.model import BOT_DISPLAY_NAME
from sandbox.server import BackgroundServer, start_in_background

pytestmark = pytest.mark.browser

BILLING = triage.TOPICS[0].value
OPTIONS = " · ".join(topic.value for topic in triage.TOPICS)
INTERACTIVE_RESPONSE = f"{INTERACTIVE}.response"


@pytest.fixture
def bot_server(s3_endpoint: str, manual_clock: ManualClock) -> Iterator[BackgroundServer]:
    """A sandbox running the triage bot in its flows, on the manual clock."""
    server = start_in_background(
        clock=manual_clock, demo_agent=False, s3_endpoint=s3_endpoint, throttle_sends=False, chat_bot=True
    )
    yield server
    server.stop()


@pytest.fixture
def ann(bot_server: BackgroundServer) -> Iterator[Customer]:
    """Ann, who has started a chat from the widget (the start-chat Lambda): the bot talks to her first."""
    customer = Customer(bot_server.url, "Ann")
    yield customer
    customer.close()


@pytest.fixture
def desk(browser: Browser, bot_server: BackgroundServer) -> Iterator[Desk]:
    """Jane's workspace, logged in."""
    desk = Desk(browser, bot_server, "Jane")
    yield desk
    desk.close()


def from_bot(item: dict[str, Any]) -> bool:
    return item["Type"] == "MESSAGE" and item.get("DisplayName") == BOT_DISPLAY_NAME


def bot_turns(customer: Customer, count: int) -> None:
    """Wait until the bot has posted ``count`` messages in the customer's chat."""
    eventually(lambda: len([i for i in customer.transcript() if from_bot(i)]) >= count, f"{count} bot turns")


def bot_says(server: BackgroundServer, contact_id: str, content: str) -> None:
    """A message from the flow's bot, posted as Connect posts a Lex bot's (SYSTEM, named BOT)."""
    sandbox = server.sandbox
    server.run(
        lambda: sandbox.chats.post_system_message(
            sandbox.store.contacts[contact_id],
            content,
            content_type=INTERACTIVE,
            display_name=BOT_DISPLAY_NAME,
        )
    )


def triage_and_accept(desk: Desk, ann: Customer) -> Any:
    """Ann picks the first topic from the bot's list and confirms; the bot hands her off and Jane
    accepts. Returns the chat's log."""
    bot_turns(ann, 1)  # the list may come before Ann's socket subscribed: read the transcript
    ann.say(BILLING)  # a pick goes back as the element's title
    bot_turns(ann, 2)
    ann.say(triage.YES)
    bot_turns(ann, 3)
    desk.accept("Ann")
    return desk.page.get_by_role("log", name="Chat with Ann")


def test_the_agent_reads_the_bot_turns_the_picks_and_the_topic(desk: Desk, ann: Customer) -> None:
    # Given Ann has picked a topic from the bot's list and confirmed it
    # When the bot has handed her to the queue and Jane accepts
    log = triage_and_accept(desk, ann)

    # Then every bot turn is labelled BOT and reads as its question and its options
    listed = log.locator("li.msg").filter(has_text=triage.TOPIC_QUESTION)
    expect(listed.locator(".bubble")).to_have_text(f"{triage.TOPIC_QUESTION} — Options: {OPTIONS}")
    expect(listed.locator(".who")).to_have_text("BOT")
    confirm = triage.CONFIRM_QUESTION.replace("{Topic}", BILLING)
    expect(log.locator("li.msg").filter(has_text=confirm).locator(".bubble")).to_have_text(
        f"{confirm} — Options: {triage.YES} · {triage.NO}"
    )
    handoff = log.locator("li.msg").filter(has_text=triage.HANDOFF.replace("{Topic}", BILLING))
    expect(handoff.locator(".who")).to_have_text("BOT")
    # And the flow's own messages keep the SYSTEM label
    expect(log.locator("li.msg[data-role=SYSTEM] .who").first).to_have_text("SYSTEM")
    # And Ann's picks are hers, as their titles
    expect(log.locator("li.msg[data-role=CUSTOMER] .bubble")).to_have_text([BILLING, triage.YES])
    expect(log.locator("li.msg[data-role=CUSTOMER] .who").first).to_have_text("Ann")
    # And the contact details show the topic the bot set
    details = desk.page.get_by_role("region", name="Contact details")
    topic = details.locator("dt").filter(has_text=triage.TOPIC_ATTRIBUTE)
    expect(topic.locator("+ dd")).to_have_text(BILLING)


HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">'


def _template(template_type: str, content: Any) -> str:
    return json.dumps({"templateType": template_type, "version": "1.0", "data": {"content": content}})


# (content type, content, what the agent reads)
HOSTILE_CASES = [
    (INTERACTIVE, "{not json", "Interactive message"),
    (INTERACTIVE, "null", "Interactive message"),
    (INTERACTIVE, _template("ListPicker", {"title": 7, "elements": "x"}), "Interactive message"),
    (
        INTERACTIVE,
        _template("QuickReply", {"title": HOSTILE_TITLE, "elements": [{"title": "<script>x()</script>"}, 5]}),
        f"{HOSTILE_TITLE} — Options: <script>x()</script>",
    ),
    (
        INTERACTIVE,
        _template("Carousel", {"title": "Deals", "elements": [{"data": {"content": {"title": "Card A"}}}]}),
        "Deals — Options: Card A",
    ),
    (
        INTERACTIVE,
        _template("TimePicker", {"title": "When?", "timeslots": [{"date": "2026-01-02T10:00+00:00"}]}),
        "When? — Options: 2026-01-02T10:00+00:00",
    ),
    (INTERACTIVE, _template("SomethingNew", {"title": "Just a title"}), "Just a title"),
    (
        INTERACTIVE,
        _template("ListPicker", {"title": "Many", "elements": [{"title": "o"}] * 500}),
        "Many — Options: " + " · ".join(["o"] * 20),
    ),
    (INTERACTIVE_RESPONSE, "[[[", "Interactive response"),
    (INTERACTIVE_RESPONSE, _template("ListPicker", {"title": HOSTILE_TITLE}), f"Chose: {HOSTILE_TITLE}"),
]


def test_interactive_content_is_shown_as_inert_text(
    desk: Desk, ann: Customer, bot_server: BackgroundServer
) -> None:
    # Given Ann's chat with Jane, after the bot
    log = triage_and_accept(desk, ann)

    for content_type, content, shown in HOSTILE_CASES:
        # When an interactive message (from the bot) or response (from Ann) comes, hostile or broken
        if content_type == INTERACTIVE:
            bot_says(bot_server, ann.contact_id, content)
        else:
            ann.say(content, INTERACTIVE_RESPONSE)

        # Then it reads as short plain text, never empty, and nothing in it becomes markup or runs
        bubble = log.locator("li.msg .bubble").last
        expect(bubble).to_have_text(shown)
        assert bubble.locator("*").count() == 0, content
    assert desk.page.evaluate("() => window.__pwned") is None
