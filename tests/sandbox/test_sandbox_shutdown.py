"""Audit finding 12: shutdown ends active chats as the service would, and transcripts survive restarts.

SIGTERM (uvicorn's `should_exit`, as `BackgroundServer.stop` sets it) ends every active chat first:
clients see `chat.ended`, and each transcript, with every accepted message, is written to S3. With a
data directory the embedded S3's objects are there again after a restart.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from sandbox_helpers import EVENT, WAIT, Participant, customer, transcript_keys

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.sandbox
START_WAIT = 120.0  # a cold `python -m sandbox` on a busy machine; a bound, not a pace


def transcript(s3_endpoint: str, info: dict[str, Any], contact_id: str) -> dict[str, Any]:
    """The transcript object of a contact."""
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=info["region"],
        aws_access_key_id="sandbox",
        aws_secret_access_key="sandbox",
    )
    [key] = transcript_keys(s3, info["transcriptBucket"], info["transcriptPrefix"], contact_id)
    return dict(json.loads(s3.get_object(Bucket=info["transcriptBucket"], Key=key)["Body"].read()))


def test_stopping_the_server_ends_active_chats_and_writes_their_transcripts(make_server, s3_endpoint):
    # Given two active chats with messages, the customers' sockets open
    server = make_server()
    chats = [customer(server, name) for name in ("Ann", "Bob")]
    sent = {
        started["ContactId"]: [person.send(f"hello from {n}")["Id"] for n in range(3)]
        for started, person in chats
    }
    info = server.run(server.sandbox.info)
    # When the server is asked to stop (what SIGTERM does)
    server.stop()
    # Then each customer saw the chat end
    for _, person in chats:
        assert person.sockets[0].event("chat.ended")
    # And each transcript holds every accepted message, then chat.ended
    for started, _ in chats:
        items = transcript(s3_endpoint, info, started["ContactId"])["Transcript"]
        assert set(sent[started["ContactId"]]) <= {item["Id"] for item in items}
        assert items[-1]["ContentType"] == EVENT + "chat.ended"


def start_sandbox(port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    """`python -m sandbox` on `port` with `data_dir`, once it answers."""
    command = [sys.executable, "-m", "sandbox", "--port", str(port), "--data-dir", str(data_dir)]
    command += ["--no-demo-agent", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, env={**os.environ})
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sandbox/info", timeout=WAIT).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)  # polling interval while the process starts, not a wait for behaviour
    process.kill()
    raise AssertionError("the sandbox did not start")


def stop_sandbox(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully, then re-raises the signal it caught (exit status -SIGTERM).
    assert process.wait(START_WAIT) in {0, -signal.SIGTERM}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sigterm_then_restart_keeps_every_transcript(tmp_path):
    # Given a sandbox with a data directory, and a chat with messages
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_sandbox(port, tmp_path)
    try:
        chat = httpx.post(f"{base}/chats", json={"ParticipantDetails": {"DisplayName": "Ada"}}, timeout=WAIT)
        started = chat.json()["data"]["startChatResult"]
        person = Participant(_Server(base), started["ParticipantToken"])
        person.connect()
        person.open_socket()
        ids = [person.send(f"before the restart {n}")["Id"] for n in range(3)]
    finally:
        # When the sandbox gets SIGTERM mid-chat
        stop_sandbox(process)
    # Then after a restart on the same data directory, the chat's transcript is in its S3
    port = free_port()
    process = start_sandbox(port, tmp_path)
    try:
        info = httpx.get(f"http://127.0.0.1:{port}/sandbox/info", timeout=WAIT).json()
        document = transcript(info["s3Endpoint"], info, started["ContactId"])
        assert set(ids) <= {item["Id"] for item in document["Transcript"]}
        assert document["Transcript"][-1]["ContentType"] == EVENT + "chat.ended"
    finally:
        stop_sandbox(process)


class _Server:
    """What the helpers' Participant needs of a server: its URL."""

    def __init__(self, url: str) -> None:
        self.url = url
