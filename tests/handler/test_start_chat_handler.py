"""The real start-chat ``lambda_handler`` driven with API Gateway REST proxy events and a stubbed Connect."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import (
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.stub import Stubber

from lambdas.start_chat.cors import ALLOWED_HEADERS
from lambdas.start_chat.handler import lambda_handler
from lambdas.start_chat.observability import METRICS_NAMESPACE, configure_output
from lambdas.start_chat.observability import logger as powertools_logger

from .conftest import (
    CONTACT_FLOW_ID,
    INSTANCE_ID,
    LOCAL_SITE,
    SITE,
    EventFactory,
    Handle,
    Output,
)

pytestmark = pytest.mark.handler

TOKEN = "QVFJREFIaFNlY3JldFBhcnRpY2lwYW50VG9rZW4tZG8tbm90LWxvZw"
CONNECT_ANSWER = {"ContactId": "contact-1", "ParticipantId": "participant-1", "ParticipantToken": TOKEN}
DISPLAY_NAME = "Zyxwv Qutsrp"
MESSAGE = "My parcel 4711 never arrived"
ATTRIBUTE_VALUE = "ord-secret-attribute-value"

ReadOutput = Callable[[], Output]


def header(response: dict[str, Any], name: str) -> str | None:
    """A response header, case-insensitively, from either header map of the proxy response."""
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return ",".join(values)
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def body(response: dict[str, Any]) -> Any:
    """The decoded JSON body."""
    return json.loads(response["body"])


def expected_params(**overrides: Any) -> dict[str, Any]:
    """StartChatContact parameters for a minimal request, plus ``overrides``."""
    params: dict[str, Any] = {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": CONTACT_FLOW_ID,
        "ParticipantDetails": {"DisplayName": DISPLAY_NAME},
        "ChatDurationInMinutes": 1500,
        "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    }
    params.update(overrides)
    return params


MINIMAL_BODY = {"ParticipantDetails": {"DisplayName": DISPLAY_NAME}}


# --- success ---------------------------------------------------------------------------------------


def test_minimal_request_starts_chat_with_deployment_defaults(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
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
) -> None:
    # Given a request using every field, plus fields the official widget sends that must be ignored
    request = {
        "ParticipantDetails": {"DisplayName": DISPLAY_NAME},
        "Attributes": {"customerName": "Zyxwv", "orderId": ATTRIBUTE_VALUE, "vip": "secret-not-allowed"},
        "InitialMessage": {"ContentType": "text/plain", "Content": MESSAGE},
        "SupportedMessagingContentTypes": ["text/plain", "application/json"],
        "ChatDurationInMinutes": 120,
        "PersistentChat": {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": "contact-0"},
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


# --- Connect errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aws_code", "http_status", "status", "code", "reason"),
    [
        ("ThrottlingException", 429, 429, "THROTTLED", "throttled"),
        ("TooManyRequestsException", 429, 429, "THROTTLED", "throttled"),
        ("LimitExceededException", 429, 429, "THROTTLED", "throttled"),
        ("ResourceNotFoundException", 404, 502, "CHAT_SERVICE_ERROR", "misconfigured"),
        ("AccessDeniedException", 403, 502, "CHAT_SERVICE_ERROR", "misconfigured"),
        ("InvalidRequestException", 400, 400, "CHAT_REQUEST_REJECTED", "rejected"),
        ("InvalidParameterException", 400, 400, "CHAT_REQUEST_REJECTED", "rejected"),
        ("InternalServiceException", 500, 503, "CHAT_SERVICE_UNAVAILABLE", "unavailable"),
        ("ServiceQuotaExceededException", 402, 503, "CHAT_SERVICE_UNAVAILABLE", "unavailable"),
    ],
)
def test_connect_error_is_mapped_without_leaking_aws_details(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    aws_code: str,
    http_status: int,
    status: int,
    code: str,
    reason: str,
) -> None:
    # Given Connect fails with this error, its own message and a request id
    connect_stub.add_client_error(
        "start_chat_contact",
        service_error_code=aws_code,
        service_message="arn:aws:connect:us-east-1:123456789012:instance/secret internal detail",
        http_status_code=http_status,
        response_meta={"RequestId": "aws-request-id-0001"},
        expected_params=expected_params(),
    )

    # When a valid request is posted
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then the status and code are mapped, and nothing from AWS reaches the caller
    assert response["statusCode"] == status
    error = body(response)["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message"}
    for leaked in ("arn:aws", "internal detail", "aws-request-id-0001", aws_code, "Traceback"):
        assert leaked not in response["body"]
    assert header(response, "Access-Control-Allow-Origin") == SITE
    # And the failure is counted with its reason, and the log keeps the Connect error code
    output = captured_output()
    assert output.metric_names() == ["ChatStartFailed"]
    assert output.metric_blobs[0]["Reason"] == reason
    failed = next(line for line in output.log_lines if line.get("outcome") == "failed")
    assert failed["connect_error"] == aws_code


@pytest.mark.parametrize(
    ("aws_code", "retry_after"),
    [("ThrottlingException", "2"), ("TooManyRequestsException", "2"), ("LimitExceededException", "30")],
)
def test_throttled_answer_tells_when_to_retry(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    aws_code: str,
    retry_after: str,
) -> None:
    # Given Connect throttles
    connect_stub.add_client_error("start_chat_contact", service_error_code=aws_code, http_status_code=429)

    # When a browser posts
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then the 429 carries Retry-After, exposed to the widget's script
    assert response["statusCode"] == 429
    assert body(response)["error"]["code"] == "THROTTLED"
    assert header(response, "Retry-After") == retry_after
    assert header(response, "Access-Control-Expose-Headers") == "Retry-After"


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (EndpointConnectionError(endpoint_url="https://connect.us-east-1.amazonaws.com"), 503),
        (ConnectTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com"), 503),
        (ReadTimeoutError(endpoint_url="https://connect.us-east-1.amazonaws.com"), 503),
        (NoCredentialsError(), 502),
    ],
    ids=["endpoint-connection", "connect-timeout", "read-timeout", "no-credentials"],
)
def test_connect_unreachable(
    event: EventFactory,
    handle: Handle,
    captured_output: ReadOutput,
    connect_stub: Stubber,
    failure: Exception,
    status: int,
) -> None:
    # Given the call to Connect fails before any answer (raised where the request would be sent;
    # the Stubber is set aside because it answers, or rejects the call, before that point)
    def fail(**_: Any) -> None:
        raise failure

    connect_stub.deactivate()
    connect_stub.client.meta.events.register_first("before-call.connect.StartChatContact", fail)

    # When a valid request is posted
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then the caller gets a generic error without botocore's text, and the log names the failure
    assert response["statusCode"] == status
    assert "amazonaws.com" not in response["body"]
    assert (
        body(response)["error"]["code"]
        == {503: "CHAT_SERVICE_UNAVAILABLE", 502: "CHAT_SERVICE_ERROR"}[status]
    )
    failed = next(line for line in captured_output().log_lines if line.get("outcome") == "failed")
    assert failed["connect_error"] == type(failure).__name__


# --- unexpected failures and configuration ---------------------------------------------------------


@pytest.mark.parametrize("dev_mode", [False, True], ids=["production", "powertools-dev"])
def test_unexpected_failure_is_a_generic_500(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    monkeypatch: pytest.MonkeyPatch,
    dev_mode: bool,
) -> None:
    # Given Connect answers without the participant token (a broken answer), in or out of dev mode
    if dev_mode:
        monkeypatch.setenv("POWERTOOLS_DEV", "true")
    connect_stub.add_response("start_chat_contact", {"ContactId": "contact-1"}, expected_params())

    # When a valid request is posted
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then the caller gets a generic JSON 500, the stack trace only goes to the log
    assert response["statusCode"] == 500
    assert body(response) == {
        "error": {"code": "INTERNAL_ERROR", "message": "The chat service is not available right now."}
    }
    output = captured_output()
    assert any("exception" in line for line in output.log_lines)
    # And the failure is counted (dev mode disables metrics)
    assert output.metric_names() == ([] if dev_mode else ["ChatStartFailed"])


def test_metrics_do_not_leak_into_the_next_invocation_when_disabled(
    event: EventFactory,
    handle: Handle,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an invocation that recorded a failure while metrics were disabled
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    handle(event(body="not json", origin=SITE))
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED")
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When the next invocation succeeds with metrics enabled
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then only its own metric is published, without the earlier Reason dimension
    blobs = captured_output().metric_blobs
    assert [blob.get("Reason") for blob in blobs] == [None]
    assert "ChatsStarted" in blobs[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONNECT_INSTANCE_ID", None),
        ("CONNECT_CONTACT_FLOW_ID", ""),
        ("ALLOWED_ORIGINS", "https://www.example.com"),
        ("ALLOWED_ORIGINS", '["https://www.example.com/"]'),
        ("ALLOWED_ATTRIBUTES", '["customer name"]'),
        ("CHAT_DURATION_MINUTES", "30"),
        ("ENABLE_MARKDOWN", "sometimes"),
    ],
)
def test_invalid_environment_answers_generic_500_and_logs_the_variable(
    event: EventFactory,
    lambda_context: LambdaContext,
    container_environ: None,
    connect_stub: Stubber,
    captured_output: ReadOutput,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str | None,
) -> None:
    # Given a container whose environment has a missing or invalid variable
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)

    # When a request arrives, the handler reading its settings from that environment (its default)
    response = lambda_handler(
        event(body=MINIMAL_BODY, origin=SITE), lambda_context, connect_client=connect_stub.client
    )

    # Then the caller gets a generic 500 JSON error, and the log names the variable
    assert response["statusCode"] == 500
    assert body(response)["error"]["code"] == "INTERNAL_ERROR"
    assert name not in response["body"]
    output = captured_output()
    errors = [line["message"] for line in output.log_lines if line["level"] == "ERROR"]
    assert any(name in message for message in errors), errors
    assert output.metric_blobs[0]["Reason"] == "misconfigured"


def test_without_injected_settings_the_container_environment_is_read(
    event: EventFactory, lambda_context: LambdaContext, container_environ: None, connect_stub: Stubber
) -> None:
    # Given the deployment's environment in os.environ, as Lambda starts the container
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When the handler is invoked as Lambda does, without settings
    response = lambda_handler(
        event(body=MINIMAL_BODY, origin=SITE), lambda_context, connect_client=connect_stub.client
    )

    # Then the chat starts in the instance and flow that environment names
    assert response["statusCode"] == 200
    assert header(response, "Access-Control-Allow-Origin") == SITE


def test_injected_settings_win_over_the_container_environment(
    event: EventFactory,
    handle: Handle,
    container_environ: None,
    connect_stub: Stubber,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a container environment that names another instance and allows no website
    monkeypatch.setenv("CONNECT_INSTANCE_ID", "other-instance")
    monkeypatch.setenv("ALLOWED_ORIGINS", "[]")
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When the handler is invoked with the deployment's settings
    response = handle(event(body=MINIMAL_BODY, origin=SITE))

    # Then only the injected settings count: the deployment's origin, instance and flow
    assert response["statusCode"] == 200


def test_a_quiet_host_gets_warnings_only_and_no_metrics(
    event: EventFactory, handle: Handle, connect_stub: Stubber, captured_output: ReadOutput
) -> None:
    # Given the output a host running the handler in-process asks for (the sandbox's)
    configure_output(log_level="WARNING", metrics_published=False)
    connect_stub.add_response("start_chat_contact", CONNECT_ANSWER, expected_params())

    # When a chat starts and another request is refused
    assert handle(event(body=MINIMAL_BODY, origin=SITE))["statusCode"] == 200
    assert handle(event(body="not json", origin=SITE))["statusCode"] == 400

    # Then no metric is written, and only the refusal is logged
    output = captured_output()
    assert output.metric_blobs == []
    assert [line.get("outcome") for line in output.log_lines] == ["failed"]


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
