"""API errors: what the caller sees (status, code, message) and what metrics record (reason)."""

from __future__ import annotations

from enum import StrEnum

from .models import FieldProblem


class FailureReason(StrEnum):
    """Value of the ``Reason`` dimension of the ``ChatStartFailed`` metric."""

    VALIDATION = "validation"
    ORIGIN = "origin"
    THROTTLED = "throttled"
    MISCONFIGURED = "misconfigured"
    UNAVAILABLE = "unavailable"
    REJECTED = "rejected"
    UNAUTHORIZED = "unauthorized"
    CONTINUATION = "continuation"
    INTERNAL = "internal"


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message", "fields"?}}``.

    ``message`` is written for the caller and never carries AWS error text; ``log_details`` are
    safe, non-personal facts (e.g. the Connect error code) for the log line only.
    """

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: str,
        reason: FailureReason,
        fields: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        log_details: dict[str, str | int] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.reason = reason
        self.fields = fields
        self.headers = headers or {}
        self.log_details = log_details or {}


def invalid_request(message: str, fields: list[FieldProblem] | None = None) -> ApiError:
    """400: the body is not a valid start-chat request."""
    return ApiError(
        status=400, code="VALIDATION_ERROR", message=message, reason=FailureReason.VALIDATION, fields=fields
    )


def origin_not_allowed() -> ApiError:
    """403: a browser on a website that is not on the allow-list."""
    return ApiError(
        status=403,
        code="ORIGIN_NOT_ALLOWED",
        message="This website is not allowed to start chats.",
        reason=FailureReason.ORIGIN,
    )


def service_misconfigured() -> ApiError:
    """500: the Lambda's own environment is invalid (details go to the log, not the caller)."""
    return ApiError(
        status=500,
        code="INTERNAL_ERROR",
        message="The chat service is not available right now.",
        reason=FailureReason.MISCONFIGURED,
    )


def internal_error() -> ApiError:
    """500: an unexpected failure."""
    return ApiError(
        status=500,
        code="INTERNAL_ERROR",
        message="The chat service is not available right now.",
        reason=FailureReason.INTERNAL,
    )
