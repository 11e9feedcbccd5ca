"""A whole conversation through the widget on the demo page, with an agent driven through the agent API."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from browser_helpers import EVENT, Agent
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_whole_conversation_with_an_agent(page: Page, agent: Agent, start_chat: Callable[..., None]) -> None:
    # Given a customer who started a chat (the flow's greeting is on screen)
    start_chat("Ann")
    contact_id = agent.accept_next()
    messages = page.locator("li.msg")

    # When the agent joins and writes
    expect(page.get_by_text("Jane joined the chat")).to_be_visible()
    agent.say("Hello Ann, how can I help?")

    # Then the customer sees it under the agent's name
    reply = page.locator("li.msg[data-role=AGENT]").last
    expect(reply).to_contain_text("Hello Ann, how can I help?")
    expect(reply.locator(".who")).to_have_text("Jane")

    # When the customer answers (Enter sends)
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("My order has not arrived")
    box.press("Enter")

    # Then the agent gets it once, and the customer sees it exactly once (SendMessage Id = socket echo)
    sent = agent.message_from_customer("My order has not arrived")
    assert sent["DisplayName"] == "Ann" and sent["ContactId"] == contact_id
    mine = page.locator("li.msg.mine", has_text="My order has not arrived")
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-id", sent["Id"])
    expect(mine.locator(".who")).to_have_text("You")

    # And the agent's typing shows, and a second agent message lands after the customer's, in time order
    agent.event(EVENT + "typing")
    expect(page.get_by_text("Jane is typing…")).to_be_visible()
    agent.say("Let me check that for you.")
    expect(page.locator("li.msg", has_text="Let me check that for you.")).to_be_visible()
    expect(page.get_by_text("Jane is typing…")).to_be_hidden()
    texts = messages.locator(".bubble").all_inner_texts()
    assert texts[-3:] == [
        "Hello Ann, how can I help?",
        "My order has not arrived",
        "Let me check that for you.",
    ]

    # And the customer's typing reaches the agent
    box.press_sequentially("abc")
    agent.wait_for(lambda i: i.get("ContentType") == EVENT + "typing" and i["ParticipantRole"] == "CUSTOMER")
    box.fill("")

    # And the customer's read receipt reaches the agent for the message on screen
    agent_id = agent.say("Is there anything else?")
    expect(page.get_by_text("Is there anything else?")).to_be_visible()
    receipt = agent.wait_for(
        lambda i: (
            i["Type"] == "MESSAGEMETADATA"
            and i["MessageMetadata"]["MessageId"] == agent_id
            and any("ReadTimestamp" in r for r in i["MessageMetadata"]["Receipts"])
        )
    )
    assert receipt["MessageMetadata"]["MessageId"] == agent_id

    # And the agent's read receipt shows on the customer's message
    agent.event(EVENT + "message.read", json.dumps({"messageId": sent["Id"]}))
    expect(mine.locator(".meta")).to_have_text("Read")

    # And both timers run
    expect(page.locator(".timers")).to_contain_text(re.compile(r"Connected \d+:\d\d"))
    expect(page.locator(".timers")).to_contain_text(re.compile(r"Since last message \d+:\d\d"))


def test_transcript_pages_load_oldest_on_request(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a chat with more messages than the first transcript page holds (15)
    start_chat("Bo")
    agent.accept_next()
    for n in range(20):
        agent.say(f"line {n:02d}")
    expect(page.get_by_text("line 19")).to_be_visible()

    # When the page reloads (resume loads only the most recent page)
    page.reload()
    expect(page.get_by_text("line 19")).to_be_visible()
    expect(page.get_by_text("line 00")).to_have_count(0)

    # Then "Load earlier messages" (or scrolling to the top) brings older pages until the chat's start
    older = page.get_by_role("button", name="Load earlier messages")
    for _ in range(6):
        if page.get_by_text("line 00").is_visible():
            break
        older.dispatch_event("click")  # no scrolling into view: that would load by itself
        expect(page.get_by_role("log")).not_to_have_attribute("aria-busy", "true")  # that page is shown
    expect(page.get_by_text("line 00")).to_be_visible()
    expect(older).to_be_hidden()
    texts = [t for t in page.locator("li.msg .bubble").all_inner_texts() if t.startswith("line")]
    assert texts == [f"line {n:02d}" for n in range(20)]


def test_pre_chat_fields_are_required_and_sent(page: Page) -> None:
    # Given a site that asks for an order number as well
    page.evaluate(
        """() => {
        document.querySelector('connect-chat').remove();
        const el = document.createElement('connect-chat');
        el.setAttribute('api-url', '/chats');
        el.setAttribute('participant-endpoint', '');
        el.setAttribute('fields', JSON.stringify([{name: 'orderId', label: 'Order number', required: true}]));
        document.body.append(el);
    }"""
    )
    requests: list[dict[str, object]] = []
    page.on("request", lambda r: r.url.endswith("/chats") and requests.append(r.post_data_json))
    page.get_by_role("button", name="Chat with us").click()

    # When the customer submits without a name
    page.get_by_role("button", name="Start chat").click()

    # Then they are told, with focus on the field
    expect(page.get_by_role("alert")).to_have_text("Please fill in this field.")
    expect(page.get_by_label("Your name")).to_be_focused()

    # When they fill both fields and start
    page.get_by_label("Your name").fill("Cy")
    page.get_by_label("Order number").fill("A-123")
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()

    # Then the extra field went as a contact attribute, with a ClientToken
    body = requests[0]
    assert body["Attributes"] == {"customerName": "Cy", "orderId": "A-123"}
    assert body["ParticipantDetails"] == {"DisplayName": "Cy"}
    assert isinstance(body["ClientToken"], str)
