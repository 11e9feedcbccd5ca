"""The sandbox's start-chat API signs continuations and, with startChatAuth=jwt, wants a start token."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_helpers import advance, connect_client, wait_until

from sandbox.__main__ import build_config, parse_args
from sandbox.config import ConfigError, SandboxConfig
from sandbox.sign_token import load_or_create_secret, sign_start_token

pytestmark = pytest.mark.sandbox

REPO = Path(__file__).resolve().parents[2]


def post_chat(server: Any, headers: dict[str, str] | None = None, **extra: Any) -> httpx.Response:
    request = {"ParticipantDetails": {"DisplayName": "Ann"}, **extra}
    return httpx.post(f"{server.url}/chats", json=request, headers=headers or {}, timeout=30)


def end_chat(server: Any, contact_id: str) -> None:
    connect_client(server).stop_contact(ContactId=contact_id, InstanceId=server.sandbox.config.instance_id)
    wait_until(lambda: server.sandbox.store.contacts[contact_id].ended)


def continuing(source: str, token: str | None) -> dict[str, Any]:
    persistent = {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": source}
    return {"PersistentChat": {**persistent, **({"ContinuationToken": token} if token else {})}}


def test_a_chat_continues_only_with_its_unexpired_token(make_server: Any, manual_clock: Any) -> None:
    # Given two ended chats in a sandbox on the manual clock
    server = make_server(clock=manual_clock)
    mine, theirs = (post_chat(server).json()["data"] for _ in range(2))
    for data in (mine, theirs):
        end_chat(server, data["startChatResult"]["ContactId"])
    my_id, their_id = mine["startChatResult"]["ContactId"], theirs["startChatResult"]["ContactId"]
    token = mine["continuation"]["token"]

    # When someone continues a chat without a token, or with the token of another chat
    bare = post_chat(server, **continuing(their_id, None))
    borrowed = post_chat(server, **continuing(their_id, token))
    # Then both are refused with a clear code
    assert (bare.status_code, bare.json()["error"]["code"]) == (403, "CONTINUATION_TOKEN_REQUIRED")
    assert (borrowed.status_code, borrowed.json()["error"]["code"]) == (403, "CONTINUATION_TOKEN_INVALID")

    # When the owner continues it with its token
    continued = post_chat(server, **continuing(my_id, token))
    # Then it continues, with a token of its own
    assert continued.status_code == 200, continued.text
    assert continued.json()["data"]["startChatResult"]["ContinuedFromContactId"] == my_id
    assert continued.json()["data"]["continuation"]["token"] != token

    # When the window (48 hours by default) has passed on the sandbox's clock
    advance(server, manual_clock, 48 * 3600)
    late = post_chat(server, **continuing(my_id, token))
    # Then the token no longer works
    assert (late.status_code, late.json()["error"]["code"]) == (403, "CONTINUATION_TOKEN_EXPIRED")


def test_each_sandbox_signs_with_its_own_key(make_server: Any) -> None:
    first, second = make_server(), make_server()
    data = post_chat(first).json()["data"]
    end_chat(first, data["startChatResult"]["ContactId"])
    foreign = post_chat(
        second, **continuing(data["startChatResult"]["ContactId"], data["continuation"]["token"])
    )
    assert foreign.json()["error"]["code"] == "CONTINUATION_TOKEN_INVALID"


def test_jwt_mode_needs_a_token_signed_with_the_sandbox_secret(make_server: Any, tmp_path: Path) -> None:
    # Given a sandbox in jwt mode with its secret in a file, and a token signed by the CLI
    secret_file = tmp_path / "start-token-secret"
    server = make_server(
        start_chat_auth="jwt", start_token_secret_file=secret_file, allowed_attributes=("tier",)
    )
    cli = subprocess.run(
        [sys.executable, "-m", "sandbox.sign_token", "customer-42", "--secret-file", str(secret_file),
         "--attributes", '{"tier": "gold", "vip": "yes"}'],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    token = cli.stdout.strip()

    # When a chat is started without a token, with a foreign one, and with the CLI's
    missing = post_chat(server)
    foreign = post_chat(server, {"Authorization": f"Bearer {sign_start_token(b'x' * 32, 'customer-42')}"})
    expired = post_chat(
        server,
        {
            "Authorization": "Bearer "
            + sign_start_token(load_or_create_secret(secret_file), "c", now=1_000_000)
        },
    )
    started = post_chat(
        server, {"Authorization": f"Bearer {token}"}, Attributes={"customerId": "spoofed", "tier": "bronze"}
    )

    # Then 401s with clear codes, and the signed start carries the customer id and the token's attributes
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "AUTH_TOKEN_REQUIRED")
    assert foreign.json()["error"]["code"] == "AUTH_TOKEN_INVALID"
    assert expired.json()["error"]["code"] == "AUTH_TOKEN_EXPIRED"
    assert started.status_code == 200, started.text
    contact = server.sandbox.store.contacts[started.json()["data"]["startChatResult"]["ContactId"]]
    assert contact.attributes == {"customerId": "customer-42", "tier": "gold"}


def test_the_secret_file_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "secret"
    first = load_or_create_secret(path)
    assert load_or_create_secret(path) == first
    assert len(first) >= 32
    assert path.stat().st_mode & 0o777 == 0o600


def test_auth_and_window_come_from_the_config_file_and_flags(tmp_path: Path) -> None:
    # Given a cdk.json with the deployment's keys
    cdk_json = tmp_path / "cdk.json"
    cdk_json.write_text('{"context": {"startChatAuth": "none", "continuationWindowHours": 6}}')
    # When the sandbox reads it, with and without the flag
    from_file = build_config(parse_args(["--config", str(cdk_json)]))
    flagged = build_config(parse_args(["--config", str(cdk_json), "--start-chat-auth", "jwt"]))
    # Then the file's window applies, and the flag wins over the file
    assert (from_file.start_chat_auth, from_file.continuation_window_hours) == ("none", 6)
    assert flagged.start_chat_auth == "jwt"
    with pytest.raises(ConfigError, match="startChatAuth"):
        SandboxConfig(start_chat_auth="cookie")
