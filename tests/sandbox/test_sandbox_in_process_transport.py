"""The start-chat function's Connect client reaches the sandbox's app without a socket, answered alike."""

from __future__ import annotations

from typing import Any

import boto3
import httpx
import pytest
import urllib3.util.connection
from botocore.config import Config
from botocore.exceptions import ClientError

pytestmark = pytest.mark.sandbox


def in_process_connect(server: Any) -> Any:
    """A boto3 `connect` client for the sandbox, answered by its in-process transport."""
    config = Config(parameter_validation=False, retries={"max_attempts": 1})
    client = boto3.client("connect", endpoint_url=f"{server.url}/connect", config=config)
    server.sandbox.connect_transport.attach(client)
    return client


def request(server: Any, **change: Any) -> dict[str, Any]:
    config = server.sandbox.config
    return {
        "InstanceId": config.instance_id,
        "ContactFlowId": config.contact_flow_id,
        "ParticipantDetails": {"DisplayName": "Ann"},
        **change,
    }


def test_a_start_goes_through_the_app_without_a_connection(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the in-process client, and no way to open a socket
    client = in_process_connect(server)

    def no_sockets(*_: Any, **__: Any) -> None:
        raise AssertionError("the in-process transport opened a connection")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", no_sockets)

    # When a chat is started through it
    started = client.start_chat_contact(**request(server))

    # Then the sandbox has that contact, and botocore parsed the app's answer
    assert started["ContactId"] in server.sandbox.store.contacts
    assert started["ParticipantToken"]


@pytest.mark.parametrize(
    ("change", "code", "status"),
    [
        ({"InstanceId": "not-our-instance"}, "ResourceNotFoundException", 404),
        ({"ParticipantDetails": {"DisplayName": ""}}, "InvalidParameterException", 400),
    ],
)
def test_an_error_is_answered_as_over_http(
    server: Any, change: dict[str, Any], code: str, status: int
) -> None:
    # Given the same invalid request over HTTP and in-process
    over_http = boto3.client(
        "connect",
        endpoint_url=f"{server.url}/connect",
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )
    answers = []
    for client in (over_http, in_process_connect(server)):
        # When it is sent
        with pytest.raises(ClientError) as raised:
            client.start_chat_contact(**request(server, **change))
        answers.append(raised.value.response)

    # Then both clients see the same error, status and message
    (http_answer, in_process_answer) = answers
    assert in_process_answer["Error"] == http_answer["Error"]
    assert in_process_answer["Error"]["Code"] == code
    assert (
        in_process_answer["ResponseMetadata"]["HTTPStatusCode"]
        == status
        == (http_answer["ResponseMetadata"]["HTTPStatusCode"])
    )


def test_post_chats_runs_the_function_without_a_connection(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given no way for botocore to open a socket (httpx, the test's own client, does not use urllib3)
    def no_sockets(*_: Any, **__: Any) -> None:
        raise AssertionError("the function's Connect client opened a connection")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", no_sockets)

    # When a chat is started through the emulated API Gateway route
    answer = httpx.post(f"{server.url}/chats", json={"ParticipantDetails": {"DisplayName": "Ann"}})

    # Then the real handler started it through the in-process transport
    assert answer.status_code == 200
    contact_id = answer.json()["data"]["startChatResult"]["ContactId"]
    assert contact_id in server.sandbox.store.contacts
