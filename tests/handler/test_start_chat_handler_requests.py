"""The real start-chat ``lambda_handler`` refusing requests: validation, origin and CORS, routing."""

from __future__ import annotations

import warnings

import pytest
from botocore.stub import Stubber

from lambdas.start_chat.cors import ALLOWED_HEADERS

from .conftest import (
    MINIMAL_BODY,
    SITE,
    EventFactory,
    Handle,
    ReadOutput,
    body,
    header,
)

pytestmark = pytest.mark.handler


# --- validation ------------------------------------------------------------------------------------


def test_every_invalid_field_is_named(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
) -> None:
    # Given a request that breaks many rules at once
    request = {
        "ParticipantDetails": {"DisplayName": "   "},
        "Attributes": {"bad key": "x", "customerName": 7},
        "InitialMessage": {"ContentType": "text/html", "Content": "x" * 1025},
        "SupportedMessagingContentTypes": ["text/markdown"],
        "ChatDurationInMinutes": 59,
        "PersistentChat": {"RehydrationType": "EVERYTHING"},
        "ClientToken": "t" * 501,
    }

    # When it is posted
    response = handle(event(body=request, origin=SITE))

    # Then the 400 names every failing field, readable by the allowed website
    assert response["statusCode"] == 400
    error = body(response)["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert {problem["field"] for problem in error["fields"]} == {
        "ParticipantDetails.DisplayName",
        "Attributes.bad key",
        "Attributes.customerName",
        "InitialMessage.ContentType",
        "InitialMessage.Content",
        "SupportedMessagingContentTypes",
        "ChatDurationInMinutes",
        "PersistentChat.RehydrationType",
        "PersistentChat.SourceContactId",
        "ClientToken",
    }
    assert all(problem["message"] for problem in error["fields"])
    assert header(response, "Access-Control-Allow-Origin") == SITE
    # And a ChatStartFailed metric with the reason is written, and the log names fields, not values
    output = captured_output()
    assert output.metric_names() == ["ChatStartFailed"]
    assert output.metric_blobs[0]["Reason"] == "validation"
    failed = next(line for line in output.log_lines if line.get("outcome") == "failed")
    assert "Attributes" in failed["invalid_fields"]
    assert "bad key" not in output.text


def test_a_validation_error_stays_small_however_many_fields_fail(
    event: EventFactory, handle: Handle, connect_stub: Stubber
) -> None:
    # Given a request with thousands of failing attributes, each with a long key
    request = {**MINIMAL_BODY, "Attributes": {f"{'k' * 5000}{i}": i for i in range(2000)}}

    # When it is posted
    response = handle(event(body=request, origin=SITE))

    # Then the 400 still names failing fields, in a few KB
    assert response["statusCode"] == 400
    assert body(response)["error"]["fields"]
    assert len(response["body"].encode()) < 4096


@pytest.mark.parametrize(
    "raw_body",
    [None, "", "not json", "[1, 2]", "null", "42", '"text"', "{", "[" * 100_000],
    ids=["absent", "empty", "not-json", "array", "null", "number", "string", "truncated", "deeply-nested"],
)
def test_body_that_is_not_a_json_object_is_rejected(
    event: EventFactory, handle: Handle, connect_stub: Stubber, raw_body: str | None
) -> None:
    # Given a body that is not a JSON object
    # When it is posted
    response = handle(event(body=raw_body, origin=SITE))

    # Then it is a 400 validation error
    assert response["statusCode"] == 400
    assert body(response)["error"]["code"] == "VALIDATION_ERROR"


def test_invalid_base64_body_is_rejected(event: EventFactory, handle: Handle, connect_stub: Stubber) -> None:
    # Given a body flagged base64 that is not
    request = event(body=MINIMAL_BODY, origin=SITE)
    request["isBase64Encoded"] = True

    # When it is posted
    response = handle(request)

    # Then it is a 400 validation error, not a crash
    assert response["statusCode"] == 400
    assert body(response) == {
        "error": {"code": "VALIDATION_ERROR", "message": "The request body is not valid JSON."}
    }


def test_missing_display_name(event: EventFactory, handle: Handle, connect_stub: Stubber) -> None:
    # Given a request without participant details
    # When it is posted
    response = handle(event(body={"Attributes": {}}, origin=SITE))

    # Then the required field is named
    assert response["statusCode"] == 400
    assert body(response)["error"]["code"] == "VALIDATION_ERROR"
    assert body(response)["error"]["fields"] == [{"field": "ParticipantDetails", "message": "Field required"}]


# --- origin and CORS -------------------------------------------------------------------------------


def test_disallowed_origin_is_forbidden(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
) -> None:
    # Given a website that is not on the allow-list
    # When its page posts a valid request
    response = handle(event(body=MINIMAL_BODY, origin="https://evil.example.net"))

    # Then it is a 403 without CORS headers, Connect is not called, and the reason is recorded
    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    assert header(response, "Access-Control-Allow-Origin") is None
    output = captured_output()
    assert output.metric_blobs[0]["Reason"] == "origin"


