"""What the real start-chat ``lambda_handler`` never writes to its log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from lambdas.start_chat.observability import logger as powertools_logger

from .conftest import (
    ATTRIBUTE_VALUE,
    CONNECT_ANSWER,
    DISPLAY_NAME,
    MESSAGE,
    SITE,
    TOKEN,
    EventFactory,
    Handle,
    ReadOutput,
    body,
)

pytestmark = pytest.mark.handler


# --- what is never logged --------------------------------------------------------------------------


@pytest.fixture
def debug_logging() -> Iterator[None]:
    """The function's logger at DEBUG for one test."""
    previous = powertools_logger.log_level
    powertools_logger.setLevel("DEBUG")
    yield
    powertools_logger.setLevel(previous)


@pytest.mark.parametrize("connect_fails", [False, True], ids=["chat-started", "connect-rejected"])
def test_log_never_holds_token_message_name_or_attribute_values(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    debug_logging: None,
    connect_fails: bool,
) -> None:
    # Given debug logging, and Connect answering with a token (or failing)
    request = {
        "ParticipantDetails": {"DisplayName": DISPLAY_NAME},
        "Attributes": {"customerName": "Qwertzuiop", "orderId": ATTRIBUTE_VALUE},
        "InitialMessage": {"ContentType": "text/plain", "Content": MESSAGE},
    }
    if connect_fails:
        connect_stub.add_client_error("start_chat_contact", service_error_code="InvalidRequestException")
    else:
        connect_stub.add_response("start_chat_contact", CONNECT_ANSWER)

    # When the request is handled
    handle(event(body=request, origin=SITE))

    # Then nothing written mentions the token, the message, the name or an attribute value
    text = captured_output().text
    assert text  # something was logged
    for secret in (TOKEN, MESSAGE, DISPLAY_NAME, "Zyxwv", "Qwertzuiop", ATTRIBUTE_VALUE):
        assert secret not in text


def test_invalid_request_log_holds_no_submitted_values(
    event: EventFactory, handle: Handle, captured_output: ReadOutput
) -> None:
    # Given an invalid request carrying personal data
    request = {
        "ParticipantDetails": {"DisplayName": DISPLAY_NAME + "x" * 300},
        "Attributes": {"customerName": ATTRIBUTE_VALUE * 2000},
        "InitialMessage": {"ContentType": "text/plain", "Content": MESSAGE * 100},
    }

    # When it is posted
    response = handle(event(body=request, origin=SITE))

    # Then the values are neither logged nor echoed back
    assert response["statusCode"] == 400
    assert body(response)["error"]["code"] == "VALIDATION_ERROR"
    text = captured_output().text
    for secret in (MESSAGE, DISPLAY_NAME, ATTRIBUTE_VALUE):
        assert secret not in text
        assert secret not in response["body"]
