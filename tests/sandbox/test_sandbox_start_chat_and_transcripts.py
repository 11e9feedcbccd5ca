"""`POST /chats` through the real Lambda handler, and transcripts written to S3 at chat end."""

from __future__ import annotations

import json
import re

import boto3
import httpx
import pytest
from sandbox_helpers import Participant, customer, transcript_keys

from sandbox.storage.transcripts import transcript_key

pytestmark = pytest.mark.sandbox


def test_post_chats_starts_a_chat_through_the_lambda(server):
    answer = httpx.post(
        f"{server.url}/chats",
        json={"ParticipantDetails": {"DisplayName": "Web visitor"}, "Attributes": {"customerName": "Vi"}},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    result = data["startChatResult"]
    assert set(data["featurePermissions"]) == {"ATTACHMENTS", "MESSAGING_MARKDOWN"}
    # The customer can use the token straight away.
    person = Participant(server, result["ParticipantToken"])
    person.connect()
    person.open_socket().message(role="SYSTEM")
    contact = server.sandbox.store.contacts[result["ContactId"]]
    assert contact.attributes.get("customerName") == "Vi"


def test_post_chats_errors_are_the_lambdas(server):
    answer = httpx.post(f"{server.url}/chats", content=b"{broken", timeout=30)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"


def test_post_chats_cors_is_the_lambdas_allow_list(server):
    own = httpx.options(
        f"{server.url}/chats",
        headers={"Origin": server.url, "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert own.status_code == 204
    assert own.headers["access-control-allow-origin"] == server.url
    foreign = httpx.options(
        f"{server.url}/chats",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in foreign.headers


def test_transcript_object_has_every_message_in_order(server, s3_endpoint):
    started, person = customer(server)
    sent = [person.send(f"message {i}")["Id"] for i in range(12)]
    person.disconnect()
    person.sockets[0].event("chat.ended")
    server.run_async(server.sandbox.transcripts.drain)
    config = server.sandbox.config
    # The key as listed in the bucket (not re-derived), in Connect's layout for the start time.
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    keys = transcript_keys(s3, config.transcript_bucket, config.transcript_prefix, started["ContactId"])
    assert len(keys) == 1
    key = keys[0]
    contact = server.sandbox.store.contacts[started["ContactId"]]
    assert key == transcript_key(config.transcript_prefix, started["ContactId"], contact.initiated_at)
    assert re.fullmatch(
        rf"{config.transcript_prefix}/\d{{4}}/\d{{2}}/\d{{2}}/{started['ContactId']}_\d{{8}}T\d{{2}}:\d{{2}}_UTC\.json",
        key,
    )
    document = json.loads(s3.get_object(Bucket=config.transcript_bucket, Key=key)["Body"].read())
    assert document["ContactId"] == started["ContactId"]
    assert document["InitialContactId"] == started["ContactId"]
    assert document["InstanceId"] == config.instance_id
    assert document["AWSAccountId"]
    assert {"ParticipantId": started["ParticipantId"]} in document["Participants"]
    ids = [item["Id"] for item in document["Transcript"] if item["Type"] == "MESSAGE"]
    assert [i for i in ids if i in sent] == sent
    times = [item["AbsoluteTime"] for item in document["Transcript"]]
    assert times == sorted(times)
    assert document["Transcript"][-1]["ContentType"].endswith("chat.ended")
