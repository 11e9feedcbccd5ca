"""The real start-chat ``lambda_handler`` starting chats: what Connect gets, what the widget gets."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from lambdas.start_chat.continuation import issue_continuation
from lambdas.start_chat.observability import METRICS_NAMESPACE

from .conftest import (
    ATTRIBUTE_VALUE,
    CONNECT_ANSWER,
    CONTINUATION_KEY,
    DISPLAY_NAME,
    LOCAL_SITE,
    MESSAGE,
    MINIMAL_BODY,
    SITE,
    EventFactory,
    FixedClock,
    Handle,
    ReadOutput,
    body,
    expected_params,
    header,
)

pytestmark = pytest.mark.handler


# --- success ---------------------------------------------------------------------------------------


def test_minimal_request_starts_chat_with_deployment_defaults(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    clock: FixedClock,
) -> None:
    # Given Connect answers StartChatContact for exactly the deployment's instance, flow and defaults
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When an allowed website posts only a display name (with whitespace around it)
    response = handle(event(body={"ParticipantDetails": {"DisplayName": f"  {DISPLAY_NAME} "}}, origin=SITE))

    # Then the answer is exactly the widget's shape, readable by that website and never cached
    assert response["statusCode"] == 200
    assert body(response) == {
        "data": {
            "startChatResult": CONNECT_ANSWER,
            "featurePermissions": {"ATTACHMENTS": True, "MESSAGING_MARKDOWN": True},
            "continuation": issue_continuation(CONTINUATION_KEY, "contact-1", clock.now, 48).model_dump(
                by_alias=True
            ),
        }
    }
    assert header(response, "Content-Type") == "application/json"
    assert header(response, "Access-Control-Allow-Origin") == SITE
    assert header(response, "Vary") == "Origin"
    assert header(response, "Cache-Control") == "no-store"
    # And one ChatsStarted metric and one log line with the contact id are written
    output = captured_output()
    assert output.metric_names() == ["ChatsStarted"]
    assert output.metric_blobs[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == METRICS_NAMESPACE
    started = [line for line in output.log_lines if line.get("outcome") == "started"]
    assert len(started) == 1
    assert started[0]["contact_id"] == "contact-1"
    assert started[0]["dropped_attribute_count"] == 0


def test_full_request_forwards_allowed_fields_only(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    clock: FixedClock,
) -> None:
    # Given a request using every field, plus fields the official widget sends that must be ignored
    request = {
        "ParticipantDetails": {"DisplayName": DISPLAY_NAME},
        "Attributes": {"customerName": "Zyxwv", "orderId": ATTRIBUTE_VALUE, "vip": "secret-not-allowed"},
        "InitialMessage": {"ContentType": "text/plain", "Content": MESSAGE},
        "SupportedMessagingContentTypes": ["text/plain", "application/json"],
        "ChatDurationInMinutes": 120,
        "PersistentChat": {
            "RehydrationType": "ENTIRE_PAST_SESSION",
            "SourceContactId": "contact-0",
            "ContinuationToken": issue_continuation(CONTINUATION_KEY, "contact-0", clock.now, 48).token,
        },
        "ClientToken": "b3e9a6a2-retry-same-token",
        "InstanceId": "attacker-instance",
        "ContactFlowId": "attacker-flow",
        "Username": "someone",
        "featurePermissions": {"ATTACHMENTS": True},
    }
    connect_stub.add_response(
        "start_chat_contact",
        {**CONNECT_ANSWER, "ContinuedFromContactId": "contact-0"},
        expected_params(
            Attributes={"customerName": "Zyxwv", "orderId": ATTRIBUTE_VALUE},
            InitialMessage={"ContentType": "text/plain", "Content": MESSAGE},
            SupportedMessagingContentTypes=["text/plain", "application/json"],
            ChatDurationInMinutes=120,
            PersistentChat={"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": "contact-0"},
            ClientToken="b3e9a6a2-retry-same-token",
        ),
    )

    # When it is posted
    response = handle(event(body=request, origin=LOCAL_SITE))

    # Then Connect got the deployment's instance and flow, allowed attributes only and the client token
    assert response["statusCode"] == 200
    assert body(response)["data"]["startChatResult"] == {
        **CONNECT_ANSWER,
        "ContinuedFromContactId": "contact-0",
    }
    assert header(response, "Access-Control-Allow-Origin") == LOCAL_SITE
    # And the log counts the dropped attribute without naming it
    output = captured_output()
    started = next(line for line in output.log_lines if line.get("outcome") == "started")
    assert started["dropped_attribute_count"] == 1
    assert "vip" not in output.text


def test_request_without_origin_is_a_non_browser_client(
    event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    # Given Connect will answer
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When a client without an Origin header (curl, a backend) posts
    response = handle(event(body=MINIMAL_BODY))

    # Then the chat starts and no CORS header is sent
    assert response["statusCode"] == 200
    assert header(response, "Access-Control-Allow-Origin") is None
    assert header(response, "Vary") is None


def test_base64_encoded_body_is_decoded(event: EventFactory, handle: Handle, connect_stub: Stubber) -> None:
    # Given Connect will answer
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When API Gateway delivers the body base64-encoded
    response = handle(event(body=MINIMAL_BODY, origin=SITE, base64_encoded=True))

    # Then it is read as JSON
    assert response["statusCode"] == 200


def test_deployment_without_markdown_or_attachments(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    deployment: dict[str, Any],
) -> None:
    # Given a deployment with markdown and attachments off and a 10-hour chat duration
    deployment.update(enable_markdown=False, enable_attachments=False, chat_duration_minutes=600)
    connect_stub.add_response(
        "start_chat_contact",
        CONNECT_ANSWER,
        expected_params(ChatDurationInMinutes=600, SupportedMessagingContentTypes=["text/plain"]),
    )

    # When a minimal request is posted
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then the chat supports plain text only and the widget is told both features are off
    assert response["statusCode"] == 200
    assert body(response)["data"]["featurePermissions"] == {"ATTACHMENTS": False, "MESSAGING_MARKDOWN": False}


INTERACTIVE_RESPONSE = "application/vnd.amazonaws.connect.message.interactive.response"


@pytest.mark.parametrize(
    ("markdown", "content_types"),
    [
        (True, ["text/plain", "text/markdown", INTERACTIVE_RESPONSE]),
        (False, ["text/plain", INTERACTIVE_RESPONSE]),
    ],
)
def test_a_deployment_with_a_bot_lets_the_customer_answer_interactive_messages(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    deployment: dict[str, Any],
    markdown: bool,
    content_types: list[str],
) -> None:
    # Given a deployment whose flows run a bot (interactive messages on)
    deployment.update(enable_interactive_messages=True, enable_markdown=markdown)
    connect_stub.add_response(
        "start_chat_contact", CONNECT_ANSWER, expected_params(SupportedMessagingContentTypes=content_types)
    )

    # When a minimal request is posted (the widget names no content types)
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then Connect is told the chat takes interactive responses (the stub checks the parameters)
    assert response["statusCode"] == 200


def test_a_request_choosing_its_content_types_keeps_its_choice_with_a_bot(
    event: EventFactory, handle: Handle, connect_stub: Stubber, deployment: dict[str, Any]
) -> None:
    # Given a deployment with a bot, and a client that names its own content types
    deployment.update(enable_interactive_messages=True)
    connect_stub.add_response(
        "start_chat_contact", CONNECT_ANSWER, expected_params(SupportedMessagingContentTypes=["text/plain"])
    )

    # When it starts a chat / Then Connect gets exactly the client's list
    response = handle(
        event(body={**MINIMAL_BODY, "SupportedMessagingContentTypes": ["text/plain"]}, origin=SITE)
    )
    assert response["statusCode"] == 200


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (
            {"InitialMessage": {"ContentType": "text/markdown", "Content": "**hi**"}},
            "InitialMessage.ContentType",
        ),
        (
            {"SupportedMessagingContentTypes": ["text/plain", "text/markdown"]},
            "SupportedMessagingContentTypes",
        ),
        ({"ChatDurationInMinutes": 601}, "ChatDurationInMinutes"),
    ],
)
def test_deployment_limits_are_enforced(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    deployment: dict[str, Any],
    extra: dict[str, Any],
    field: str,
) -> None:
    # Given markdown is off and chats last at most 600 minutes
    deployment.update(enable_markdown=False, chat_duration_minutes=600)

    # When a request asks for more than the deployment allows
    response = handle(event(body={**MINIMAL_BODY, **extra}, origin=SITE))

    # Then it is a 400 naming the field, and Connect is not called
    assert response["statusCode"] == 400
    assert body(response)["error"]["code"] == "VALIDATION_ERROR"
    assert [problem["field"] for problem in body(response)["error"]["fields"]] == [field]
