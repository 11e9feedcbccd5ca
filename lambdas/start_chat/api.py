"""Routes of the start-chat API: ``POST /chats`` and its CORS preflight, plus JSON errors for the rest.

Dispatched here, not by Powertools' REST resolver: one resource with two methods needs no router, and
importing ``aws_lambda_powertools.event_handler`` (it loads every resolver it has, asyncio among them)
cost about 95 ms of a 415 ms cold start (``python -m bench cold_start``), beyond the 1.25 target.
The proxy response keeps the resolver's shape (``multiValueHeaders``, ``isBase64Encoded: false``).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from aws_lambda_powertools.metrics import MetricUnit

from .aws_clients import get_connect_client
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


class Dependencies(NamedTuple):
    """What the routes answer an event with; ``None`` is the container's default.

    Defaults: settings parsed once from ``os.environ`` (``get_settings``), the container's Connect
    client (``get_connect_client``), the keys in Secrets Manager (``secrets_manager_keys``), the
    wall clock. Resolved on use, so a bad environment is answered as a 500.
    """

    settings: Settings | None = None
    connect_client: ConnectClient | None = None
    signing_keys: SigningKeys | None = None
    clock: Callable[[], float] | None = None  # epoch seconds: continuation tokens' issue and expiry


class ProxyRequest(NamedTuple):
    """What the routes read of an API Gateway REST proxy event (header names in lower case)."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: str | None
    base64_encoded: bool

    @classmethod
    def of(cls, event: Mapping[str, Any]) -> ProxyRequest:
        """Read ``event`` defensively: a missing or wrong-typed member counts as absent."""
        headers = event.get("headers")
        body = event.get("body")
        return cls(
            method=_text(event.get("httpMethod")).upper(),
            path=_text(event.get("path")),
            headers={
                name.lower(): value
                for name, value in (headers.items() if isinstance(headers, Mapping) else ())
                if isinstance(name, str) and isinstance(value, str)
            },
            body=body if isinstance(body, str) else None,
            base64_encoded=event.get("isBase64Encoded") is True,
        )

    def decoded_body(self) -> str | None:
        """The body as text; a 400 when it is not valid base64 or not UTF-8."""
        if not self.base64_encoded or not self.body:
            return self.body
        try:
            return base64.b64decode(self.body.encode()).decode()
        except ValueError:  # binascii.Error, UnicodeDecodeError
            raise invalid_request("The request body is not valid JSON.") from None


class ProxyResponse(NamedTuple):
    """An answer, in the proxy integration's shape by :meth:`as_proxy_result`."""

    status: int
    body: str
    headers: Mapping[str, str]

    def as_proxy_result(self) -> dict[str, Any]:
        """The proxy integration's response (what API Gateway returns to the caller)."""
        return {
            "statusCode": self.status,
            "body": self.body,
            "isBase64Encoded": False,
            "multiValueHeaders": {name: [value] for name, value in self.headers.items()},
        }


def resolve(event: Mapping[str, Any], dependencies: Dependencies) -> dict[str, Any]:
    """Answer one proxy event: ``/chats`` (a trailing slash allowed) by method, 404 for other paths."""
    request = ProxyRequest.of(event)
    try:
        if request.path.rstrip("/") != CHATS_PATH:
            response = _error_response(request, dependencies, 404, _detail("NOT_FOUND", "Not found."), {})
        elif request.method == "POST":
            response = post_chats(request, dependencies)
        elif request.method == "OPTIONS":
            response = preflight_chats(request, dependencies)
        else:
            detail = _detail("METHOD_NOT_ALLOWED", "Use POST to start a chat.")
            response = _error_response(request, dependencies, 405, detail, {"Allow": ALLOWED_METHODS})
    except ApiError as error:
        response = answer_api_error(request, dependencies, error)
    except Exception:
        logger.exception("Unexpected error")
        response = answer_api_error(request, dependencies, internal_error())
    return response.as_proxy_result()