def test_origin_must_match_exactly(event: EventFactory, handle: Handle, connect_stub: Stubber) -> None:
    # Given an origin that only resembles an allowed one
    # When it posts
    response = handle(event(body=MINIMAL_BODY, origin=f"{SITE}.evil.net"))

    # Then it is forbidden
    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == "ORIGIN_NOT_ALLOWED"


def test_preflight_from_allowed_origin(
    event: EventFactory, handle: Handle, captured_output: ReadOutput
) -> None:
    # Given an allowed website's preflight
    request = event(
        method="OPTIONS",
        origin=SITE,
        headers={"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )

    # When it is sent
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Powertools warns when an invocation publishes no metric
        response = handle(request)

    # Then it is answered with the CORS headers for that origin, and no metric is written
    assert response["statusCode"] == 204
    assert response["body"] == ""
    assert header(response, "Access-Control-Allow-Origin") == SITE
    assert header(response, "Vary") == "Origin"
    assert header(response, "Access-Control-Allow-Methods") == "OPTIONS, POST"
    allowed_headers = header(response, "Access-Control-Allow-Headers") or ""
    assert {"content-type", "x-amz-user-agent", "authorization"} <= set(allowed_headers.split(", "))
    assert allowed_headers == ALLOWED_HEADERS
    assert captured_output().metric_blobs == []


def test_preflight_from_disallowed_origin(event: EventFactory, handle: Handle) -> None:
    # Given a preflight from a website that is not allowed
    # When it is sent
    response = handle(event(method="OPTIONS", origin="https://evil.example.net"))

    # Then it is a 403 without CORS headers
    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    assert header(response, "Access-Control-Allow-Origin") is None
    assert header(response, "Access-Control-Allow-Methods") is None


def test_options_without_origin(event: EventFactory, handle: Handle) -> None:
    # Given an OPTIONS request from a non-browser client
    # When it is sent
    response = handle(event(method="OPTIONS"))

    # Then the allowed methods are listed, without CORS headers
    assert response["statusCode"] == 204
    assert header(response, "Allow") == "OPTIONS, POST"
    assert header(response, "Access-Control-Allow-Origin") is None


# --- routing ---------------------------------------------------------------------------------------


def test_unknown_route_is_a_json_404(
    event: EventFactory, handle: Handle, captured_output: ReadOutput
) -> None:
    # Given a path the API does not serve
    # When it is requested
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = handle(event(method="GET", path="/admin", origin=SITE))

    # Then it is a 404 in the API's error shape, and no metric is written
    assert response["statusCode"] == 404
    assert body(response) == {"error": {"code": "NOT_FOUND", "message": "Not found."}}
    assert captured_output().metric_blobs == []


def test_wrong_method_on_chats_is_a_json_405(event: EventFactory, handle: Handle) -> None:
    # Given GET on /chats
    # When it is requested
    response = handle(event(method="GET"))

    # Then it is a 405 naming the allowed methods
    assert response["statusCode"] == 405
    assert header(response, "Allow") == "OPTIONS, POST"
    assert body(response)["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_a_trailing_slash_reaches_the_same_route(event: EventFactory, handle: Handle) -> None:
    # Given a preflight on /chats/ (API Gateway passes the trailing slash through)
    # When it is sent
    response = handle(event(method="OPTIONS", path="/chats/", origin=SITE))

    # Then it is answered as on /chats
    assert response["statusCode"] == 204
    assert header(response, "Access-Control-Allow-Origin") == SITE


# Connect is not stubbed here: a request that gets as far as StartChatContact is a 503.
@pytest.mark.parametrize(
    ("damage", "status"),
    [
        ({"headers": None, "multiValueHeaders": None}, 503),
        ({"headers": {"Origin": 5, 7: "x"}}, 503),
        ({"body": {"ParticipantDetails": {"DisplayName": "Ada"}}}, 400),
        ({"httpMethod": None}, 405),
        ({"path": None}, 404),
    ],
    ids=["no-headers", "wrong-typed-headers", "body-not-a-string", "no-method", "no-path"],
)
def test_a_malformed_event_is_answered_in_the_api_shape(
    event: EventFactory, handle: Handle, damage: dict[str, object], status: int
) -> None:
    # Given a proxy event with a member missing or of the wrong type
    malformed = {**event(body=MINIMAL_BODY), **damage}

    # When it is handled
    response = handle(malformed)

    # Then the answer is the API's JSON error for what is missing, never the 500 of a crash
    assert response["statusCode"] == status
    assert set(body(response)) == {"error"}


def test_other_methods_on_chats_with_a_trailing_slash_are_a_405(event: EventFactory, handle: Handle) -> None:
    # Given GET on /chats/ (the same resource as /chats)
    # When it is requested
    response = handle(event(method="GET", path="/chats/"))

    # Then it is the resource's 405, as on /chats
    assert response["statusCode"] == 405
    assert header(response, "Allow") == "OPTIONS, POST"
