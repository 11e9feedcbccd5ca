"""The real start-chat ``lambda_handler`` when Connect fails, the code fails or the configuration is wrong."""

from __future__ import annotations

import warnings
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

from lambdas.start_chat.handler import lambda_handler
from lambdas.start_chat.observability import configure_output

from .conftest import (
    CONNECT_ANSWER,
    MINIMAL_BODY,
    SIGNING_KEYS,
    SITE,
    EventFactory,
    Handle,
    ReadOutput,
    body,
    expected_params,
    header,
)

pytestmark = pytest.mark.handler


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

    # When the handler is invoked as Lambda does, without settings (keys injected: no Secrets Manager here)
    response = lambda_handler(
        event(body=MINIMAL_BODY, origin=SITE),
        lambda_context,
        connect_client=connect_stub.client,
        signing_keys=SIGNING_KEYS,
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
