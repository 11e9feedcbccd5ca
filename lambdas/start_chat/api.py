"""Routes of the start-chat API: ``POST /chats`` and its CORS preflight, plus JSON errors for the rest."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.metrics import MetricUnit

from .auth import authenticate, trusting_policy
from .connect_client import get_connect_client
from .continuation import check_continuation, issue_continuation
from .cors import ALLOWED_METHODS, cors_headers, is_origin_allowed, preflight_headers
from .errors import ApiError, internal_error, invalid_request, origin_not_allowed, service_misconfigured
from .models import ErrorDetail, ErrorResponse
from .observability import logger, metrics
from .settings import Settings, SettingsError, get_settings
from .signing_keys import SigningKeys, secrets_manager_keys
from .start_chat import parse_start_chat_request, start_chat

if TYPE_CHECKING:
    from mypy_boto3_connect import ConnectClient

CHATS_PATH = "/chats"
JSON = "application/json"

# debug=False explicitly: POWERTOOLS_DEV would otherwise print events and answer stack traces.
app = APIGatewayRestResolver(debug=False)


@dataclass(frozen=True)
class Dependencies:
    """What the routes answer an event with; ``None`` is the container's default.

    Defaults: settings parsed once from ``os.environ`` (``get_settings``), the container's Connect
    client (``get_connect_client``), the keys in Secrets Manager (``secrets_manager_keys``), the
    wall clock. Resolved on use, so a bad environment is answered as a 500.
    """

    settings: Settings | None = None
    connect_client: ConnectClient | None = None
    signing_keys: SigningKeys | None = None
    clock: Callable[[], float] | None = None  # epoch seconds: continuation tokens' issue and expiry


_DEPENDENCIES = "dependencies"


def inject_dependencies(dependencies: Dependencies) -> None:
    """Answer the next event with ``dependencies`` (the resolver clears them once it has answered)."""
    app.context[_DEPENDENCIES] = dependencies  # what the untyped append_context does


@app.post(CHATS_PATH)
def post_chats() -> Response[str]:
    """Start a chat contact in the deployment's instance and flow; answer what the widget needs."""
    settings = _settings()
    origin = _origin()
    if not is_origin_allowed(origin, settings.allowed_origins):
        raise origin_not_allowed()
    keys = _signing_keys(settings)
    policy, trusted = settings.request_policy, None
    if settings.start_chat_auth == "jwt":
        customer = authenticate(app.current_event.headers.get("authorization"), _key(keys.start_token_secret))
        policy, trusted = trusting_policy(policy), customer.trusted_attributes()
    request = parse_start_chat_request(_body(), policy, trusted)
    # Read before the contact is created, so a missing key fails the request, not the chat.
    continuation_key, now = _key(keys.continuation_key), _now()
    if request.PersistentChat is not None:
        check_continuation(continuation_key, request.PersistentChat, now)
    answer = start_chat(_connect_client(), request, settings)
    answer.data.continuation = issue_continuation(
        continuation_key, answer.data.start_chat_result.ContactId, now, settings.continuation_window_hours
    )
    metrics.add_metric(name="ChatsStarted", unit=MetricUnit.Count, value=1)
    result = answer.data.start_chat_result
    logger.info(
        "Chat started",
        extra={
            "outcome": "started",
            "contact_id": result.ContactId,
            "participant_id": result.ParticipantId,
            "continued_from_contact_id": result.ContinuedFromContactId,
            "dropped_attribute_count": request.dropped_attribute_count,
        },
    )
    body = answer.model_dump_json(exclude_none=True, by_alias=True)
    return _response(200, body, cors_headers(origin, settings.allowed_origins))


@app.route(CHATS_PATH, method="OPTIONS")
def preflight_chats() -> Response[str]:
    """Answer the browser's CORS preflight: allowed origins get the CORS headers, others a 403."""
    settings = _settings()
    origin = _origin()
    if not is_origin_allowed(origin, settings.allowed_origins):
        raise origin_not_allowed()
    headers = {"Allow": ALLOWED_METHODS, **preflight_headers(origin, settings.allowed_origins)}
    return Response(status_code=204, content_type=None, body="", headers=headers)


