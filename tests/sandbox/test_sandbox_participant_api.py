"""Participant Service operations through a real boto3 `connectparticipant` client."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from sandbox_helpers import EVENT, Participant, customer, participant_client, start_chat

from sandbox.contacts.chats import MESSAGE_LIMITS

pytestmark = pytest.mark.sandbox

DELIVERED = EVENT + "message.delivered"
READ = EVENT + "message.read"
TYPING = EVENT + "typing"


def code_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def unvalidated(server):
    config = Config(parameter_validation=False, retries={"max_attempts": 1})
    return boto3.client("connectparticipant", endpoint_url=server.url, config=config)


def test_create_connection_answers_websocket_and_credentials(server):
    started = start_chat(server)
    person = Participant(server, started["ParticipantToken"])
    answer = person.connect()
    assert answer["Websocket"]["Url"].startswith(f"ws://127.0.0.1:{server.port}/")
    expiry = datetime.fromisoformat(answer["ConnectionCredentials"]["Expiry"].replace("Z", "+00:00"))
    ahead = (expiry - datetime.now(UTC)).total_seconds()
    assert 60 < ahead <= 86400 + 5
    assert answer["ConnectionCredentials"]["ConnectionToken"]


def test_bad_tokens_are_denied(server):
    client = participant_client(server)
    with pytest.raises(ClientError) as caught:
        client.create_participant_connection(Type=["WEBSOCKET"], ParticipantToken="not-a-token")
    assert code_of(caught) == ("AccessDeniedException", 403)
    with pytest.raises(ClientError) as caught:
        client.send_message(ContentType="text/plain", Content="hi", ConnectionToken="not-a-token")
    assert code_of(caught) == ("AccessDeniedException", 403)
    with pytest.raises(ClientError) as caught:
        client.get_transcript(ConnectionToken="x")
    assert code_of(caught) == ("AccessDeniedException", 403)


def test_send_message_pushes_the_same_id_to_the_sender(server):
    started, person = customer(server)
    sent = person.send("hello there")
    item = person.sockets[0].message("hello there")
    assert item["Id"] == sent["Id"]
    assert item["AbsoluteTime"] == sent["AbsoluteTime"]
    assert item["ContactId"] == started["ContactId"]
    assert item["InitialContactId"] == started["ContactId"]
    assert item["ParticipantRole"] == "CUSTOMER"
    assert item["DisplayName"] == "Ann"
    assert len(sent["AbsoluteTime"]) == len("2024-01-01T00:00:00.000Z")


def test_send_message_is_idempotent_on_client_token(server):
    _, person = customer(server, socket=False)
    first = person.client.send_message(
        ContentType="text/plain", Content="once", ClientToken="t-1", ConnectionToken=person.connection_token
    )
    again = person.client.send_message(
        ContentType="text/plain", Content="once", ClientToken="t-1", ConnectionToken=person.connection_token
    )
    assert again["Id"] == first["Id"]
    texts = [i.get("Content") for i in person.transcript(MaxResults=100)["Transcript"]]
    assert texts.count("once") == 1


def test_send_message_accepts_the_longest_message_of_each_type(server):
    # Given a chat supporting plain text, markdown and JSON (the model's limit, not an older 1,024)
    _, person = customer(
        server,
        socket=False,
        SupportedMessagingContentTypes=["text/plain", "text/markdown", "application/json"],
    )
    longest = {
        "text/plain": "x" * MESSAGE_LIMITS["text/plain"],
        "text/markdown": "x" * MESSAGE_LIMITS["text/markdown"],
        "application/json": '"' + "x" * (MESSAGE_LIMITS["application/json"] - 2) + '"',
    }
    for content_type, content in longest.items():
        # When the customer sends the longest message allowed, Then it is accepted
        answer = person.client.send_message(
            ContentType=content_type, Content=content, ConnectionToken=person.connection_token
        )
        assert answer["Id"]


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("text/plain", "x" * (MESSAGE_LIMITS["text/plain"] + 1)),
        ("application/json", '"' + "x" * MESSAGE_LIMITS["application/json"] + '"'),
        ("text/plain", ""),
        ("text/markdown", "**not enabled for this contact**"),
        ("image/png", "abc"),
        ("application/json", "{not json"),
        ("text/plain", None),
    ],
)
def test_send_message_rejects_invalid_content(server, content_type, content):
    _, person = customer(
        server, socket=False, SupportedMessagingContentTypes=["text/plain", "application/json"]
    )
    request = {"ContentType": content_type, "ConnectionToken": person.connection_token}
    if content is not None:
        request["Content"] = content
    with pytest.raises(ClientError) as caught:
        unvalidated(server).send_message(**request)
    assert code_of(caught) == ("ValidationException", 400)


def test_markdown_is_accepted_when_supported(server):
    _, person = customer(server, SupportedMessagingContentTypes=["text/plain", "text/markdown"])
    person.send("**bold**", content_type="text/markdown")
    assert person.sockets[0].message("**bold**")["ContentType"] == "text/markdown"


def test_timestamps_strictly_increase(server):
    _, person = customer(server, socket=False)
    for index in range(30):
        person.send(f"m{index}")
    times = [
        i["AbsoluteTime"] for i in person.transcript(MaxResults=100, SortOrder="ASCENDING")["Transcript"]
    ]
    assert times == sorted(times)
    assert len(set(times)) == len(times)


def test_typing_is_pushed_but_not_kept(server):
    _, person = customer(server)
    answer = person.send_event(TYPING)
    pushed = person.sockets[0].event("typing")
    assert pushed["Id"] == answer["Id"]
    kinds = {i["ContentType"] for i in person.transcript(MaxResults=100)["Transcript"]}
    assert TYPING not in kinds


def test_receipts_are_pushed_and_recorded(server):
    _, person = customer(server)
    message = person.send("read me")
    person.send_event(DELIVERED, json.dumps({"messageId": message["Id"], "extra": 1}))
    person.send_event(READ, json.dumps({"messageId": message["Id"]}))
    delivered = person.sockets[0].item(lambda i: i["Type"] == "MESSAGEMETADATA")
    read = person.sockets[0].item(lambda i: i["Type"] == "MESSAGEMETADATA")
    assert delivered["MessageMetadata"]["MessageId"] == message["Id"]
    assert "DeliveredTimestamp" in delivered["MessageMetadata"]["Receipts"][0]
    assert "ReadTimestamp" in read["MessageMetadata"]["Receipts"][0]
    items = person.transcript(MaxResults=100)["Transcript"]
    stored = next(i for i in items if i["Id"] == message["Id"])
    receipt = stored["MessageMetadata"]["Receipts"][0]
    assert receipt["DeliveredTimestamp"] and receipt["ReadTimestamp"]


@pytest.mark.parametrize("content", [None, "not json", '{"id": "x"}', '{"messageId": "unknown"}'])
def test_bad_receipts_are_rejected(server, content):
    _, person = customer(server, socket=False)
    request = {"ContentType": READ, "ConnectionToken": person.connection_token}
    if content is not None:
        request["Content"] = content
    with pytest.raises(ClientError) as caught:
        unvalidated(server).send_event(**request)
    assert code_of(caught) == ("ValidationException", 400)


def test_receipts_conflict_with_more_than_two_participants(server):
    started, person = customer(server, socket=False)
    message = person.send("hi all")
    contact = server.sandbox.store.contacts[started["ContactId"]]
    for name in ("A1", "A2"):
        server.run(lambda name=name: server.sandbox.chats.add_agent(contact, name, name))
    with pytest.raises(ClientError) as caught:
        person.send_event(READ, json.dumps({"messageId": message["Id"]}))
    assert code_of(caught) == ("ConflictException", 409)


def test_unknown_event_type_is_rejected(server):
    _, person = customer(server, socket=False)
    with pytest.raises(ClientError) as caught:
        person.send_event("application/vnd.amazonaws.connect.event.nonsense")
    assert code_of(caught) == ("ValidationException", 400)


def test_disconnect_ends_the_chat_and_closes_the_door(server):
    _, person = customer(server)
    person.disconnect()
    socket = person.sockets[0]
    left = socket.event("participant.left")
    assert left["ParticipantRole"] == "CUSTOMER"
    socket.event("chat.ended")
    with pytest.raises(ClientError) as caught:
        person.connect()
    assert code_of(caught) == ("AccessDeniedException", 403)
    with pytest.raises(ClientError) as caught:
        person.send("still there?")
    assert code_of(caught) == ("AccessDeniedException", 403)
    with pytest.raises(ClientError) as caught:
        person.disconnect()
    assert code_of(caught) == ("AccessDeniedException", 403)
    kinds = [i["ContentType"] for i in person.transcript(MaxResults=100)["Transcript"]]
    assert EVENT + "chat.ended" in kinds


def test_malformed_json_body_is_a_validation_error(server):
    _, person = customer(server, socket=False)
    for body in (b"{not json", b"[1, 2]", b'"text"'):
        answer = httpx.post(
            f"{server.url}/participant/message",
            content=body,
            headers={"X-Amz-Bearer": person.connection_token, "Content-Type": "application/json"},
        )
        assert answer.status_code == 400
        assert answer.headers["x-amzn-ErrorType"] == "ValidationException"
        assert "Message" in answer.json()
    assert person.send("still served")["Id"]


def test_cors_preflight_allows_the_signed_headers(server):
    answer = httpx.options(
        f"{server.url}/participant/message",
        headers={
            "Origin": "http://example.test:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, x-amz-bearer, x-amz-date, "
            "x-amz-content-sha256, x-amz-user-agent",
        },
    )
    assert answer.status_code == 200
    allowed = answer.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "x-amz-bearer", "x-amz-content-sha256", "x-amz-user-agent"):
        assert header in allowed
    assert answer.headers["access-control-allow-origin"] in {"*", "http://example.test:3000"}


def test_sandbox_info(server):
    info = httpx.get(f"{server.url}/sandbox/info").json()
    assert info["participantEndpoint"] == server.url
    assert info["connectEndpoint"] == f"{server.url}/connect"
    assert info["apiUrl"] == f"{server.url}/chats"
    for key in (
        "region",
        "instanceId",
        "contactFlowId",
        "s3Endpoint",
        "transcriptBucket",
        "transcriptPrefix",
    ):
        assert info[key]
