"""The container's AWS clients (the handler's defaults), each created on first use.

A host running the handler in-process passes its own Connect client and keys instead: the sandbox a
client pointed at its local Connect API, tests a stubbed one. Both come from boto3's default session,
so they share its loaded endpoint and partition data (a second session would load them again, ~40 ms
of cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from .gc_pause import long_lived_objects

if TYPE_CHECKING:
    from mypy_boto3_connect import ConnectClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

# Worst case 3 attempts x (2 s connect + 3 s read) + up to 3 s of backoff = 18 s, inside the
# function's 20 s timeout, so the caller gets our 503 rather than API Gateway's bare 502.
# Retries are safe: every attempt carries the same ClientToken (StartChatContact is idempotent on it).
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=3)
# The keys are read on a cache miss only (the first start of a container, then every 5 minutes), before
# the Connect call: worst case 2 x (1 s + 1 s) + up to 1 s of backoff = 5 s, then the refusal is a 500.
# Only when both services hang on the same start can the sum pass the 20 s timeout.
SECRETS_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 2}, connect_timeout=1, read_timeout=1
)

_client: ConnectClient | None = None
_secrets_client: SecretsManagerClient | None = None


def get_connect_client() -> ConnectClient:
    """The Connect client of this container, created on the first call."""
    global _client  # one client per container, reused across invocations
    if _client is None:
        with long_lived_objects():  # the Connect service model: ~40k objects
            _client = boto3.client("connect", config=CLIENT_CONFIG)
    return _client


def get_secrets_client() -> SecretsManagerClient:
    """The Secrets Manager client of this container (the signing keys' reader), created on the first call."""
    global _secrets_client  # one client per container, reused across invocations
    if _secrets_client is None:
        with long_lived_objects():
            _secrets_client = boto3.client("secretsmanager", config=SECRETS_CLIENT_CONFIG)
    return _secrets_client
