"""A customer driven over HTTP, for the agent workspace's tests and benchmarks: starts a chat through
the sandbox's start-chat API (the real Lambda), connects with its ParticipantToken and talks the
Participant Service protocol (REST, with a subscribed WebSocket as the widget keeps one)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as ws_connect

WAIT = 10.0  # upper bound for one request or for the socket to subscribe
EVENT = "application/vnd.amazonaws.connect.event."


class Customer:
    """One customer's chat: `contact_id`, and calls with its ConnectionToken."""

    def __init__(self, base_url: str, name: str = "Ann", attributes: dict[str, str] | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=WAIT)
        body = {
            "ParticipantDetails": {"DisplayName": name},
            "Attributes": {"customerName": name, **(attributes or {})},
        }
        started = self.http.post("/chats", json=body)
        assert started.status_code == 200, started.text
        result = started.json()["data"]["startChatResult"]
        self.contact_id: str = result["ContactId"]
        connection = self.http.post(
            "/participant/connection",
            headers={"X-Amz-Bearer": result["ParticipantToken"]},
            json={"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": True},
        ).json()
        self.connection_token: str = connection["ConnectionCredentials"]["ConnectionToken"]
        self.ws: ClientConnection = ws_connect(
            connection["Websocket"]["Url"], open_timeout=WAIT, close_timeout=2, max_queue=None, legacy=True
        )
        self.ws.send(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
        while json.loads(self.ws.recv(timeout=WAIT)).get("topic") != "aws/subscribe":
            pass

    def call(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """A Participant Service call with the customer's ConnectionToken; asserts it succeeded."""
        answer = self.http.post(
            f"/participant/{operation}", headers={"X-Amz-Bearer": self.connection_token}, json=body
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json()) if answer.content else {}

    def say(self, text: str, content_type: str = "text/plain") -> str:
        """SendMessage; returns the message Id."""
        body = {"ContentType": content_type, "Content": text, "ClientToken": str(uuid.uuid4())}
        return str(self.call("message", body)["Id"])

    def event(self, kind: str, content: str | None = None) -> None:
        """SendEvent of a Connect event (`typing`, `message.read`, ...)."""
        body: dict[str, Any] = {"ContentType": EVENT + kind, "ClientToken": str(uuid.uuid4())}
        if content is not None:
            body["Content"] = content
        self.call("event", body)

    def attach(self, name: str, data: bytes, content_type: str = "text/plain") -> None:
        """Upload an attachment: start, PUT the bytes, complete."""
        start = self.call(
            "start-attachment-upload",
            {
                "ContentType": content_type,
                "AttachmentSizeInBytes": len(data),
                "AttachmentName": name,
                "ClientToken": str(uuid.uuid4()),
            },
        )
        upload = start["UploadMetadata"]
        put = httpx.put(
            upload["Url"], headers=upload.get("HeadersToInclude") or {}, content=data, timeout=WAIT
        )
        assert put.status_code in (200, 204), put.text
        self.call(
            "complete-attachment-upload",
            {"AttachmentIds": [start["AttachmentId"]], "ClientToken": str(uuid.uuid4())},
        )

    def wait_for(self, match: Any, timeout: float = WAIT) -> dict[str, Any]:
        """The next chat item pushed to the customer's socket that matches."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no matching chat item"
            frame = json.loads(self.ws.recv(timeout=remaining))
            if frame.get("topic") == "aws/chat" and match(item := json.loads(frame["content"])):
                return dict(item)

    def transcript(self) -> list[dict[str, Any]]:
        """The most recent transcript page (ascending)."""
        body = {"MaxResults": 100, "ScanDirection": "BACKWARD", "SortOrder": "ASCENDING"}
        return list(self.call("transcript", body)["Transcript"])

    def leave(self) -> None:
        """DisconnectParticipant: the customer ends the chat."""
        self.call("disconnect", {"ClientToken": str(uuid.uuid4())})

    def close(self) -> None:
        """Close the socket and the HTTP client."""
        self.ws.close()
        self.http.close()
