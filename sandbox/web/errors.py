"""Service errors in the AWS rest-json wire format: status, `x-amzn-ErrorType`, `{"Message": ...}`."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import JSONResponse


class ServiceError(Exception):
    """An error a client sees exactly as the real service would send it."""

    code = "InternalServerException"
    status = 500

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def response(self) -> JSONResponse:
        """The HTTP answer for this error."""
        body: dict[str, Any] = {"Message": self.message, **self.extra}
        headers = {"x-amzn-ErrorType": self.code, "x-amzn-RequestId": str(uuid.uuid4())}
        return JSONResponse(body, status_code=self.status, headers=headers)


def _error(name: str, status: int) -> type[ServiceError]:
    return type(name, (ServiceError,), {"code": name, "status": status})


# Participant Service (connectparticipant)
ValidationException = _error("ValidationException", 400)
AccessDeniedException = _error("AccessDeniedException", 403)
ResourceNotFoundException = _error("ResourceNotFoundException", 404)
ConflictException = _error("ConflictException", 409)
ThrottlingException = _error("ThrottlingException", 429)
InternalServerException = _error("InternalServerException", 500)

# Connect control plane (connect)
InvalidRequestException = _error("InvalidRequestException", 400)
InvalidParameterException = _error("InvalidParameterException", 400)
LimitExceededException = _error("LimitExceededException", 429)
ContactNotFoundException = _error("ContactNotFoundException", 410)
InternalServiceException = _error("InternalServiceException", 500)
