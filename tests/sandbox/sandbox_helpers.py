"""Test helpers: start chats with boto3, open participant WebSockets, wait for pushed items."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import boto3
import httpx
from botocore.config import Config
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as ws_connect

from sandbox.clock import ManualClock
from sandbox.server import BackgroundServer

WAIT = 10.0  # upper bound for asynchronous arrival; tests never sleep for time-dependent behaviour
EVENT = "application/vnd.amazonaws.connect.event."
CLIENT_CONFIG = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=15)


def connect_client(server: BackgroundServer) -> Any:
    """boto3 `connect` pointed at the sandbox's Connect API."""
    return boto3.client("connect", endpoint_url=f"{server.url}/connect", config=CLIENT_CONFIG)


def participant_client(server: BackgroundServer) -> Any:
    """boto3 `connectparticipant` pointed at the sandbox."""
    return boto3.client("connectparticipant", endpoint_url=server.url, config=CLIENT_CONFIG)


def start_chat(server: BackgroundServer, name: str = "Ann", **extra: Any) -> dict[str, Any]:
    """StartChatContact through boto3 with the sandbox's instance and flow."""
    sandbox = server.sandbox
    return connect_client(server).start_chat_contact(
        InstanceId=sandbox.config.instance_id,
        ContactFlowId=sandbox.config.contact_flow_id,
        ParticipantDetails={"DisplayName": name},
        **extra,
    )


@dataclass
class Socket:
    """A participant WebSocket that collects pushed chat items."""

    ws: ClientConnection
    frames: list[dict[str, Any]] = field(default_factory=list)

    def subscribe(self) -> dict[str, Any]:
        """Send aws/subscribe and return the answer."""
        self.ws.send(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
        return self.next_frame(lambda f: f.get("topic") == "aws/subscribe")

    def next_frame(self, match: Any, timeout: float = WAIT) -> dict[str, Any]:
        """The first frame (already received or arriving within `timeout`) matching `match`."""
        for frame in self.frames:
            if match(frame):
                self.frames.remove(frame)
                return frame
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching frame within {timeout}s; got {self.frames}")
            frame = json.loads(self.ws.recv(timeout=remaining))
            if match(frame):
                return frame
            self.frames.append(frame)

    def item(self, match: Any, timeout: float = WAIT) -> dict[str, Any]:
        """The next pushed chat item matching `match` (content decoded)."""
        frame = self.next_frame(
            lambda f: f.get("topic") == "aws/chat" and match(json.loads(f["content"])), timeout
        )
        return json.loads(frame["content"])

    def message(self, text: str | None = None, role: str | None = None) -> dict[str, Any]:
        """The next MESSAGE item (with that text / from that role)."""
        return self.item(
            lambda i: (
                i["Type"] == "MESSAGE"
                and (text is None or i.get("Content") == text)
                and (role is None or i.get("ParticipantRole") == role)
            )
        )

    def event(self, kind: str) -> dict[str, Any]:
        """The next item whose ContentType is the named Connect event (`participant.joined`, ...)."""
        return self.item(lambda i: i["ContentType"] == EVENT + kind)

    def joined(self, role: str) -> dict[str, Any]:
        """The next participant.joined event of a participant with that role."""
        return self.item(
            lambda i: i["ContentType"] == EVENT + "participant.joined" and i.get("ParticipantRole") == role
        )

    def close(self) -> None:
        """Close the socket."""
        self.ws.close()


@dataclass
class Participant:
    """A participant's credentials and boto3 client."""

    server: BackgroundServer
    participant_token: str
    connection_token: str = ""
    websocket_url: str = ""
    client: Any = None
    sockets: list[Socket] = field(default_factory=list)

    def connect(self, types: tuple[str, ...] = ("WEBSOCKET", "CONNECTION_CREDENTIALS")) -> dict[str, Any]:
        """CreateParticipantConnection."""
        self.client = self.client or participant_client(self.server)
        answer = self.client.create_participant_connection(
            Type=list(types), ParticipantToken=self.participant_token
        )
        if "ConnectionCredentials" in answer:
            self.connection_token = answer["ConnectionCredentials"]["ConnectionToken"]
        if "Websocket" in answer:
            self.websocket_url = answer["Websocket"]["Url"]
        return answer

    def open_socket(self, subscribe: bool = True) -> Socket:
        """Open (and subscribe) a WebSocket on the URL from the last connection."""
        socket = Socket(ws_connect(self.websocket_url, open_timeout=WAIT, max_size=2**22, legacy=True))
        self.sockets.append(socket)
        if subscribe:
            socket.subscribe()
        return socket

    def send(self, text: str, content_type: str = "text/plain") -> dict[str, Any]:
        """SendMessage."""
        return self.client.send_message(
            ContentType=content_type, Content=text, ConnectionToken=self.connection_token
        )

    def send_event(self, content_type: str, content: str | None = None) -> dict[str, Any]:
        """SendEvent."""
        extra = {"Content": content} if content is not None else {}
        return self.client.send_event(
            ContentType=content_type, ConnectionToken=self.connection_token, **extra
        )

    def transcript(self, **kwargs: Any) -> dict[str, Any]:
        """GetTranscript."""
        return self.client.get_transcript(ConnectionToken=self.connection_token, **kwargs)

    def disconnect(self) -> None:
        """DisconnectParticipant."""
        self.client.disconnect_participant(ConnectionToken=self.connection_token)

    def close(self) -> None:
        """Close every socket."""
        for socket in self.sockets:
            socket.close()


def customer(
    server: BackgroundServer, name: str = "Ann", socket: bool = True, **extra: Any
) -> tuple[dict, Participant]:
    """Start a chat and connect its customer (with a subscribed socket unless `socket=False`)."""
    started = start_chat(server, name, **extra)
    person = Participant(server, started["ParticipantToken"])
    person.connect()
    if socket:
        person.open_socket()
    return started, person


def agent_api(server: BackgroundServer) -> httpx.Client:
    """An HTTP client for /sandbox/agents (writes are JSON, as the agent API requires)."""
    return httpx.Client(base_url=server.url, timeout=WAIT, headers={"Content-Type": "application/json"})


def login_agent(server: BackgroundServer, name: str = "Alex", concurrency: int = 2) -> str:
    """Log an agent in (Available) and return its id."""
    answer = agent_api(server).post("/sandbox/agents", json={"name": name, "concurrency": concurrency})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["agentId"])