def post_chats(request: ProxyRequest, dependencies: Dependencies) -> ProxyResponse:
    """Start a chat contact in the deployment's instance and flow; answer what the widget needs."""
    settings = _settings(dependencies)
    origin = request.headers.get("origin")
    if not is_origin_allowed(origin, settings.allowed_origins):
        raise origin_not_allowed()
    keys = _signing_keys(dependencies, settings)
    policy, trusted = settings.request_policy, None
    if settings.start_chat_auth == "jwt":
        # Imported only where start tokens are in use: the default mode does not pay for it at cold start.
        from .auth import authenticate, trusting_policy

        customer = authenticate(request.headers.get("authorization"), _key(keys.start_token_secret))
        policy, trusted = trusting_policy(policy), customer.trusted_attributes()
    start_request = parse_start_chat_request(request.decoded_body(), policy, trusted)
    # Read before the contact is created, so a missing key fails the request, not the chat.
    continuation_key, now = _key(keys.continuation_key), _now(dependencies)
    if start_request.PersistentChat is not None:
        check_continuation(continuation_key, start_request.PersistentChat, now)
    answer = start_chat(_connect_client(dependencies), start_request, settings)
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
            "dropped_attribute_count": start_request.dropped_attribute_count,
        },
    )
    body = answer.model_dump_json(exclude_none=True, by_alias=True)
    return _response(200, body, cors_headers(origin, settings.allowed_origins))


def preflight_chats(request: ProxyRequest, dependencies: Dependencies) -> ProxyResponse:
    """Answer the browser's CORS preflight: allowed origins get the CORS headers, others a 403."""
    settings = _settings(dependencies)
    origin = request.headers.get("origin")
    if not is_origin_allowed(origin, settings.allowed_origins):
        raise origin_not_allowed()
    headers = {"Allow": ALLOWED_METHODS, **preflight_headers(origin, settings.allowed_origins)}
    return ProxyResponse(204, "", headers)


def answer_api_error(request: ProxyRequest, dependencies: Dependencies, error: ApiError) -> ProxyResponse:
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
    detail = ErrorDetail(code=error.code, message=error.message, fields=error.fields)
    return _error_response(request, dependencies, error.status, detail, error.headers)


def _detail(code: str, message: str) -> ErrorDetail:
    return ErrorDetail(code=code, message=message)


def _loggable_fields(error: ApiError) -> list[str] | None:
    # Field paths only, never submitted values; attribute names are the caller's data too.
    fields = {
        problem.field.split(".")[0] if problem.field.startswith("Attributes.") else problem.field
        for problem in error.fields or []
    }
    return sorted(fields) or None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _configured_settings(dependencies: Dependencies) -> Settings:
    """The injected settings, else the container's (raises :class:`SettingsError` when invalid)."""
    return dependencies.settings if dependencies.settings is not None else get_settings()


def _connect_client(dependencies: Dependencies) -> ConnectClient:
    injected = dependencies.connect_client
    return injected if injected is not None else get_connect_client()


def _signing_keys(dependencies: Dependencies, settings: Settings) -> SigningKeys:
    if dependencies.signing_keys is not None:
        return dependencies.signing_keys
    return secrets_manager_keys(settings.continuation_secret_id, settings.start_token_secret_id)


def _key(read: Callable[[], bytes]) -> bytes:
    """A key, or the 500 a missing or unreadable secret deserves (the reason goes to the log)."""
    try:
        return read()
    except SettingsError as exc:
        logger.error(str(exc))
        raise service_misconfigured() from None


def _now(dependencies: Dependencies) -> float:
    return dependencies.clock() if dependencies.clock is not None else time.time()


def _settings(dependencies: Dependencies) -> Settings:
    try:
        return _configured_settings(dependencies)
    except SettingsError as exc:
        logger.error(str(exc))
        raise service_misconfigured() from None


def _error_response(
    request: ProxyRequest,
    dependencies: Dependencies,
    status: int,
    detail: ErrorDetail,
    headers: Mapping[str, str],
) -> ProxyResponse:
    body = ErrorResponse(error=detail).model_dump_json(exclude_none=True)
    return _response(status, body, {**headers, **_cors_headers_if_configured(request, dependencies)})


def _cors_headers_if_configured(request: ProxyRequest, dependencies: Dependencies) -> dict[str, str]:
    try:
        allowed_origins = _configured_settings(dependencies).allowed_origins
    except SettingsError:
        return {}
    return cors_headers(request.headers.get("origin"), allowed_origins)


def _response(status: int, body: str, headers: Mapping[str, str]) -> ProxyResponse:
    # no-store: a success holds a participant token that no cache may keep.
    return ProxyResponse(status, body, {"Cache-Control": "no-store", **headers, "Content-Type": JSON})
