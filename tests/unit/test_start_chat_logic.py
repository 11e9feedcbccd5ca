"""Start-chat logic: StartChatContact parameters, error mapping, body parsing and the origin rules."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from lambdas.start_chat.cors import cors_headers, is_origin_allowed, preflight_headers
from lambdas.start_chat.errors import ApiError, FailureReason
from lambdas.start_chat.models import RequestPolicy
from lambdas.start_chat.settings import load_settings
from lambdas.start_chat.start_chat import build_start_chat_params, map_connect_error, parse_start_chat_request

pytestmark = pytest.mark.unit

SETTINGS = load_settings(
    {
        "CONNECT_INSTANCE_ID": "instance-1",
        "CONNECT_CONTACT_FLOW_ID": "flow-1",
        "ALLOWED_ATTRIBUTES": '["customerName"]',
        "CHAT_DURATION_MINUTES": "720",
    }
)
POLICY = SETTINGS.request_policy


def parse(payload: str) -> Any:
    """Parse a raw body with the test deployment's policy."""
    return parse_start_chat_request(payload, POLICY)


def test_minimal_request_gets_the_deployment_defaults() -> None:
    # Given a request with a display name only
    request = parse('{"ParticipantDetails": {"DisplayName": "Ada"}}')

    # When parameters are built
    params = build_start_chat_params(request, SETTINGS)

    # Then instance, flow, duration and content types come from the deployment
    assert params == {
        "InstanceId": "instance-1",
        "ContactFlowId": "flow-1",
        "ParticipantDetails": {"DisplayName": "Ada"},
        "ChatDurationInMinutes": 720,
        "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    }


def test_attributes_that_are_all_dropped_are_not_sent() -> None:
    # Given only attributes off the allow-list
    request = parse('{"ParticipantDetails": {"DisplayName": "Ada"}, "Attributes": {"tier": "gold"}}')

    # When parameters are built
    params = build_start_chat_params(request, SETTINGS)

    # Then no Attributes parameter is sent
    assert "Attributes" not in params
    assert request.dropped_attribute_count == 1


@pytest.mark.parametrize(
    ("aws_code", "status", "code", "reason", "retry_after"),
    [
        ("ThrottlingException", 429, "THROTTLED", FailureReason.THROTTLED, "2"),
        ("TooManyRequestsException", 429, "THROTTLED", FailureReason.THROTTLED, "2"),
        ("LimitExceededException", 429, "THROTTLED", FailureReason.THROTTLED, "30"),
        ("ResourceNotFoundException", 502, "CHAT_SERVICE_ERROR", FailureReason.MISCONFIGURED, None),
        ("AccessDeniedException", 502, "CHAT_SERVICE_ERROR", FailureReason.MISCONFIGURED, None),
        ("InvalidRequestException", 400, "CHAT_REQUEST_REJECTED", FailureReason.REJECTED, None),
        ("InvalidParameterException", 400, "CHAT_REQUEST_REJECTED", FailureReason.REJECTED, None),
        ("InternalServiceException", 503, "CHAT_SERVICE_UNAVAILABLE", FailureReason.UNAVAILABLE, None),
        ("SomethingNewException", 503, "CHAT_SERVICE_UNAVAILABLE", FailureReason.UNAVAILABLE, None),
    ],
)
def test_client_errors_are_mapped(
    aws_code: str, status: int, code: str, reason: FailureReason, retry_after: str | None
) -> None:
    # Given a Connect error with AWS text and a request id
    answer: Any = {
        "Error": {"Code": aws_code, "Message": "secret AWS text"},
        "ResponseMetadata": {"RequestId": "req-1", "HTTPStatusCode": 400},
    }
    error = ClientError(answer, "StartChatContact")

    # When it is mapped
    mapped = map_connect_error(error)

    # Then status, code, reason and Retry-After follow the table, and AWS text stays out of the message
    assert (mapped.status, mapped.code, mapped.reason) == (status, code, reason)
    assert mapped.headers.get("Retry-After") == retry_after
    assert "secret" not in mapped.message
    assert "req-1" not in mapped.message
    assert mapped.log_details == {"connect_error": aws_code, "connect_request_id": "req-1"}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (EndpointConnectionError(endpoint_url="https://connect"), 503),
        (ConnectTimeoutError(endpoint_url="https://connect"), 503),
        (ReadTimeoutError(endpoint_url="https://connect"), 503),
        (NoCredentialsError(), 502),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_transport_errors_are_mapped(error: BotoCoreError, status: int) -> None:
    # Given a failure before Connect answered
    # When it is mapped
    mapped = map_connect_error(error)

    # Then it is a generic 5xx
    assert mapped.status == status
    assert "https://connect" not in mapped.message


@pytest.mark.parametrize("raw", ["", "{", "[]", "[" * 50_000, '{"ParticipantDetails": 1}'])
def test_bad_bodies_are_validation_errors(raw: str) -> None:
    # Given a body that is not a valid request
    # When parsed
    with pytest.raises(ApiError) as caught:
        parse(raw)

    # Then it is a 400 validation error
    assert (caught.value.status, caught.value.code) == (400, "VALIDATION_ERROR")
    assert caught.value.reason is FailureReason.VALIDATION


ALLOWED = ("https://www.example.com",)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),
        ("https://www.example.com", True),
        ("https://www.example.com.evil.net", False),
        ("http://www.example.com", False),
        ("null", False),
        ("", False),
    ],
)
def test_origin_rules(origin: str | None, allowed: bool) -> None:
    # Given an Origin header (or none)
    # When checked against the allow-list
    # Then only exact allowed origins and non-browser clients pass
    assert is_origin_allowed(origin, ALLOWED) is allowed


def test_cors_headers_only_for_allowed_origins() -> None:
    # Given allowed, other and absent origins
    # When CORS headers are computed
    # Then only the allowed origin is echoed, with Vary
    assert cors_headers("https://www.example.com", ALLOWED)["Access-Control-Allow-Origin"] == ALLOWED[0]
    assert cors_headers("https://www.example.com", ALLOWED)["Vary"] == "Origin"
    assert cors_headers("https://evil.example.net", ALLOWED) == {}
    assert cors_headers(None, ALLOWED) == {}
    assert preflight_headers("https://evil.example.net", ALLOWED) == {}
    assert "content-type" in preflight_headers(ALLOWED[0], ALLOWED)["Access-Control-Allow-Headers"]


def test_policy_from_settings() -> None:
    # Given the test deployment
    # When its request policy is read
    # Then it reflects the settings
    assert (
        RequestPolicy(frozenset({"customerName"}), markdown_enabled=True, max_chat_duration_minutes=720)
        == POLICY
    )
