"""Start a chat: parse the request, call StartChatContact, map the answer or the error."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ParamValidationError

from .chat_timeouts import apply_chat_timeouts
from .errors import ApiError, FailureReason, invalid_request
from .models import (
    CONNECT_DEFAULT_CHAT_DURATION_MINUTES,
    INTERACTIVE_RESPONSE,
    TEXT_MARKDOWN,
    TEXT_PLAIN,
    FeaturePermissions,
    RequestPolicy,
    StartChatData,
    StartChatRequest,
    StartChatResponse,
    StartChatResult,
    StartChatValidationError,
    validate_start_chat_request,
)

if TYPE_CHECKING:
    from mypy_boto3_connect import ConnectClient
    from mypy_boto3_connect.type_defs import StartChatContactRequestTypeDef

    from .settings import Settings

# Seconds a throttled caller should wait. LimitExceededException is the quota of concurrent active
# chats, which frees up only as chats end; the others are request-rate limits.
RETRY_AFTER_SECONDS = {"ThrottlingException": 2, "TooManyRequestsException": 2, "LimitExceededException": 30}
MISCONFIGURATION_ERRORS = frozenset({"ResourceNotFoundException", "AccessDeniedException"})
REJECTION_ERRORS = frozenset({"InvalidRequestException", "InvalidParameterException"})


def parse_start_chat_request(
    body: str | None, policy: RequestPolicy, trusted_attributes: Mapping[str, str] | None = None
) -> StartChatRequest:
    """Decode and validate the raw body; any problem is a 400 :class:`ApiError` naming every bad field.

    ``trusted_attributes`` (from a verified start token) replace the body's of the same name, and pass
    the same allow-list and size checks.
    """
    if not body:
        raise invalid_request("The request body must be a JSON object.")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise invalid_request("The request body is not valid JSON.") from None
    if trusted_attributes and isinstance(payload, dict):
        submitted = payload.get("Attributes")
        payload["Attributes"] = {**(submitted if isinstance(submitted, dict) else {}), **trusted_attributes}
    try:
        return validate_start_chat_request(payload, policy)
    except StartChatValidationError as exc:
        raise invalid_request(str(exc), exc.problems or None) from None


def default_content_types(settings: Settings) -> list[str]:
    """Content types of a chat whose request does not choose them: what the deployment enables."""
    types = [TEXT_PLAIN, TEXT_MARKDOWN] if settings.enable_markdown else [TEXT_PLAIN]
    if settings.enable_interactive_messages:
        types.append(INTERACTIVE_RESPONSE)
    return types


def chat_duration_to_send(request: StartChatRequest, settings: Settings) -> int | None:
    """ChatDurationInMinutes for StartChatContact, or None to leave it out.

    Some accounts refuse any custom chat duration with a 400 (the API reference says so), so it is sent
    only when the request asks for one or the deployment's differs from the service's own default."""
    if request.ChatDurationInMinutes is not None:
        return request.ChatDurationInMinutes
    if settings.chat_duration_minutes != CONNECT_DEFAULT_CHAT_DURATION_MINUTES:
        return settings.chat_duration_minutes
    return None


def build_start_chat_params(request: StartChatRequest, settings: Settings) -> StartChatContactRequestTypeDef:
    """StartChatContact parameters: instance and flow from the deployment, the rest from the request."""
    params: StartChatContactRequestTypeDef = {
        "InstanceId": settings.connect_instance_id,
        "ContactFlowId": settings.connect_contact_flow_id,
        "ParticipantDetails": {"DisplayName": request.ParticipantDetails.DisplayName},
        "SupportedMessagingContentTypes": list(
            request.SupportedMessagingContentTypes or default_content_types(settings)
        ),
    }
    duration = chat_duration_to_send(request, settings)
    if duration is not None:
        params["ChatDurationInMinutes"] = duration
    if request.Attributes:
        params["Attributes"] = dict(request.Attributes)
    if request.InitialMessage is not None:
        params["InitialMessage"] = {
            "ContentType": request.InitialMessage.ContentType,
            "Content": request.InitialMessage.Content,
        }
    if request.PersistentChat is not None:
        params["PersistentChat"] = {
            "RehydrationType": request.PersistentChat.RehydrationType,
            "SourceContactId": request.PersistentChat.SourceContactId,
        }
    if request.ClientToken is not None:
        params["ClientToken"] = request.ClientToken
    return params


def map_connect_error(exc: ClientError | BotoCoreError) -> ApiError:
    """The API error for a failed StartChatContact call. AWS error text and request ids stay out of it."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", "Unknown"))
        details: dict[str, str | int] = {"connect_error": code}
        request_id = exc.response.get("ResponseMetadata", {}).get("RequestId")
        if request_id:
            details["connect_request_id"] = request_id
        if code in RETRY_AFTER_SECONDS:
            return ApiError(
                status=429,
                code="THROTTLED",
                message="Too many chats are being started. Please try again shortly.",
                reason=FailureReason.THROTTLED,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS[code])},
                log_details=details,
            )
        if code in MISCONFIGURATION_ERRORS:
            return _misconfigured(details)
        if code in REJECTION_ERRORS:
            return ApiError(
                status=400,
                code="CHAT_REQUEST_REJECTED",
                message="The chat could not be started with the details provided.",
                reason=FailureReason.REJECTED,
                log_details=details,
            )
        return _unavailable(details)
    details = {"connect_error": type(exc).__name__}
    if isinstance(exc, NoCredentialsError):
        return _misconfigured(details)
    return _unavailable(details)


def _misconfigured(details: dict[str, str | int]) -> ApiError:
    return ApiError(
        status=502,
        code="CHAT_SERVICE_ERROR",
        message="The chat service is not available right now.",
        reason=FailureReason.MISCONFIGURED,
        log_details=details,
    )


def _unavailable(details: dict[str, str | int]) -> ApiError:
    return ApiError(
        status=503,
        code="CHAT_SERVICE_UNAVAILABLE",
        message="The chat service is temporarily unavailable. Please try again shortly.",
        reason=FailureReason.UNAVAILABLE,
        log_details=details,
    )


def start_chat(client: ConnectClient, request: StartChatRequest, settings: Settings) -> StartChatResponse:
    """Call StartChatContact (then set the chat timeouts) and build the widget's response, or raise the
    mapped :class:`ApiError`."""
    try:
        answer = client.start_chat_contact(**build_start_chat_params(request, settings))
    except ParamValidationError:
        raise  # our validation let through what botocore rejects: a bug, answered as a 500
    except (ClientError, BotoCoreError) as exc:
        raise map_connect_error(exc) from exc
    apply_chat_timeouts(client, settings.connect_instance_id, answer["ContactId"], settings.chat_timeouts)
    return StartChatResponse(
        data=StartChatData(
            start_chat_result=StartChatResult(
                ContactId=answer["ContactId"],
                ParticipantId=answer["ParticipantId"],
                ParticipantToken=answer["ParticipantToken"],
                ContinuedFromContactId=answer.get("ContinuedFromContactId"),
            ),
            feature_permissions=FeaturePermissions(
                ATTACHMENTS=settings.enable_attachments, MESSAGING_MARKDOWN=settings.enable_markdown
            ),
        )
    )
