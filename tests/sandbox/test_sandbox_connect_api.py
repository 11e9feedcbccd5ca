"""The Connect control-plane subset through a real boto3 `connect` client."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from sandbox_helpers import connect_client, customer, start_chat

from sandbox.contacts.chats import MESSAGE_LIMITS

pytestmark = pytest.mark.sandbox


def unvalidated_connect(server):
    """A client that lets invalid input through, so the server's validation answers."""
    config = Config(parameter_validation=False, retries={"max_attempts": 1})
    return boto3.client("connect", endpoint_url=f"{server.url}/connect", config=config)


def error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


def test_start_chat_contact_answers_ids_and_token(server):
    # When
    started = start_chat(server)
    # Then
    assert started["ContactId"] and started["ParticipantId"] and started["ParticipantToken"]
    assert "ContinuedFromContactId" not in started


def test_start_chat_contact_is_idempotent_on_client_token(server):
    first = start_chat(server, ClientToken="same-token")
    again = start_chat(server, ClientToken="same-token")
    other = start_chat(server, ClientToken="other-token")
    assert again["ContactId"] == first["ContactId"]
    assert again["ParticipantToken"] == first["ParticipantToken"]
    assert other["ContactId"] != first["ContactId"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ParticipantDetails": {"DisplayName": ""}}, "InvalidParameterException"),
        ({"ParticipantDetails": {"DisplayName": "x" * 257}}, "InvalidParameterException"),
        ({"ParticipantDetails": None}, "InvalidParameterException"),
        ({"ChatDurationInMinutes": 59}, "InvalidParameterException"),
        ({"ChatDurationInMinutes": 10081}, "InvalidParameterException"),
        ({"SupportedMessagingContentTypes": ["text/markdown"]}, "InvalidParameterException"),
        ({"SupportedMessagingContentTypes": ["text/plain", "image/png"]}, "InvalidParameterException"),
        ({"Attributes": {"bad key!": "v"}}, "InvalidParameterException"),
        ({"Attributes": {"big": "x" * 32767, "more": "y" * 100}}, "InvalidParameterException"),
        (
            {
                "InitialMessage": {
                    "ContentType": "text/plain",
                    "Content": "x" * (MESSAGE_LIMITS["text/plain"] + 1),
                }
            },
            "InvalidParameterException",
        ),
        ({"InitialMessage": {"ContentType": "text/plain"}}, "InvalidParameterException"),
        (
            {"PersistentChat": {"RehydrationType": "SOMETIMES", "SourceContactId": "x"}},
            "InvalidParameterException",
        ),
        (
            {"PersistentChat": {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": "nope"}},
            "ResourceNotFoundException",
        ),
        ({"InstanceId": "not-our-instance"}, "ResourceNotFoundException"),
        ({"ContactFlowId": "not-our-flow"}, "ResourceNotFoundException"),
    ],
)
def test_start_chat_contact_rejects_invalid_input(server, change, code):
    sandbox = server.sandbox
    request = {
        "InstanceId": sandbox.config.instance_id,
        "ContactFlowId": sandbox.config.contact_flow_id,
        "ParticipantDetails": {"DisplayName": "Ann"},
        **change,
    }
    request = {key: value for key, value in request.items() if value is not None}
    with pytest.raises(ClientError) as caught:
        unvalidated_connect(server).start_chat_contact(**request)
    assert error_code(caught.value) == code
    status = 404 if code == "ResourceNotFoundException" else 400
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_start_chat_contact_enforces_the_active_chats_quota(make_server):
    server = make_server(max_active_chats=2)
    first = start_chat(server)
    start_chat(server)
    with pytest.raises(ClientError) as caught:
        start_chat(server)
    assert error_code(caught.value) == "LimitExceededException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    # An ended chat frees its slot.
    connect_client(server).stop_contact(
        ContactId=first["ContactId"], InstanceId=server.sandbox.config.instance_id
    )
    assert start_chat(server)["ContactId"]


def test_describe_and_stop_contact(server):
    started, person = customer(server)
    connect = connect_client(server)
    instance = server.sandbox.config.instance_id
    described = connect.describe_contact(InstanceId=instance, ContactId=started["ContactId"])["Contact"]
    assert described["Id"] == started["ContactId"]
    assert described["InitialContactId"] == started["ContactId"]
    assert described["Channel"] == "CHAT"
    assert described["InitiationMethod"] == "API"
    assert "DisconnectTimestamp" not in described
    # When
    connect.stop_contact(ContactId=started["ContactId"], InstanceId=instance)
    # Then the customer is told and the contact is over
    person.sockets[0].event("chat.ended")
    described = connect.describe_contact(InstanceId=instance, ContactId=started["ContactId"])["Contact"]
    assert described["DisconnectTimestamp"] >= described["InitiationTimestamp"]
    with pytest.raises(ClientError) as caught:
        connect.stop_contact(ContactId=started["ContactId"], InstanceId=instance)
    assert error_code(caught.value) == "ContactNotFoundException"


def test_unknown_contact_is_not_found(server):
    connect = connect_client(server)
    instance = server.sandbox.config.instance_id
    with pytest.raises(ClientError) as caught:
        connect.describe_contact(InstanceId=instance, ContactId="00000000-0000-0000-0000-000000000000")
    assert error_code(caught.value) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as caught:
        connect.stop_contact(ContactId="nope", InstanceId=instance)
    assert error_code(caught.value) == "ResourceNotFoundException"


def test_persistent_chat_continues_an_ended_contact(server):
    started, person = customer(server, socket=False)
    person.send("before")
    person.disconnect()
    again = start_chat(
        server,
        PersistentChat={"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": started["ContactId"]},
    )
    assert again["ContinuedFromContactId"] == started["ContactId"]


def test_persistent_chat_needs_an_ended_source(server):
    started = start_chat(server)
    with pytest.raises(ClientError) as caught:
        start_chat(
            server,
            PersistentChat={
                "RehydrationType": "ENTIRE_PAST_SESSION",
                "SourceContactId": started["ContactId"],
            },
        )
    assert error_code(caught.value) == "InvalidRequestException"
