"""The participant WebSocket: subscribe, heartbeat, ping, fan-out, two sockets, hostile clients."""

from __future__ import annotations

import json
import socket as net

import pytest
from sandbox_helpers import WAIT, customer
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as ws_connect

pytestmark = pytest.mark.sandbox


def test_subscribe_heartbeat_and_ping(server):
    _, person = customer(server, socket=False)
    sock = person.open_socket(subscribe=False)
    answer = sock.subscribe()
    assert answer == {"topic": "aws/subscribe", "content": {"status": "success", "topics": ["aws/chat"]}}
    sock.ws.send(json.dumps({"topic": "aws/heartbeat"}))
    assert sock.next_frame(lambda f: f.get("topic") == "aws/heartbeat") == {"topic": "aws/heartbeat"}
    sock.ws.send(json.dumps({"topic": "aws/ping"}))
    pong = sock.next_frame(lambda f: f.get("topic") == "aws/ping")
    assert pong == {"topic": "aws/ping", "statusCode": 200, "statusContent": "OK"}


def test_chat_frames_carry_the_item_as_a_json_string(server):
    started, person = customer(server)
    person.send("framed")
    frame = person.sockets[0].next_frame(lambda f: f.get("topic") == "aws/chat" and "framed" in f["content"])
    assert frame["contentType"] == "application/json"
    assert isinstance(frame["content"], str)
    item = json.loads(frame["content"])
    assert item["InitialContactId"] == started["ContactId"]


def test_two_sockets_per_participant_both_receive(server):
    _, person = customer(server)
    person.connect()
    second = person.open_socket()
    person.send("to both")
    person.sockets[0].message("to both")
    second.message("to both")


def test_a_third_socket_retires_the_oldest(server):
    _, person = customer(server)
    person.connect()
    person.open_socket()
    person.connect()
    person.open_socket()
    with pytest.raises(ConnectionClosed):
        person.sockets[0].next_frame(lambda f: False, timeout=WAIT)
    person.send("still two")
    person.sockets[2].message("still two")


def test_unsubscribed_sockets_get_no_items(server):
    _, person = customer(server, socket=False)
    quiet = person.open_socket(subscribe=False)
    person.connect()
    loud = person.open_socket()
    person.send("only subscribed")
    loud.message("only subscribed")
    quiet.ws.send(json.dumps({"topic": "aws/heartbeat"}))
    # Frames arrive in order: the heartbeat answer comes and nothing pushed before it.
    assert quiet.next_frame(lambda f: True) == {"topic": "aws/heartbeat"}


def test_bad_token_is_refused_at_the_handshake(server):
    with pytest.raises(InvalidStatus) as caught:
        ws_connect(f"ws://127.0.0.1:{server.port}/participant/websocket?token=nope", open_timeout=WAIT)
    assert caught.value.response.status_code == 403


def test_malformed_and_unknown_frames_get_errors_and_the_socket_lives(server):
    _, person = customer(server)
    sock = person.sockets[0]
    sock.ws.send("{not json")
    assert sock.next_frame(lambda f: f.get("statusCode") == 400)["topic"] == "aws/error"
    sock.ws.send(json.dumps({"topic": "aws/nonsense"}))
    assert sock.next_frame(lambda f: f.get("statusCode") == 400)["topic"] == "aws/nonsense"
    sock.ws.send(json.dumps(["not", "an", "object"]))
    sock.next_frame(lambda f: f.get("statusCode") == 400)
    sock.ws.send(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/other"]}}))
    failed = sock.next_frame(lambda f: f.get("topic") == "aws/subscribe")
    assert failed["content"]["status"] == "failure"
    person.send("alive")
    sock.message("alive")


def test_oversize_and_binary_frames_drop_only_that_client(server):
    _, person = customer(server)
    _, other = customer(server, name="Bob")
    big = person.sockets[0]
    big.ws.send("x" * (70 * 1024))
    with pytest.raises(ConnectionClosed):
        big.next_frame(lambda f: False, timeout=WAIT)
    person.connect()
    binary = person.open_socket()
    binary.ws.send(b"\x00\x01")
    with pytest.raises(ConnectionClosed):
        binary.next_frame(lambda f: False, timeout=WAIT)
    other.send("others are fine")
    other.sockets[0].message("others are fine")


def test_a_vanished_client_does_not_hurt_others(server):
    _started, person = customer(server, socket=False)
    host, port = "127.0.0.1", server.port
    path = person.websocket_url.split(str(port), 1)[1]
    raw = net.create_connection((host, port), timeout=WAIT)
    raw.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    assert b"101" in raw.recv(1024)
    raw.close()  # gone without a close frame
    person.connect()
    sock = person.open_socket()
    person.send("after a vanished socket")
    sock.message("after a vanished socket")


def test_socket_closes_when_the_chat_ends(server):
    _, person = customer(server)
    person.disconnect()
    sock = person.sockets[0]
    sock.event("chat.ended")
    with pytest.raises(ConnectionClosed):
        sock.next_frame(lambda f: False, timeout=WAIT)
