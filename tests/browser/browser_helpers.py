"""Driving the other side of a chat from a browser test: an agent through the sandbox's agent API."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as ws_connect

WIDGET = Path(__file__).resolve().parents[2] / "widget"
WAIT = 10.0  # upper bound for anything asynchronous; tests never sleep for a fixed time
EVENT = "application/vnd.amazonaws.connect.event."


class Agent:
    """An agent logged in through `/sandbox/agents`, who accepts a chat and talks the Participant Service
    protocol with its own ParticipantToken (as the agent console does)."""

    def __init__(self, base_url: str, name: str = "Jane") -> None:
        # Agent API writes are JSON, as the agent API requires.
        self.http = httpx.Client(
            base_url=base_url, timeout=WAIT, headers={"Content-Type": "application/json"}
        )
        self.name = name
        self.agent_id: str = self.http.post("/sandbox/agents", json={"name": name}).json()["agentId"]
        self.connection_token = ""
        self.contact_id = ""
        self.ws: ClientConnection | None = None
        self.items: list[dict[str, Any]] = []

    def accept_next(self) -> str:
        """Wait for an offer, accept it, connect, subscribe; returns the ContactId."""
        deadline = time.monotonic() + WAIT
        while True:
            contacts = self.http.get(f"/sandbox/agents/{self.agent_id}").json()["contacts"]
            offered = [c for c in contacts if c["state"] == "OFFERED"]
            if offered:
                break
            assert time.monotonic() < deadline, f"no chat offered to {self.name}"
            time.sleep(0.02)  # polling interval, not a wait for behaviour
        self.contact_id = offered[0]["contactId"]
        accepted = self.http.post(f"/sandbox/agents/{self.agent_id}/contacts/{self.contact_id}/accept").json()
        connection = self.http.post(
            "/participant/connection",
            headers={"X-Amz-Bearer": accepted["participantToken"]},
            json={"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": True},
        ).json()
        self.connection_token = connection["ConnectionCredentials"]["ConnectionToken"]
        self.ws = ws_connect(
            connection["Websocket"]["Url"], open_timeout=WAIT, close_timeout=2, max_queue=None, legacy=True
        )
        self.ws.send(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
        # Subscribed only once the service says so: a message sent before that would never reach the agent.
        answer = self.next_frame(lambda frame: frame.get("topic") == "aws/subscribe", "subscribe answer")
        assert answer["content"]["status"] == "success", answer
        return self.contact_id

    def call(self, operation: str, body: dict[str, Any]) -> httpx.Response:
        """A Participant Service call with the agent's ConnectionToken."""
        return self.http.post(
            f"/participant/{operation}", headers={"X-Amz-Bearer": self.connection_token}, json=body
        )

    def say(self, text: str, content_type: str = "text/plain") -> str:
        """SendMessage; returns the message Id."""
        body = {"ContentType": content_type, "Content": text, "ClientToken": str(uuid.uuid4())}
        response = self.call("message", body)
        assert response.status_code == 200, response.text
        return str(response.json()["Id"])

    def event(self, content_type: str, content: str | None = None) -> httpx.Response:
        """SendEvent (typing, receipts)."""
        body: dict[str, Any] = {"ContentType": content_type, "ClientToken": str(uuid.uuid4())}
        if content is not None:
            body["Content"] = content
        return self.call("event", body)

    def next_frame(self, match: Any, what: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next socket frame that matches; chat items read on the way are kept in `items`."""
        assert self.ws is not None
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {what}; got {self.items}"
            frame = json.loads(self.ws.recv(timeout=remaining))
            if frame.get("topic") == "aws/chat":
                frame["content"] = json.loads(frame["content"])
                self.items.append(frame["content"])
            if match(frame):
                return dict(frame)

    def wait_for(self, predicate: Any, timeout: float = WAIT) -> dict[str, Any]:
        """The first chat item pushed to the agent (already seen or arriving) that matches."""
        for item in self.items:
            if predicate(item):
                return item
        frame = self.next_frame(
            lambda f: f.get("topic") == "aws/chat" and predicate(f["content"]), "matching item", timeout
        )
        return dict(frame["content"])

    def message_from_customer(self, text: str) -> dict[str, Any]:
        """Wait for the customer's message with this text."""
        return self.wait_for(
            lambda i: (
                i["Type"] == "MESSAGE" and i.get("ParticipantRole") == "CUSTOMER" and i["Content"] == text
            )
        )

    def leave(self) -> None:
        """Leave the contact (the disconnect flow decides what happens next)."""
        self.http.post(f"/sandbox/agents/{self.agent_id}/contacts/{self.contact_id}/leave")

    def close(self) -> None:
        """Close the socket and log out."""
        if self.ws is not None:
            self.ws.close()
        self.http.delete(f"/sandbox/agents/{self.agent_id}")
        self.http.close()


def end_chat(page: Page) -> None:
    """End the chat as a customer does: "End chat" in the header, then "End chat" in the confirmation (the
    header's button is hidden while the question shows, so the same name finds the confirming one)."""
    page.get_by_role("button", name="End chat").click()
    expect(page.get_by_text("End this chat?")).to_be_visible()
    page.get_by_role("button", name="End chat").click()


def tool(name: str) -> str:
    """A Node.js executable; its absence fails the test (it must not silently skip)."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is required for the widget build and its tests (install Node.js 18+)")
    return found


def ensure_node_modules() -> Path:
    """widget/node_modules (esbuild, terser, axe-core), from the lock file with `npm ci` when missing."""
    folder = WIDGET / "node_modules"
    if not all((folder / name).is_dir() for name in ("esbuild", "terser", "axe-core")):
        result = subprocess.run(
            [tool("npm"), "ci", "--no-audit", "--no-fund"],
            cwd=WIDGET,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci in widget/ failed:\n{result.stdout}\n{result.stderr}")
    return folder
