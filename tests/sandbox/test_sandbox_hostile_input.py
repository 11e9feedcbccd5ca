"""Audit findings 8 and 9: hostile input is refused cleanly and never breaks the sandbox for others.

Lone surrogates (valid JSON, not UTF-8), deep nesting, wrong-typed WebSocket frames, oversized bodies
and unexpected methods each get the API's own error answer.
"""

from __future__ import annotations

import json

import httpx
import pytest
from sandbox_helpers import WAIT, Socket, accept, agent_api, customer, login_agent
from websockets.exceptions import ConnectionClosed

pytestmark = pytest.mark.sandbox

LONE = '"Ada \\ud800"'  # JSON text of a string with an unpaired surrogate


def post_raw(server, path: str, body: str, method: str = "POST", **headers: str) -> httpx.Response:
    """Send a JSON body given as text (so it can hold what json.dumps would never produce)."""
    return httpx.request(
        method,
        f"{server.url}{path}",
        content=body.encode(),
        headers={"Content-Type": "application/json", **headers},
        timeout=WAIT,
    )


def test_a_lone_surrogate_in_a_message_is_a_validation_error_and_breaks_nothing(server):
    # Given a chat with an agent
    agent_id = login_agent(server)
    started, person = customer(server)
    agent = accept(server, agent_id, started["ContactId"])
    # When the customer sends a message holding a lone surrogate
    answer = post_raw(
        server,
        "/participant/message",
        f'{{"ContentType": "text/plain", "Content": {LONE}}}',
        **{"X-Amz-Bearer": person.connection_token},
    )
    # Then it is a 400 ValidationException, and the transcript and agent list still answer
    assert answer.status_code == 400
    assert answer.headers["x-amzn-errortype"] == "ValidationException"
    assert person.transcript()["Transcript"]
    assert agent.transcript()["Transcript"]
    assert agent_api(server).get("/sandbox/agents").status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        (
            "/connect/contact/chat",
            '{{"InstanceId": "{i}", "ContactFlowId": "{f}", "ParticipantDetails": {{"DisplayName": {n}}}}}',
            "InvalidRequestException",
        ),
        ("/participant/connection", '{{"Type": ["WEBSOCKET"], "X": {n}}}', "ValidationException"),
        ("/participant/event", '{{"ContentType": {n}}}', "ValidationException"),
        ("/participant/start-attachment-upload", '{{"AttachmentName": {n}}}', "ValidationException"),
    ],
    ids=["start-chat-contact", "connection", "event", "attachment"],
)
def test_lone_surrogates_are_refused_at_every_service_boundary(server, path, body, error):
    # Given a participant, and a request body holding a lone surrogate
    _, person = customer(server, socket=False)
    config = server.sandbox.config
    text = body.format(i=config.instance_id, f=config.contact_flow_id, n=LONE)
    token = person.participant_token if path.endswith("connection") else person.connection_token
    # When it is sent
    method = "PUT" if path.startswith("/connect") else "POST"
    answer = post_raw(server, path, text, method, **{"X-Amz-Bearer": token, "Authorization": SIGV4})
    # Then the service's validation error answers
    assert answer.status_code == 400, answer.text
    assert answer.headers["x-amzn-errortype"] == error


def test_a_lone_surrogate_in_an_agent_name_is_refused(server):
    answer = post_raw(server, "/sandbox/agents", f'{{"name": {LONE}}}')
    assert answer.status_code == 400
    assert agent_api(server).get("/sandbox/agents").status_code == 200


def test_a_lone_surrogate_display_name_on_post_chats_is_refused_by_the_lambda(server):
    answer = post_raw(server, "/chats", f'{{"ParticipantDetails": {{"DisplayName": {LONE}}}}}')
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"][0]["field"] == "ParticipantDetails.DisplayName"


SIGV4 = (
    "AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/connect/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)


DEEP = "[" * 100_000 + "]" * 100_000


def close_code(socket: Socket) -> int | None:
    """Read until the server closes the socket; the close code the client received."""
    while True:
        try:
            socket.ws.recv(timeout=WAIT)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/participant/message", 400),
        ("POST", "/participant/transcript", 400),
        ("POST", "/participant/connection", 400),
        ("PUT", "/connect/contact/chat", 400),
        ("POST", "/sandbox/agents", 400),
        ("POST", "/chats", 400),
    ],
)
def test_deeply_nested_json_is_a_400_on_every_route(server, method, path, status):
    # Given a participant, and a body of a hundred thousand nested brackets
    _, person = customer(server, socket=False)
    token = person.participant_token if path.endswith("connection") else person.connection_token
    # When it is sent
    answer = post_raw(server, path, DEEP, method, **{"X-Amz-Bearer": token, "Authorization": SIGV4})
    # Then it is a JSON 400, never a 500 with a traceback
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert "Traceback" not in answer.text


@pytest.mark.parametrize(
    "frame",
    [
        json.dumps({"topic": "aws/subscribe", "content": {"topics": 5}}),
        json.dumps({"topic": "aws/subscribe", "content": "aws/chat"}),
        "[" * 8000,
    ],
    ids=["topics-not-a-list", "content-not-an-object", "deep"],
)
def test_wrong_typed_websocket_frames_get_a_policy_close(server, frame):
    # Given an open socket
    _, person = customer(server, socket=False)
    socket = person.open_socket(subscribe=False)
    # When it sends a frame that is not the protocol
    socket.ws.send(frame)
    # Then the server closes it with 1008 (policy), and the close frame reaches the client
    assert close_code(socket) == 1008


def test_binary_frames_get_a_policy_close_and_huge_text_frames_a_too_big_close(server):
    _, person = customer(server, socket=False)
    person.connect()
    binary = person.open_socket(subscribe=False)
    binary.ws.send(b"\x00\x01")
    assert close_code(binary) == 1008
    person.connect()
    huge = person.open_socket(subscribe=False)
    huge.ws.send(json.dumps({"topic": "aws/heartbeat", "pad": "x" * 20_000}))
    assert close_code(huge) == 1009


def test_a_socket_that_sends_only_garbage_is_closed_with_1008(server):
    _, person = customer(server, socket=False)
    socket = person.open_socket(subscribe=False)
    for _ in range(60):
        socket.ws.send("not json")
    assert close_code(socket) == 1008


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_on_chats_get_the_apis_json_405(server, method):
    answer = httpx.request(method, f"{server.url}/chats", timeout=WAIT)
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
