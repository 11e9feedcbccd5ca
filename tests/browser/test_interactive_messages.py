"""Interactive messages in the widget (issue 10 item 5): the five Amazon Connect templates, their answers
as Amazon's chat interface sends them, hostile content, the keyboard, and the sandbox's triage bot."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import with_embed_page
from playwright.sync_api import Browser, Page, Request, Route, expect

from sandbox.server import BackgroundServer, start_in_background

pytestmark = pytest.mark.browser

INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive"
SLOT = "2030-03-05T14:30:00+00:00"
# What a left-out part (no image, no subtitle) must never show as.
STRAY_VALUE = re.compile(r"false|null|undefined|NaN")


def template(template_type: str, content: dict[str, Any]) -> str:
    return json.dumps({"templateType": template_type, "version": "1.0", "data": {"content": content}})


def bot_says(server: BackgroundServer, page: Page, content: str) -> None:
    """The bot's interactive message (the SYSTEM participant named BOT, as Connect delivers Lex's)."""
    contact_id = page.evaluate("() => document.querySelector('connect-chat').chat.contactId")
    sandbox = server.sandbox
    server.run(
        lambda: sandbox.chats.post_system_message(
            sandbox.store.contacts[contact_id], content, content_type=INTERACTIVE, display_name="BOT"
        )
    )


@pytest.fixture
def sent(page: Page) -> list[dict[str, Any]]:
    """Every SendMessage body the widget sends (passed on to the sandbox)."""
    bodies: list[dict[str, Any]] = []

    def record(route: Route, request: Request) -> None:
        bodies.append(json.loads(request.post_data or "{}"))
        route.continue_()

    page.route("**/participant/message", record)
    return bodies


def customer_says(page: Page, text: str) -> None:
    expect(page.locator("li.msg.mine:not(.pending) .bubble", has_text=text)).to_be_visible()


def test_list_picker_pick_goes_back_as_the_title_and_disables_the_list(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None], sent: list[dict[str, Any]]
) -> None:
    # Given a list picker with an https image, element subtitles and an http image
    start_chat()
    bot_says(
        server,
        page,
        template(
            "ListPicker",
            {
                "title": "What is it about?",
                "subtitle": "Tap one",
                "imageData": "https://example.test/a.png",
                "imageDescription": "Our logo",
                "elements": [
                    {
                        "title": "Billing",
                        "subtitle": "Invoices, refunds",
                        "imageData": "http://example.test/b.png",
                    },
                    {"title": "Orders"},
                ],
            },
        ),
    )

    # Then it is a group named by its title, with a button per element named by the element's title
    group = page.get_by_role("group", name="What is it about?")
    expect(group.get_by_role("button", name="Billing", exact=True)).to_be_visible()
    expect(group.get_by_text("Invoices, refunds")).to_be_visible()
    expect(group.get_by_text("Tap one")).to_be_visible()
    expect(page.locator("li[data-role=SYSTEM] .who").last).to_have_text("Bot")
    images = group.locator("img")
    expect(images).to_have_count(1)  # the http: image is left out
    expect(images).to_have_attribute("src", "https://example.test/a.png")
    expect(images).to_have_attribute("alt", "Our logo")
    expect(group).not_to_contain_text(STRAY_VALUE)

    # When the customer picks an element
    group.get_by_role("button", name="Orders").click()

    # Then its title goes back as text/plain, shows as their message, and the list takes no second answer
    customer_says(page, "Orders")
    assert [(b["ContentType"], b["Content"]) for b in sent] == [("text/plain", "Orders")]
    expect(group.get_by_role("button", name="Billing", exact=True)).to_be_disabled()
    expect(group.get_by_role("button", name="Orders")).to_be_disabled()


def test_quick_reply_by_keyboard(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None], sent: list[dict[str, Any]]
) -> None:
    # Given a quick reply
    start_chat()
    bot_says(
        server,
        page,
        template("QuickReply", {"title": "Same issue?", "elements": [{"title": "Yes"}, {"title": "No"}]}),
    )
    group = page.get_by_role("group", name="Same issue?")
    expect(group).to_have_text("Same issue?YesNo")  # no image, no subtitle: nothing else shows

    # When the customer tabs to "No" and presses Enter
    group.get_by_role("button", name="Yes").focus()
    page.keyboard.press("Tab")
    expect(group.get_by_role("button", name="No")).to_be_focused()
    page.keyboard.press("Enter")

    # Then "No" is the answer, and the focus moves to the message box
    customer_says(page, "No")
    assert [b["Content"] for b in sent] == ["No"]
    expect(page.get_by_role("textbox", name="Type a message")).to_be_focused()


def test_panel_action_button_sends_an_interactive_response(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None]
) -> None:
    # Given a panel whose last element is a "show more" action button, and hyperlink elements
    start_chat()
    bot_says(
        server,
        page,
        template(
            "Panel",
            {
                "title": "How can we help?",
                "subtitle": "Choose",
                "referenceId": "ref-1",
                "listId": "help",
                "preIndex": -1,
                "nextIndex": 2,
                "elements": [
                    {"title": "Track my order"},
                    {"title": "Our policy", "type": "hyperlink", "url": "https://example.test/policy"},
                    {"title": "Bad link", "type": "hyperlink", "url": "javascript:alert(1)"},
                    {"title": "Show more", "actionDetail": "SHOW_MORE"},
                ],
            },
        ),
    )
    group = page.get_by_role("group", name="How can we help?")
    expect(group.get_by_role("link", name="Our policy")).to_have_attribute(
        "href", "https://example.test/policy"
    )
    expect(group.get_by_role("link", name="Bad link")).to_have_count(0)
    expect(group.get_by_text("Bad link")).to_be_visible()

    # When the customer presses "Show more" (Space on the focused button)
    group.get_by_role("button", name="Show more").focus()
    with page.expect_request("**/participant/message") as request:
        page.keyboard.press("Space")

    # Then the widget sends the chat interface's interactive response (JSON for the bot)
    body = json.loads(request.value.post_data or "{}")
    assert body["ContentType"] == INTERACTIVE + ".response"
    assert json.loads(body["Content"]) == {
        "version": "1.0",
        "data": {
            "actionName": "SHOW_MORE",
            "preIndex": -1,
            "nextIndex": 2,
            "listId": "help",
            "templateType": "Panel",
            "referenceId": "ref-1",
        },
        "action": "SHOW_MORE",
    }
    expect(group.get_by_role("button", name="Track my order")).to_be_disabled()


def test_time_picker_shows_slots_in_the_customers_time_zone(
    browser: Browser, server: BackgroundServer, start_chat_in: Callable[..., Page]
) -> None:
    # Given a customer in Tokyo (UTC+9) and a time picker offering 14:30 UTC
    page = start_chat_in(browser.new_context(base_url=server.url, timezone_id="Asia/Tokyo", locale="en-US"))
    bot_says(
        server,
        page,
        template(
            "TimePicker",
            {
                "title": "Pick a time",
                "timeZoneOffset": 0,
                "timeslots": [
                    {"date": SLOT, "duration": 60},
                    {"date": "not a date", "duration": 60},
                    {"duration": 5},
                ],
            },
        ),
    )
    group = page.get_by_role("group", name="Pick a time")

    # Then the slot reads in their own time (23:30 in Tokyo), the malformed slots are left out
    slot = group.get_by_role("button")
    expect(slot).to_have_count(1)
    expect(slot).to_contain_text("11:30")
    expect(slot).to_contain_text("PM")

    # When they pick it, the slot's date goes back as offered
    slot.click()
    customer_says(page, SLOT)


def test_carousel_pick_sends_the_card_and_the_choice(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None], sent: list[dict[str, Any]]
) -> None:
    # Given a carousel of two cards (a panel and a list picker) and one card of an unknown type
    start_chat()
    card = {"title": "Bel Air", "elements": [{"title": "Book room"}, {"title": "Details"}]}
    bot_says(
        server,
        page,
        template(
            "Carousel",
            {
                "title": "Our hotels",
                "elements": [
                    {
                        "templateIdentifier": "h1",
                        "templateType": "Panel",
                        "version": "1.0",
                        "data": {"content": card},
                    },
                    {
                        "templateIdentifier": "h2",
                        "templateType": "ListPicker",
                        "version": "1.0",
                        "data": {"content": {"title": "Malibu", "elements": [{"title": "Book room"}]}},
                    },
                    {
                        "templateIdentifier": "h3",
                        "templateType": "Video",
                        "data": {"content": {"title": "Nope"}},
                    },
                ],
            },
        ),
    )
    carousel = page.get_by_role("group", name="Our hotels")
    expect(carousel.get_by_role("group")).to_have_count(2)

    # When the customer books a room at Bel Air
    carousel.get_by_role("group", name="Bel Air").get_by_role("button", name="Book room").click()

    # Then the chat interface's carousel answer goes, and it reads "Bel Air - Book room"
    customer_says(page, "Bel Air - Book room")
    assert json.loads(sent[0]["Content"]) == {
        "templateIdentifier": "h1",
        "listTitle": "Bel Air",
        "selectionText": "Book room",
    }
    expect(carousel.get_by_role("group", name="Malibu").get_by_role("button")).to_be_disabled()


HOSTILE = [
    # (content, text the bubble must show)
    (
        template(
            "ListPicker",
            {
                "title": "<script>window.pwned=1</script>",
                "elements": [{"title": "<img src=x onerror=window.pwned=1>"}],
            },
        ),
        "<script>window.pwned=1</script>",
    ),
    (template("Panel", {"title": "T" * 5000, "elements": [{"title": "E" * 5000}]}), "T" * 400 + "…"),
    (
        template(
            "ListPicker",
            {
                "title": "Images",
                "imageData": "javascript:window.pwned=1",
                "elements": [{"title": "a", "imageData": "data:image/png;base64,AA"}],
            },
        ),
        "Images",
    ),
    (template("ListPicker", {"title": "No elements"}), "No elements"),
    (template("QuickReply", {"elements": [{"subtitle": "no title"}, 5, None]}), "New message"),
    (template("FancyForm", {"title": "Please fill in the form"}), "Please fill in the form"),
    (json.dumps({"templateType": "ListPicker"}), "New message"),
    ("{not json", "New message"),
    ("", "New message"),
]


@pytest.mark.parametrize(
    ("content", "shown"),
    HOSTILE,
    ids=[
        "markup",
        "huge",
        "unsafe-images",
        "no-elements",
        "no-titles",
        "unknown-template",
        "no-content",
        "invalid-json",
        "empty",
    ],
)
def test_hostile_or_broken_interactive_content_is_text_never_an_empty_bubble(
    page: Page, server: BackgroundServer, start_chat: Callable[..., None], content: str, shown: str
) -> None:
    # Given a bot message that is hostile, huge or broken
    start_chat()
    bot_says(server, page, content)

    # Then the bubble shows text (no markup, no script ran, no unsafe image, nothing longer than the limit)
    bubble = page.locator("li[data-role=SYSTEM] .bubble").last
    expect(bubble).to_contain_text(shown)
    assert bubble.inner_text().strip()
    assert page.evaluate("() => window.pwned") is None
    assert bubble.locator("script, img:not([src^='https:'])").count() == 0
    assert max(len(b) for b in bubble.locator("b, p").all_text_contents() or [""]) <= 401


@pytest.fixture
def start_chat_in() -> Iterator[Callable[..., Page]]:
    """Start a chat on a page of a given browser context (closed after the test)."""
    contexts: list[Any] = []

    def start(context: Any) -> Page:
        contexts.append(context)
        page = context.new_page()
        page.goto("/")
        page.get_by_role("button", name="Chat with us").click()
        page.get_by_label("Your name").fill("Ann")
        page.get_by_role("button", name="Start chat").click()
        expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()
        return page

    yield start
    for context in contexts:
        context.close()


@pytest.fixture
def bot_server(s3_endpoint: str) -> Iterator[BackgroundServer]:
    """A sandbox whose flows run the project's triage bot (`chatBot`)."""
    server = with_embed_page(
        start_in_background(demo_agent=False, s3_endpoint=s3_endpoint, throttle_sends=False, chat_bot=True)
    )
    yield server
    server.stop()


