"""The container's default keys: Secrets Manager through Powertools Parameters, cached."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import SecretsProvider
from botocore.stub import Stubber

from lambdas.start_chat import aws_clients
from lambdas.start_chat.settings import SettingsError
from lambdas.start_chat.signing_keys import FixedSigningKeys, SecretsManagerKeys, secrets_manager_keys

CONTINUATION_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:continuation-AbCdEf"
START_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:start-AbCdEf"


@pytest.fixture
def stub() -> Stubber:
    client = boto3.client(
        "secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return Stubber(client)


def _answer(arn: str, value: str) -> dict[str, str]:
    return {"ARN": arn, "Name": arn.rsplit(":", 1)[1], "SecretString": value}


def test_each_secret_is_read_by_arn_once_then_cached(stub: Stubber) -> None:
    # Given Secrets Manager answers each secret exactly once
    stub.add_response("get_secret_value", _answer(CONTINUATION_ARN, "k" * 64), {"SecretId": CONTINUATION_ARN})
    stub.add_response("get_secret_value", _answer(START_ARN, "s" * 64), {"SecretId": START_ARN})
    keys = SecretsManagerKeys(CONTINUATION_ARN, START_ARN, SecretsProvider(boto3_client=stub.client))

    # When the keys are asked for on many invocations
    with stub:
        values = [(keys.continuation_key(), keys.start_token_secret()) for _ in range(5)]

    # Then the values are the secrets', fetched once each (a second call would find no answer queued)
    assert set(values) == {(b"k" * 64, b"s" * 64)}
    stub.assert_no_pending_responses()


def test_a_missing_arn_or_an_unreadable_secret_is_a_settings_error(stub: Stubber) -> None:
    stub.add_client_error("get_secret_value", "AccessDeniedException", "no")
    keys = SecretsManagerKeys(CONTINUATION_ARN, None, SecretsProvider(boto3_client=stub.client))
    with stub:
        with pytest.raises(SettingsError, match="CONTINUATION_SECRET_ID"):
            keys.continuation_key()
        with pytest.raises(SettingsError, match="START_TOKEN_SECRET_ID is not set"):
            keys.start_token_secret()


def test_the_container_keeps_one_provider_per_secret_pair() -> None:
    assert secrets_manager_keys(CONTINUATION_ARN, START_ARN) is secrets_manager_keys(
        CONTINUATION_ARN, START_ARN
    )


def test_fixed_keys_without_a_start_token_secret_refuse_to_verify() -> None:
    keys = FixedSigningKeys(continuation=b"c" * 32)
    assert keys.continuation_key() == b"c" * 32
    with pytest.raises(SettingsError):
        keys.start_token_secret()


def test_the_default_mode_never_imports_pyjwt() -> None:
    # PyJWT ships only with startChatAuth=jwt (stacks/lambda_bundle.py): the handler must not need it.
    code = "import sys; import lambdas.start_chat.handler; assert 'jwt' not in sys.modules, 'jwt imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_the_container_keys_read_through_the_containers_client(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the container's Secrets Manager client (boto3's default session, shared with the Connect
    # client: a session of the provider's own would load botocore's data again at cold start)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    monkeypatch.setattr(aws_clients, "_secrets_client", None)
    arn = CONTINUATION_ARN.replace("continuation", "container")
    with Stubber(aws_clients.get_secrets_client()) as stub:
        stub.add_response("get_secret_value", _answer(arn, "z" * 64), {"SecretId": arn})

        # When the container's keys are asked for the continuation key
        key = secrets_manager_keys(arn, None).continuation_key()

    # Then it was read through that client
    assert key == b"z" * 64
    stub.assert_no_pending_responses()
