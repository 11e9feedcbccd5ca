"""The official amazon-connect-chatjs 5.0.0 client, unmodified, in Node against the sandbox."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from sandbox.config import DEFAULT_GREETING

pytestmark = pytest.mark.sandbox

CHATJS_DIR = Path(__file__).parent / "chatjs"


@pytest.fixture(scope="session")
def chatjs() -> Path:
    """The ChatJS test folder with node_modules installed (`npm ci` when missing)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("Node.js and npm are required for the ChatJS tests (apt-get install nodejs npm)")
    if not (CHATJS_DIR / "node_modules" / "amazon-connect-chatjs").is_dir():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=CHATJS_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"npm ci failed in {CHATJS_DIR}:\n{done.stdout}\n{done.stderr}")
    return CHATJS_DIR


def test_chatjs_customer_full_conversation(chatjs, server):
    # Given a chat started through the start-chat API, as the widget does
    started = httpx.post(
        f"{server.url}/chats", json={"ParticipantDetails": {"DisplayName": "ChatJS customer"}}, timeout=30
    )
    assert started.status_code == 200, started.text
    details = started.json()["data"]["startChatResult"]
    # When ChatJS connects, talks to an agent, loads the transcript and disconnects
    done = subprocess.run(
        ["node", "customer_scenario.js", server.url, server.sandbox.config.region, json.dumps(details)],
        cwd=chatjs,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    # Then every step succeeded
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["greeting"] == DEFAULT_GREETING
    assert "hello from chatjs" in summary["transcript"]
    assert "hi from the agent" in summary["transcript"]
    assert summary["customerReceiptFrom"] == details["ParticipantId"]
    assert summary["ended"] is True
