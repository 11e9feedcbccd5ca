"""The keys the API signs and verifies with: the continuation key, and the site's start-token secret.

The handler gets a :class:`SigningKeys` injected (the sandbox and tests pass :class:`FixedSigningKeys`);
left out, the container reads the secrets the stack generated in Secrets Manager, through Powertools
Parameters with caching (:func:`secrets_manager_keys`). Only the secrets' ARNs are in the environment.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .settings import SettingsError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

# A rotated secret is used within this many seconds; until then every start reuses the cached value.
SECRET_CACHE_SECONDS = 300


class SigningKeys(Protocol):
    """Where the API's keys come from."""

    def continuation_key(self) -> bytes:
        """The HMAC key of continuation tokens."""
        ...

    def start_token_secret(self) -> bytes:
        """The HS256 secret the site's backend signs start tokens with (``startChatAuth=jwt``)."""
        ...


@dataclass(frozen=True)
class FixedSigningKeys:
    """Keys held in memory: what a host running the handler in-process (the sandbox, tests) passes."""

    continuation: bytes
    start_token: bytes = b""

    def continuation_key(self) -> bytes:
        """The continuation key given."""
        return self.continuation

    def start_token_secret(self) -> bytes:
        """The start-token secret given; none given is a misconfiguration."""
        if not self.start_token:
            raise SettingsError("No start-token secret was given to the handler")
        return self.start_token


class SecretsManagerKeys:
    """Keys read from Secrets Manager by ARN or name, each cached for :data:`SECRET_CACHE_SECONDS`."""

    def __init__(
        self, continuation_secret_id: str | None, start_token_secret_id: str | None, provider: SecretsProvider
    ) -> None:
        """``provider``: the Powertools secrets provider (its cache is per provider)."""
        self._continuation_secret_id = continuation_secret_id
        self._start_token_secret_id = start_token_secret_id
        self._provider = provider

    def continuation_key(self) -> bytes:
        """The continuation secret's value."""
        return self._secret(self._continuation_secret_id, "CONTINUATION_SECRET_ID")

    def start_token_secret(self) -> bytes:
        """The start-token secret's value."""
        return self._secret(self._start_token_secret_id, "START_TOKEN_SECRET_ID")

    def _secret(self, secret_id: str | None, variable: str) -> bytes:
        if not secret_id:
            raise SettingsError(f"Invalid start-chat environment: {variable} is not set")
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        try:
            value = self._provider.get(secret_id, max_age=SECRET_CACHE_SECONDS)
        except GetParameterError as exc:  # no such secret, no permission, Secrets Manager unreachable
            raise SettingsError(f"Cannot read the secret named by {variable}: {exc}") from None
        if isinstance(value, str) and value:
            return value.encode()
        if isinstance(value, bytes) and value:
            return value
        raise SettingsError(f"The secret named by {variable} is empty")


@functools.cache
def secrets_manager_keys(
    continuation_secret_id: str | None, start_token_secret_id: str | None
) -> SigningKeys:
    """The container's keys (the handler's default): one provider, so one cache, per container."""
    # Imported on first use: the parameters utility is not needed to answer a preflight or an error.
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    from .aws_clients import get_secrets_client

    # The container's client: left to itself, the provider would build one in a new boto3 session.
    provider = SecretsProvider(boto3_client=get_secrets_client())
    return SecretsManagerKeys(continuation_secret_id, start_token_secret_id, provider)