def test_triage_bot_list_is_clickable_and_the_pick_reaches_the_bot(
    browser: Browser, bot_server: BackgroundServer, start_chat_in: Callable[..., Page]
) -> None:
    # Given a chat with the sandbox's triage bot, which opens with its list of topics
    page = start_chat_in(browser.new_context(base_url=bot_server.url))
    topics = page.locator("li[data-role=SYSTEM] [role=group]").first
    expect(topics.get_by_role("button", name="Orders and delivery")).to_be_visible()

    # When the customer clicks a topic
    topics.get_by_role("button", name="Orders and delivery").click()

    # Then the bot got it as text/plain and asks to confirm it with a quick reply
    customer_says(page, "Orders and delivery")
    confirm = page.locator("li[data-role=SYSTEM] [role=group]").nth(1)
    expect(confirm).to_contain_text("Orders and delivery")
    expect(confirm.get_by_role("button").first).to_be_enabled()
    contact_id = page.evaluate("() => document.querySelector('connect-chat').chat.contactId")
    items = bot_server.sandbox.store.contacts[contact_id].items
    picks = [i for i in items if i.get("ParticipantRole") == "CUSTOMER" and i["Type"] == "MESSAGE"]
    assert [(i["ContentType"], i["Content"]) for i in picks] == [("text/plain", "Orders and delivery")]
