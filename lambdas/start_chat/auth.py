"""Authenticated start (``startChatAuth=jwt``): the site's backend vouches for its customer with a JWT.

The widget sends ``Authorization: Bearer <JWT>``; the JWT is HS256-signed with the secret the stack
keeps in Secrets Manager, lives at most :data:`MAX_START_TOKEN_SECONDS`, and names the site's customer
in ``sub``. Its optional ``attributes`` claim overrides the body's attributes (still through the
allow-list); ``sub`` becomes the ``customerId`` contact attribute, which the body can never set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, FailureReason
from .models import RequestPolicy

MAX_START_TOKEN_SECONDS = 600
CUSTOMER_ID_ATTRIBUTE = "customerId"
MAX_CUSTOMER_ID_LENGTH = 256
# Clock skew tolerated between the site's backend and Lambda.
LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class Customer:
    """Who the site's backend says is starting the chat."""

    customer_id: str
    attributes: dict[str, str] = field(default_factory=dict)

    def trusted_attributes(self) -> dict[str, str]:
        """Attributes that replace the body's: the token's, then the customer id."""
        return {**self.attributes, CUSTOMER_ID_ATTRIBUTE: self.customer_id}


def trusting_policy(policy: RequestPolicy) -> RequestPolicy:
    """``policy`` with the customer id let through: in this mode only a verified token sets it."""
    return policy._replace(allowed_attributes=policy.allowed_attributes | {CUSTOMER_ID_ATTRIBUTE})


def authenticate(authorization: str | None, secret: bytes) -> Customer:
    """The customer a valid start token names; a 401 :class:`ApiError` for a missing, expired or bad one."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("AUTH_TOKEN_REQUIRED", "Starting a chat needs a token from this website.")
    claims = _verified_claims(token.strip(), secret)
    attributes = claims.get("attributes", {})
    if (
        not isinstance(claims["iat"], int | float)
        or claims["exp"] - claims["iat"] > MAX_START_TOKEN_SECONDS
        or not isinstance(claims["sub"], str)
        or not 0 < len(claims["sub"]) <= MAX_CUSTOMER_ID_LENGTH
        or not isinstance(attributes, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in attributes.items())
    ):
        raise _invalid()
    return Customer(customer_id=claims["sub"], attributes=attributes)


def _verified_claims(token: str, secret: bytes) -> dict[str, Any]:
    # Imported on first use: deployments without startChatAuth=jwt neither load nor ship PyJWT.
    import jwt

    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "iat", "sub"]},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("AUTH_TOKEN_EXPIRED", "The start token has expired; get a new one.") from None
    except jwt.InvalidTokenError:
        raise _invalid() from None
    return claims


def _invalid() -> ApiError:
    return _unauthorized("AUTH_TOKEN_INVALID", "The start token is not valid.")


def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(
        status=401,
        code=code,
        message=message,
        reason=FailureReason.UNAUTHORIZED,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )
