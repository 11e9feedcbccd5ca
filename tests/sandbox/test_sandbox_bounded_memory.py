"""Audit finding 10: bounded memory. Socket queues are capped in bytes, a chat's transcript has a cap,
and SendMessage/SendEvent are throttled per participant at Amazon Connect's documented rates."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct

import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import EVENT, WAIT, advance, customer

from sandbox.participant.throttling import BURST

pytestmark = pytest.mark.sandbox

FRAME_CONTENT = json.dumps({"pad": "x" * 16_000})


def error_code(call) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


def test_sends_are_throttled_per_participant_at_connects_rates(make_server, manual_clock):
    # Given a sandbox with Connect's throttling, and a customer
    server = make_server(clock=manual_clock, throttle_sends=True)
    _, person = customer(server, socket=False)
    # When the customer sends a burst (the clock does not move)
    for n in range(BURST):
        person.send(f"m{n}")
    # Then the next message is a 429 ThrottlingException, while events have their own allowance
    assert error_code(lambda: person.send("one too many")) == "ThrottlingException"
    person.send_event(EVENT + "typing")
    # And a second later there is room again (10 per second)
    advance(server, manual_clock, 1.0)
    for n in range(10):
        person.send(f"again {n}")
    assert error_code(lambda: person.send("one too many")) == "ThrottlingException"


def test_a_throttled_message_answers_429_on_the_wire(make_server, manual_clock):
    server = make_server(clock=manual_clock, throttle_sends=True)
    _, person = customer(server, socket=False)
    for n in range(BURST):
        person.send(f"m{n}")
    with pytest.raises(ClientError) as caught:
        person.send("throttled")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    texts = [i.get("Content") for i in person.transcript(MaxResults=100)["Transcript"]]
    assert "throttled" not in texts


def test_a_chats_transcript_has_a_cap(make_server):
    # Given a sandbox whose transcripts are capped at 64 KB
    server = make_server(transcript_max_bytes=64 * 1024)
    _, person = customer(server, socket=False)
    # When a customer keeps sending 1,000-character messages
    refused = None
    for n in range(100):
        try:
            person.send(f"{n:04d}" + "x" * 996)
        except ClientError as error:
            refused = error.response["Error"]
            break
    # Then a message past the cap is a ValidationException naming the limit, and reads still work
    assert refused is not None and refused["Code"] == "ValidationException"
    assert "65536" in refused["Message"]
    transcript = server.run(lambda: server.sandbox.store.by_connection_token[person.connection_token])
    assert server.run(lambda: transcript.contact.transcript_bytes) <= 64 * 1024
    assert person.transcript()["Transcript"]


class RawWebSocket:
    """A bare-bones WebSocket client on a plain socket, so that not reading really means not reading."""

    def __init__(self, url: str) -> None:
        address, _, target = url.removeprefix("ws://").partition("/")
        host, port = address.split(":")
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(WAIT)
        self.sock.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /{target} HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head

    def send_text(self, text: str) -> None:
        payload = text.encode()
        assert len(payload) < 126
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("closed without a close frame")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def next_frame(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next server frame."""
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        return first & 0x0F, self._read(length)

    def close_code(self) -> int:
        """Read every frame up to the close frame; its code."""
        while True:
            opcode, payload = self.next_frame()
            if opcode == 0x8:
                return int(struct.unpack("!H", payload[:2])[0])


def test_a_socket_that_never_reads_is_dropped_at_its_byte_cap_with_1013(make_server):
    # Given a subscribed socket whose client then stops reading
    cap = 256 * 1024
    server = make_server(socket_queue_max_bytes=cap)
    started, person = customer(server, socket=False)
    ws = RawWebSocket(person.websocket_url)
    ws.send_text(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
    assert b"success" in ws.next_frame()[1]
    sandbox = server.sandbox
    contact = server.run(lambda: sandbox.store.contacts[started["ContactId"]])
    participant_id = started["ParticipantId"]

    async def flood() -> tuple[int, bool]:
        # When items of 16 KB keep coming (letting the writer run between them)
        conn = sandbox.hub.sockets[participant_id][0]
        most = 0
        for _ in range(5000):  # 80 MB: far beyond the kernel's socket buffers and the cap
            if conn.closing:
                break
            sandbox.chats.post(contact, None, "MESSAGE", "application/json", FRAME_CONTENT, store=False)
            most = max(most, conn.queued_bytes)
            await asyncio.sleep(0)
        return most, conn.closing

    most, closed = server.run_async(flood, timeout=120)
    # Then the queue never held more than the cap, and the socket was dropped
    assert closed
    assert most <= cap
    # And the client, reading at last, gets the close code that says why: 1013 (try again later)
    assert ws.close_code() == 1013
