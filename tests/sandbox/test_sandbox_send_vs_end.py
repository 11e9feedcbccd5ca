"""Audit finding 7: no accepted message may be missing from the S3 transcript.

Acceptance and the end of a chat are mutually exclusive: a write whose body arrives after the chat
ended is refused, and every write answered 200 is in GetTranscript, on the sockets and in S3.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import EVENT, WAIT, customer, transcript_keys

from sandbox.server import BackgroundServer

pytestmark = pytest.mark.sandbox


def s3_transcript(server: BackgroundServer, s3_endpoint: str, contact_id: str) -> dict[str, Any]:
    """The transcript object written for a contact (after pending uploads finish)."""
    server.run_async(server.sandbox.transcripts.drain)
    config = server.sandbox.config
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=config.region)
    keys = transcript_keys(s3, config.transcript_bucket, config.transcript_prefix, contact_id)
    assert len(keys) == 1, keys
    return dict(json.loads(s3.get_object(Bucket=config.transcript_bucket, Key=keys[0])["Body"].read()))


def wait_for_request_in_flight(server: BackgroundServer) -> None:
    """Wait until the server has started handling a request, then let it run up to its next await."""
    sandbox_server = server.server
    for _ in range(int(WAIT * 1000)):
        if server.run(lambda: len(sandbox_server.server_state.tasks)) > 0:
            break
        threading.Event().wait(0.001)
    else:
        raise AssertionError("the request never reached the server")
    for _ in range(20):  # loop turns, not time: the endpoint parks on the body's next chunk
        server.run_async(_yield)


async def _yield() -> None:
    await asyncio.sleep(0)


def test_a_message_whose_body_arrives_after_the_end_is_refused(server, s3_endpoint):
    # Given a chat, and a SendMessage whose headers (and token) arrive before the chat ends
    started, person = customer(server, socket=False)
    body = json.dumps({"ContentType": "text/plain", "Content": "late words"}).encode()
    host, port = server.url.removeprefix("http://").split(":")
    raw = socket.create_connection((host, int(port)), timeout=WAIT)
    head = (
        f"POST /participant/message HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nX-Amz-Bearer: {person.connection_token}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    raw.sendall(head + body[:10])
    wait_for_request_in_flight(server)
    # When the chat ends before the rest of the body arrives
    person.disconnect()
    raw.sendall(body[10:])
    answer = b""
    while chunk := raw.recv(65536):
        answer += chunk
    raw.close()
    # Then the message is refused, and it is nowhere: not in GetTranscript, not in S3
    assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
    assert b"AccessDeniedException" in answer
    contents = [i.get("Content") for i in person.transcript(MaxResults=100)["Transcript"]]
    assert "late words" not in contents
    document = s3_transcript(server, s3_endpoint, started["ContactId"])
    assert "late words" not in [i.get("Content") for i in document["Transcript"]]


@pytest.mark.parametrize("round_", range(3))
def test_sends_hammered_against_the_end_are_all_in_every_copy(server, s3_endpoint, round_):
    # Given chats whose customers send from several threads while the chat is ended
    chats = [customer(server) for _ in range(4)]
    accepted: dict[str, set[str]] = {started["ContactId"]: set() for started, _ in chats}
    refusals: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(len(chats) * 3 + 1)

    def send(started: dict[str, Any], person: Any, sender: int) -> None:
        client = boto3.client("connectparticipant", endpoint_url=server.url, region_name="us-east-1")
        go.wait()
        for n in range(8):
            try:
                answer = client.send_message(
                    ContentType="text/plain",
                    Content=f"{sender}-{n}",
                    ConnectionToken=person.connection_token,
                )
            except ClientError as error:
                refusals.append(error.response["Error"]["Code"])
                continue
            with lock:
                accepted[started["ContactId"]].add(answer["Id"])

    threads = [
        threading.Thread(target=send, args=(started, person, sender))
        for started, person in chats
        for sender in range(3)
    ]
    for thread in threads:
        thread.start()
    go.wait()
    # When every chat is ended while the sends are in flight
    for _, person in chats:
        person.disconnect()
    for thread in threads:
        thread.join(WAIT * 3)
    # Then refusals say the chat has ended (or the sender is throttled), and every accepted message
    assert set(refusals) <= {"AccessDeniedException", "ThrottlingException"}
    # is in GetTranscript, pushed on the socket and in the S3 object
    for started, person in chats:
        ids = accepted[started["ContactId"]]
        transcript = person.transcript(MaxResults=100)["Transcript"]
        assert ids <= {i["Id"] for i in transcript}
        ended_at = next(i["AbsoluteTime"] for i in transcript if i["ContentType"] == EVENT + "chat.ended")
        assert all(i["AbsoluteTime"] < ended_at for i in transcript if i["Id"] in ids)
        pushed: set[str] = set()
        sock = person.sockets[0]
        while True:
            item = sock.item(lambda i: True)
            if item["ContentType"] == EVENT + "chat.ended":
                break
            pushed.add(item["Id"])
        assert ids <= pushed
        document = s3_transcript(server, s3_endpoint, started["ContactId"])
        assert ids <= {i["Id"] for i in document["Transcript"]}
