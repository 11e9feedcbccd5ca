"""Attachments both ways, and failures shown in plain words without losing what was typed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from browser_helpers import Agent
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser


def test_attachments_round_trip(
    page: Page, agent: Agent, start_chat: Callable[..., None], tmp_path: Path
) -> None:
    # Given a chat (attachments permitted)
    start_chat()
    agent.accept_next()
    note = tmp_path / "receipt.txt"
    note.write_text("order 4711, paid")

    # When the customer attaches a file
    page.locator("connect-chat input[type=file]").set_input_files(note)

    # Then the agent gets an attachment item whose bytes download intact
    item = agent.wait_for(lambda i: i["Type"] == "ATTACHMENT" and i["ParticipantRole"] == "CUSTOMER")
    attachment = item["Attachments"][0]
    assert attachment["AttachmentName"] == "receipt.txt"
    assert attachment["ContentType"] == "text/plain"
    url = agent.call("attachment", {"AttachmentId": attachment["AttachmentId"], "UrlExpiryInSeconds": 60})
    assert httpx.get(url.json()["Url"]).text == "order 4711, paid"
    expect(page.get_by_role("button", name="receipt.txt")).to_be_visible()

    # When the agent sends a file back and the customer opens it
    start = agent.call(
        "start-attachment-upload",
        {
            "ContentType": "text/plain",
            "AttachmentSizeInBytes": 9,
            "AttachmentName": "label.txt",
            "ClientToken": "agent-upload",
        },
    ).json()
    upload = start["UploadMetadata"]
    httpx.put(upload["Url"], content=b"ship here", headers=upload["HeadersToInclude"]).raise_for_status()
    agent.call("complete-attachment-upload", {"AttachmentIds": [start["AttachmentId"]], "ClientToken": "c"})
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="label.txt").click()

    # Then the browser saves the file from its GetAttachment URL
    download = downloaded.value
    assert download.suggested_filename == "label.txt"
    assert Path(download.path()).read_text() == "ship here"


def test_disallowed_file_is_refused_before_upload(
    page: Page, agent: Agent, start_chat: Callable[..., None], tmp_path: Path
) -> None:
    # Given a chat
    start_chat()
    agent.accept_next()
    uploads: list[str] = []
    page.on("request", lambda r: "attachment-upload" in r.url and uploads.append(r.url))
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ")

    # When the customer picks a file type Connect does not accept
    page.locator("connect-chat input[type=file]").set_input_files(program)

    # Then they are told in plain words and nothing is uploaded
    expect(page.locator(".status")).to_have_text("This file type cannot be sent.")
    assert uploads == []


def test_failed_send_keeps_the_message_and_retries(
    page: Page, agent: Agent, start_chat: Callable[..., None]
) -> None:
    # Given a chat whose next SendMessage fails with a 500
    start_chat()
    agent.accept_next()
    failures = {"left": 1}

    def flaky(route: Route) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(
                status=500,
                headers={"x-amzn-ErrorType": "InternalServerException", "access-control-allow-origin": "*"},
                body=json.dumps({"Message": "boom"}),
            )
        else:
            route.continue_()

    page.route("**/participant/message", flaky)

    # When the customer sends
    box = page.get_by_role("textbox", name="Type a message")
    box.fill("Do not lose me")
    box.press("Enter")

    # Then the message stays on screen with a plain explanation and Retry
    mine = page.locator("li.msg.mine", has_text="Do not lose me")
    expect(mine.locator(".meta")).to_contain_text("Not sent. The chat service is having trouble.")
    mine.get_by_role("button", name="Retry").click()

    # And the retry delivers it, once
    agent.message_from_customer("Do not lose me")
    expect(mine.locator(".meta")).not_to_contain_text("Not sent")
    expect(page.locator("li.msg.mine", has_text="Do not lose me")).to_have_count(1)


def test_throttled_start_says_so_and_keeps_the_form(page: Page) -> None:
    # Given the start-chat API answers 429 once
    calls = {"n": 0}

    def throttled(route: Route) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            body = {"error": {"code": "TooManyRequests", "message": "slow down"}}
            route.fulfill(status=429, headers={"Retry-After": "1"}, body=json.dumps(body))
        else:
            route.continue_()

    page.route("**/chats", throttled)
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Dee")

    # When the customer starts
    page.get_by_role("button", name="Start chat").click()

    # Then they read why, their name is still there, and trying again works
    expect(page.get_by_role("alert")).to_have_text("Too many requests. Please wait a moment and try again.")
    expect(page.get_by_label("Your name")).to_have_value("Dee")
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator("li.msg[data-role=SYSTEM]").first).to_be_visible()
