"""ChatDurationInMinutes reaches Connect only when it means something: some accounts refuse any custom one."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from lambdas.start_chat.models import CONNECT_DEFAULT_CHAT_DURATION_MINUTES

from .conftest import CONNECT_ANSWER, MINIMAL_BODY, SITE, EventFactory, Handle, expected_params

pytestmark = pytest.mark.handler


def test_the_service_default_is_not_sent(event: EventFactory, handle: Handle, connect_stub: Stubber) -> None:
    # Given the deployment's duration is Connect's own default (the Stubber compares every parameter)
    params = expected_params()
    assert "ChatDurationInMinutes" not in params
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, params)
    # When a request that asks for no duration is posted
    response = handle(event(body=MINIMAL_BODY, origin=SITE))
    # Then the chat starts without ChatDurationInMinutes in the call
    assert response["statusCode"] == 200
    connect_stub.assert_no_pending_responses()


def test_a_deployment_duration_other_than_the_default_is_sent(
    event: EventFactory, handle: Handle, connect_stub: Stubber, deployment: dict[str, Any]
) -> None:
    deployment.update(chat_duration_minutes=3000)
    connect_stub.add_response(
        "start_chat_contact", CONNECT_ANSWER, expected_params(ChatDurationInMinutes=3000)
    )
    response = handle(event(body=MINIMAL_BODY, origin=SITE))
    assert response["statusCode"] == 200
    connect_stub.assert_no_pending_responses()


@pytest.mark.parametrize("asked", [60, CONNECT_DEFAULT_CHAT_DURATION_MINUTES])
def test_a_duration_the_request_asks_for_is_sent_even_the_default(
    asked: int, event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    connect_stub.add_response(
        "start_chat_contact", CONNECT_ANSWER, expected_params(ChatDurationInMinutes=asked)
    )
    response = handle(event(body={**MINIMAL_BODY, "ChatDurationInMinutes": asked}, origin=SITE))
    assert response["statusCode"] == 200
    connect_stub.assert_no_pending_responses()


def test_an_account_refusing_custom_durations_answers_the_api_s_rejection(
    event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    # Given an account without custom chat durations (Connect answers 400 to any ChatDurationInMinutes)
    connect_stub.add_client_error(
        "start_chat_contact",
        "InvalidRequestException",
        "custom chat duration not supported",
        400,
        expected_params=expected_params(ChatDurationInMinutes=60),
    )
    # When a request asks for a duration anyway
    response = handle(event(body={**MINIMAL_BODY, "ChatDurationInMinutes": 60}, origin=SITE))
    # Then the caller gets the API's own rejection, never the AWS text
    assert response["statusCode"] == 400
    assert "custom chat duration" not in response["body"]
    assert '"CHAT_REQUEST_REJECTED"' in response["body"]