def agent_state(server: BackgroundServer, agent_id: str) -> dict[str, Any]:
    """GET /sandbox/agents/{id}."""
    return dict(agent_api(server).get(f"/sandbox/agents/{agent_id}").json())


def accept(server: BackgroundServer, agent_id: str, contact_id: str) -> Participant:
    """Accept an offer and connect the agent as a participant with a subscribed socket."""
    answer = agent_api(server).post(f"/sandbox/agents/{agent_id}/contacts/{contact_id}/accept")
    assert answer.status_code == 200, answer.text
    person = Participant(server, answer.json()["participantToken"])
    person.connect()
    person.open_socket()
    return person


def advance(server: BackgroundServer, clock: ManualClock, seconds: float) -> None:
    """Move the manual clock on the server's loop (timers fire there)."""
    server.run(lambda: clock.advance(seconds))


def contact_state(server: BackgroundServer, contact_id: str) -> str:
    """The sandbox's state of a contact."""
    return server.run(lambda: server.sandbox.store.contacts[contact_id].state.value)


class AgentStream:
    """An open `GET /sandbox/agents/{id}/events` stream, read one server-sent event at a time."""

    def __init__(
        self, server: BackgroundServer, agent_id: str, headers: dict[str, str] | None = None
    ) -> None:
        self.client = httpx.Client(base_url=server.url, timeout=WAIT)
        self._stream = self.client.stream("GET", f"/sandbox/agents/{agent_id}/events", headers=headers)
        self.response = self._stream.__enter__()
        self._lines = self.response.iter_lines()

    def next_event(self) -> tuple[str, dict[str, Any]]:
        """The next event's name and decoded data (comment lines, the keep-alives, are skipped)."""
        name, data = "message", ""
        for line in self._lines:
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif not line and data:
                return name, json.loads(data)
        raise AssertionError("the event stream ended")

    def until(self, match: Any) -> dict[str, Any]:
        """The first `agent` snapshot from now on for which `match` is true."""
        while True:
            name, snapshot = self.next_event()
            if name == "agent" and match(snapshot):
                return snapshot

    def close(self) -> None:
        """Close the stream and its client."""
        self._stream.__exit__(None, None, None)
        self.client.close()


def move_clock(server: BackgroundServer, seconds: float) -> httpx.Response:
    """POST /sandbox/clock, as a page of the sandbox would."""
    return agent_api(server).post("/sandbox/clock", json={"advanceSeconds": seconds})


def states(snapshot: dict[str, Any]) -> dict[str, str]:
    """Contact id -> slot state in an agent snapshot."""
    return {contact["contactId"]: contact["state"] for contact in snapshot["contacts"]}


def wait_until(condition: Any, timeout: float = WAIT) -> None:
    """Wait for something another thread does (a server noticing a disconnect), up to `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(0.01)


def transcript_keys(s3: Any, bucket: str, prefix: str, contact_id: str) -> list[str]:
    """The keys of a contact's transcript objects, however many objects the (shared) bucket holds."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for page in pages for o in page.get("Contents", []) if contact_id in o["Key"]]
