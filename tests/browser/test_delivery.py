"""Nothing is lost between the widget and the service: reconnect catch-up, receipts, sends before the
connection is up or with an expired ConnectionToken, typing throttle, start-chat retries."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from browser_helpers import EVENT, WAIT, Agent
from playwright.sync_api import Page, Request, Route, expect

from sandbox.contacts.model import Role
from sandbox.server import BackgroundServer

pytestmark = pytest.mark.browser

DENIED = {
    "status": 403,
    "headers": {"x-amzn-ErrorType": "AccessDeniedException", "Content-Type": "application/json"},
    "body": json.dumps({"Message": "Access denied"}),
}


def posted(request: Request) -> dict[str, Any]:
    """The JSON body of a request the widget made."""
    return json.loads(request.post_data or "{}")


def test_everything_said_while_the_socket_was_down_arrives_in_order(
    page: Page, agent: Agent, server: BackgroundServer, start_chat: Callable[..., None]
) -> None:
    # Given a conversation in progress
    start_chat("Ann")
    contact_id = agent.accept_next()
    agent.say("before the drop")
    expect(page.locator("li.msg", has_text="before the drop")).to_be_visible()
    texts = [f"away {n:02d}" for n in range(25)]  # more than a transcript page (15)

    # When the server drops the customer's socket and the agent writes 25 messages meanwhile
    def drop_and_write() -> None:
        sandbox = server.sandbox
        contact = sandbox.store.contacts[contact_id]
        for participant in contact.participants.values():
            if participant.role is Role.CUSTOMER:
                sandbox.hub.close_participant(participant)
        agent_participant = next(p for p in contact.participants.values() if p.role is Role.AGENT)
        for text in texts:
            body = {"ContentType": "text/plain", "Content": text, "ClientToken": str(uuid.uuid4())}
            sandbox.chats.send_message(agent_participant, body)

    server.run(drop_and_write)

    # Then after the reconnect every one of them is shown once, in order, after the earlier messages
    expect(page.locator("li.msg", has_text="away 24")).to_have_count(1)
    expect(page.locator("li.msg", has_text="away 00")).to_have_count(1)
    expect(page.locator(".status")).to_be_empty()
    bubbles = page.locator("li.msg .bubble").all_inner_texts()
    assert [t for t in bubbles if t.startswith("away")] == texts
    assert bubbles.count("before the drop") == 1
    assert bubbles.index("before the drop") < bubbles.index("away 00")
    expect(page.locator(".log")).not_to_have_attribute("aria-busy", "true")


def test_receipts_from_the_transcript_show_after_a_reload(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given the agent read the customer's message
    start_chat("Ann")
    agent.accept_next()
    page.get_by_role("textbox", name="Type a message").fill("did you read this")
    page.get_by_role("textbox", name="Type a message").press("Enter")
    sent = agent.message_from_customer("did you read this")
    agent.event(EVENT + "message.read", json.dumps({"messageId": sent["Id"]}))
    mine = page.locator("li.msg.mine", has_text="did you read this")
    expect(mine.locator(".meta")).to_have_text("Read")

    # When the page reloads (the receipt now comes only from GetTranscript's MessageMetadata)
    page.reload()

    # Then the message still says Read
    expect(mine.locator(".meta")).to_have_text("Read")


def test_read_receipts_are_batched_once_per_message_and_retried_after_429(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given three agent messages that arrive while the panel is closed
    start_chat("Ann")
    agent.accept_next()
    page.get_by_role("button", name="Minimize chat").click()
    ids = [agent.say(f"unseen {n}") for n in range(3)]
    expect(page.locator(".badge")).to_have_text("3")

    # And the service throttles the first read receipt
    receipts: list[dict[str, Any]] = []
    throttled: list[str] = []

    def on_event(route: Route) -> None:
        body = posted(route.request)
        if body["ContentType"] == EVENT + "message.read" and not throttled:
            throttled.append(json.loads(body["Content"])["messageId"])
            route.fulfill(
                status=429,
                headers={"x-amzn-ErrorType": "ThrottlingException", "Retry-After": "1"},
                body='{"Message": "Rate exceeded"}',
            )
            return
        if body["ContentType"] != EVENT + "typing":
            receipts.append(body)
        route.continue_()

    page.route("**/participant/event", on_event)

    # When the customer opens the panel, closes and reopens it
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_role("button", name="Minimize chat").click()
    page.get_by_role("button", name="Chat with us").click()

    # Then the batch is sent, the throttled receipt again later (routes run inside Playwright calls)
    def read() -> list[str]:
        return [json.loads(r["Content"])["messageId"] for r in receipts if r["ContentType"].endswith("read")]

    deadline = time.monotonic() + WAIT
    while len(read()) < len(ids):
        assert time.monotonic() < deadline, receipts
        page.wait_for_timeout(50)  # polling the route log, not a wait for behaviour
    # And the agent gets a read receipt for each message, the throttled one included
    for message_id in ids:
        agent.wait_for(
            lambda i, m=message_id: (
                i["Type"] == "MESSAGEMETADATA"
                and i["MessageMetadata"]["MessageId"] == m
                and any("ReadTimestamp" in r for r in i["MessageMetadata"]["Receipts"])
            )
        )
    # And each message got one read receipt sent (accepted), no duplicates
    page.wait_for_function(
        "() => { const c = document.querySelector('connect-chat');"
        " return !c.receipts.timer && !c.receipts.outbox.size; }"
    )
    assert sorted(read()) == sorted(ids)
    assert throttled[0] in ids


def test_send_waits_for_the_connection(page: Page, agent: Agent) -> None:
    # Given CreateParticipantConnection has not answered yet
    held: list[Route] = []
    page.route("**/participant/connection", lambda route: held.append(route))
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Ann")
    page.get_by_role("button", name="Start chat").click()
    box = page.get_by_role("textbox", name="Type a message")
    send = page.get_by_role("button", name="Send")
    expect(box).to_be_visible()
    deadline = time.monotonic() + WAIT
    while not held:
        assert time.monotonic() < deadline, "CreateParticipantConnection was never requested"
        page.wait_for_timeout(20)  # polling for the held request, not a wait for behaviour

    # When the customer tries to send
    box.fill("early words")
    box.press("Enter")

    # Then nothing is sent and the text stays in the box
    expect(send).to_be_disabled()
    expect(box).to_have_value("early words")
    expect(page.locator("li.msg.mine")).to_have_count(0)

    # And once connected, it sends
    held[0].continue_()
    expect(send).to_be_enabled()
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()
    agent.accept_next()
    box.press("Enter")
    agent.message_from_customer("early words")
    expect(box).to_have_value("")


def test_expired_connection_token_is_refreshed_and_the_send_retried_once(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given the ConnectionToken stopped working (SendMessage answers 403 once)
    start_chat("Ann")
    agent.accept_next()
    tokens: list[str] = []
    connections: list[Request] = []

    def on_message(route: Route) -> None:
        tokens.append(posted(route.request)["ClientToken"])
        if len(tokens) == 1:
            route.fulfill(**DENIED)
        else:
            route.continue_()

    page.route("**/participant/message", on_message)
    page.on("request", lambda r: r.url.endswith("/participant/connection") and connections.append(r))

    # When the customer sends
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("after expiry")
    box.press("Enter")

    # Then the widget gets a new ConnectionToken and repeats the send with the same ClientToken
    # (Playwright calls first: routes are served only while the test is inside one)
    expect(page.locator("li.msg.mine", has_text="after expiry")).to_have_count(1)
    expect(page.locator("li.msg.mine.pending")).to_have_count(0)
    agent.message_from_customer("after expiry")
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert len(connections) == 1
    assert connections[0].headers["x-amz-bearer"] == page.evaluate(
        "() => document.querySelector('connect-chat').chat.token"
    )


def test_a_send_refused_even_after_refresh_puts_the_text_back(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given SendMessage is refused whatever the token
    start_chat("Ann")
    agent.accept_next()
    page.route("**/participant/message", lambda route: route.fulfill(**DENIED))

    # When the customer sends
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("keep me")
    box.press("Enter")

    # Then the text is back in the box and the error is shown
    expect(box).to_have_value("keep me")
    expect(page.locator(".status")).to_have_text("This chat is no longer available.")


def test_typing_events_are_throttled_to_one_per_ten_seconds(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a conversation, on a page whose clock moves only when the test moves it (so how fast this
    # machine types cannot decide how many ten-second windows the typing spans)
    now = time.time()
    page.clock.install(time=now)
    page.clock.pause_at(now + 1)
    page.goto("/")
    start_chat("Ann")
    agent.accept_next()
    box = page.get_by_role("textbox", name="Type a message")

    def typing_events() -> list[dict[str, Any]]:
        return [i for i in agent.items if i.get("ContentType") == EVENT + "typing"]

    # When the customer types in several bursts and sends
    for word in ["one ", "two ", "three"]:
        box.press_sequentially(word)
    box.press("Enter")

    # Then the agent saw a single typing event before the message
    agent.message_from_customer("one two three")
    assert all(i["ParticipantRole"] == "CUSTOMER" for i in typing_events())
    assert len(typing_events()) == 1

    # When more than ten seconds later the customer types again
    page.clock.fast_forward(10_001)
    box.press_sequentially("four")
    box.press("Enter")

    # Then that is a second typing event
    agent.message_from_customer("four")
    assert len(typing_events()) == 2


def test_start_retry_reuses_the_client_token_and_403_says_the_site_is_not_allowed(page: Page) -> None:
    # Given the first start request is lost on the network
    tokens: list[str] = []

    def on_start(route: Route) -> None:
        tokens.append(posted(route.request)["ClientToken"])
        if len(tokens) == 1:
            route.abort()
        elif len(tokens) == 2:
            route.fulfill(
                status=403,
                headers={"Content-Type": "application/json"},
                body='{"error": {"code": "Forbidden", "message": "origin not allowed"}}',
            )
        else:
            route.continue_()

    page.route("**/chats", on_start)
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Ann")
    start = page.get_by_role("button", name="Start chat")
    start.click()
    expect(page.get_by_text("No connection. Check your network and try again.")).to_be_visible()

    # When the customer tries again: the same attempt, so the same ClientToken
    start.click()

    # Then a 403 says the site may not start chats (not that "this chat" is gone)
    expect(page.get_by_text("Chat cannot be started from this website.")).to_be_visible()
    assert tokens[0] == tokens[1]

    # And after a refusal the next attempt is a new one
    start.click()
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()
    assert tokens[2] != tokens[1]