def answer_api_error(error: ApiError) -> Response[str]:
    """Record the failure (metric with its reason, one log line) and answer the JSON error."""
    metrics.add_dimension(name="Reason", value=error.reason.value)
    metrics.add_metric(name="ChatStartFailed", unit=MetricUnit.Count, value=1)
    logger.warning(
        "Chat not started",
        extra={
            "outcome": "failed",
            "status": error.status,
            "error_code": error.code,
            "reason": error.reason.value,
            "invalid_fields": _loggable_fields(error),
            **error.log_details,
        },
    )
    return _error_response(
        error.status,
        ErrorDetail(code=error.code, message=error.message, fields=error.fields),
        error.headers,
    )


@app.not_found
def answer_not_found(_: NotFoundError) -> Response[str]:
    """Unknown path: 404; unsupported method on ``/chats``: 405. Both in the API's error shape."""
    if app.current_event.path == CHATS_PATH:
        detail = ErrorDetail(code="METHOD_NOT_ALLOWED", message="Use POST to start a chat.")
        return _error_response(405, detail, {"Allow": ALLOWED_METHODS})
    return _error_response(404, ErrorDetail(code="NOT_FOUND", message="Not found."), {})


def answer_unexpected_error(_: Exception) -> Response[str]:
    """Any other failure: logged with its stack trace, answered as a generic 500."""
    logger.exception("Unexpected error")
    return answer_api_error(internal_error())


# Registered by call: Powertools' exception_handler decorator is untyped and would erase these signatures.
app.exception_handler(ApiError)(answer_api_error)
app.exception_handler(Exception)(answer_unexpected_error)


def _loggable_fields(error: ApiError) -> list[str] | None:
    # Field paths only, never submitted values; attribute names are the caller's data too.
    fields = {
        problem.field.split(".")[0] if problem.field.startswith("Attributes.") else problem.field
        for problem in error.fields or []
    }
    return sorted(fields) or None


def _dependencies() -> Dependencies:
    dependencies = app.context.get(_DEPENDENCIES)
    return dependencies if isinstance(dependencies, Dependencies) else Dependencies()


def _configured_settings() -> Settings:
    """The injected settings, else the container's (raises :class:`SettingsError` when invalid)."""
    injected = _dependencies().settings
    return injected if injected is not None else get_settings()


def _connect_client() -> ConnectClient:
    injected = _dependencies().connect_client
    return injected if injected is not None else get_connect_client()


def _signing_keys(settings: Settings) -> SigningKeys:
    injected = _dependencies().signing_keys
    if injected is not None:
        return injected
    return secrets_manager_keys(settings.continuation_secret_id, settings.start_token_secret_id)


def _key(read: Callable[[], bytes]) -> bytes:
    """A key, or the 500 a missing or unreadable secret deserves (the reason goes to the log)."""
    try:
        return read()
    except SettingsError as exc:
        logger.error(str(exc))
        raise service_misconfigured() from None


def _now() -> float:
    clock = _dependencies().clock
    return clock() if clock is not None else time.time()


def _settings() -> Settings:
    try:
        return _configured_settings()
    except SettingsError as exc:
        logger.error(str(exc))
        raise service_misconfigured() from None


def _origin() -> str | None:
    origin: str | None = app.current_event.headers.get("origin")
    return origin


def _body() -> str | None:
    try:
        body: str | None = app.current_event.decoded_body
    except ValueError:  # invalid base64 or not UTF-8
        raise invalid_request("The request body is not valid JSON.") from None
    return body


def _error_response(status: int, detail: ErrorDetail, headers: dict[str, str]) -> Response[str]:
    body = ErrorResponse(error=detail).model_dump_json(exclude_none=True)
    return _response(status, body, {**headers, **_cors_headers_if_configured()})


def _cors_headers_if_configured() -> dict[str, str]:
    try:
        allowed_origins = _configured_settings().allowed_origins
    except SettingsError:
        return {}
    return cors_headers(_origin(), allowed_origins)


def _response(status: int, body: str, headers: dict[str, Any]) -> Response[str]:
    # no-store: a success holds a participant token that no cache may keep.
    return Response(
        status_code=status, content_type=JSON, body=body, headers={"Cache-Control": "no-store", **headers}
    )
