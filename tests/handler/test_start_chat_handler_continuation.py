"""Persistent chat needs proof of possession: the continuation token a start is answered with."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.stub import Stubber

from lambdas.start_chat.continuation import issue_continuation
from lambdas.start_chat.environment import lambda_environment
from lambdas.start_chat.handler import lambda_handler
from lambdas.start_chat.settings import load_settings

from .conftest import (
    CONNECT_ANSWER,
    CONTINUATION_KEY,
    MINIMAL_BODY,
    SITE,
    EventFactory,
    FixedClock,
    Handle,
    ReadOutput,
    body,
    expected_params,
)

pytestmark = pytest.mark.handler

SOURCE = "11111111-aaaa-4bbb-8ccc-000000000001"
CONTINUED_ANSWER = {**CONNECT_ANSWER, "ContactId": "contact-2", "ContinuedFromContactId": SOURCE}


def _continue(token: str | None, source: str = SOURCE) -> dict[str, Any]:
    persistent: dict[str, Any] = {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": source}
    if token is not None:
        persistent["ContinuationToken"] = token
    return {**MINIMAL_BODY, "PersistentChat": persistent}


def _connect_continues(connect_stub: Stubber) -> None:
    # Connect gets the source and the rehydration type, never our token.
    persistent = {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": SOURCE}
    connect_stub.add_response(
        "start_chat_contact", CONTINUED_ANSWER, expected_params(PersistentChat=persistent)
    )


def test_every_start_is_answered_with_a_continuation_token_for_its_contact(
    event: EventFactory, handle: Handle, connect_stub: Stubber, clock: FixedClock
) -> None:
    # Given Connect starts a chat, at a known time
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When the widget starts it
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then the answer carries a token for that contact, valid for the 48-hour window
    continuation = body(response)["data"]["continuation"]
    assert continuation == issue_continuation(CONTINUATION_KEY, "contact-1", clock.now, 48).model_dump(
        by_alias=True
    )
    assert continuation["expiresAt"] == "2027-01-17T08:00:00Z"  # 1_800_000_000 + 48 h


def test_a_valid_token_continues_the_chat_and_is_not_sent_to_connect(
    event: EventFactory, handle: Handle, connect_stub: Stubber, clock: FixedClock
) -> None:
    # Given the token the source chat was answered with, a day ago
    token = issue_continuation(CONTINUATION_KEY, SOURCE, clock.now, 48).token
    clock.now += 24 * 3600
    _connect_continues(connect_stub)

    # When the widget continues that chat with it
    response = handle(event(body=_continue(token), origin=SITE))

    # Then the chat continues, and the new chat gets its own token
    assert response["statusCode"] == 200
    data = body(response)["data"]
    assert data["startChatResult"]["ContinuedFromContactId"] == SOURCE
    assert (
        data["continuation"]["token"]
        == issue_continuation(CONTINUATION_KEY, "contact-2", clock.now, 48).token
    )


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (None, "CONTINUATION_TOKEN_REQUIRED"),
        ("", "CONTINUATION_TOKEN_REQUIRED"),
        ("garbage", "CONTINUATION_TOKEN_INVALID"),
        ("1900000000.", "CONTINUATION_TOKEN_INVALID"),
        ("\uff11\uff19" + "00000000.abc", "CONTINUATION_TOKEN_INVALID"),  # full-width digits
    ],
)
def test_missing_or_malformed_token_is_a_403_and_connect_is_not_called(
    event: EventFactory, handle: Handle, captured_output: ReadOutput, token: str | None, code: str
) -> None:
    # Given no StartChatContact answer is queued: a call would fail the test
    # When someone continues a chat with no or a malformed token
    response = handle(event(body=_continue(token), origin=SITE))

    # Then a 403 with a clear code, recorded as a continuation failure
    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == code
    assert captured_output().metric_blobs[0]["Reason"] == "continuation"


def test_a_token_of_another_contact_is_refused(
    event: EventFactory, handle: Handle, clock: FixedClock, captured_output: ReadOutput
) -> None:
    # Given a genuine token, but of the caller's own chat
    token = issue_continuation(CONTINUATION_KEY, "my-own-contact", clock.now, 48).token

    # When they try it on a ContactId they learned
    response = handle(event(body=_continue(token), origin=SITE))

    # Then it is refused, and the token appears in no log line
    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == "CONTINUATION_TOKEN_INVALID"
    assert token.split(".")[1] not in captured_output().text


def test_a_token_signed_with_another_key_or_a_changed_expiry_is_refused(
    event: EventFactory, handle: Handle, clock: FixedClock
) -> None:
    forged = issue_continuation(b"another key", SOURCE, clock.now, 48).token
    genuine = issue_continuation(CONTINUATION_KEY, SOURCE, clock.now, 48).token
    expiry, mac = genuine.split(".")
    extended = f"{int(expiry) + 3600}.{mac}"
    for token in (forged, extended):
        response = handle(event(body=_continue(token), origin=SITE))
        assert response["statusCode"] == 403
        assert body(response)["error"]["code"] == "CONTINUATION_TOKEN_INVALID"


def test_an_expired_token_is_refused(event: EventFactory, handle: Handle, clock: FixedClock) -> None:
    # Given a token whose 48-hour window has just passed
    token = issue_continuation(CONTINUATION_KEY, SOURCE, clock.now, 48).token
    clock.now += 48 * 3600

    # When the shared computer's next user clicks "Continue previous conversation"
    response = handle(event(body=_continue(token), origin=SITE))

    # Then the conversation stays closed
    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == "CONTINUATION_TOKEN_EXPIRED"


def test_the_window_comes_from_the_deployment(
    event: EventFactory, handle: Handle, connect_stub: Stubber, clock: FixedClock, deployment: dict[str, Any]
) -> None:
    deployment["continuation_window_hours"] = 2
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())
    response = handle(event(body=MINIMAL_BODY, origin=SITE))
    assert body(response)["data"]["continuation"]["token"].startswith(f"{int(clock.now) + 7200}.")


def test_an_unreadable_key_fails_before_a_contact_is_created(
    event: EventFactory,
    lambda_context: LambdaContext,
    connect_stub: Stubber,
    deployment: dict[str, Any],
    captured_output: ReadOutput,
) -> None:
    # Given a container without the key's ARN and no injected keys (no StartChatContact answer queued)
    deployment["continuation_secret_id"] = None
    settings = load_settings(lambda_environment(**deployment))

    # When a chat is started
    response = lambda_handler(
        event(body=MINIMAL_BODY, origin=SITE),
        lambda_context,
        settings=settings,
        connect_client=connect_stub.client,
    )

    # Then a generic 500, the log naming the variable, and Connect never called
    assert response["statusCode"] == 500
    assert body(response)["error"]["code"] == "INTERNAL_ERROR"
    assert any("CONTINUATION_SECRET_ID" in line["message"] for line in captured_output().log_lines)
