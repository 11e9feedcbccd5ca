"""Memory benchmark: one WebSocket that never reads, under a 40 MB flood of messages to its chat.

Starts `python -m sandbox` (throttling off, so the flood is not simply refused) in a subprocess,
opens one customer socket that subscribes and then never reads, sends 2,500 x 16 KB JSON messages
to the chat, and reports the server's peak memory growth over its resident size before the flood.
Bounded by the socket's byte cap (the socket is dropped, 1013) and the chat's transcript cap.

Run: `.venv/bin/python -m bench.sandbox_flood`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import sys
from pathlib import Path

import httpx

from bench.sandbox_load import free_port, peak_rss_mb, start_sandbox

MESSAGES = 2500
CONTENT = json.dumps({"pad": "x" * (16 * 1024 - 20)})
TARGET_GROWTH_MB = 20.0


def rss_mb(pid: int) -> float:
    """The process's current resident set size (Linux /proc), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak(pid: int) -> None:
    """Reset the process's peak RSS to its current RSS (Linux: 5 > /proc/PID/clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def never_reading_socket(url: str) -> socket.socket:
    """Open the WebSocket by hand, subscribe, and return the raw socket (which nobody reads again)."""
    address, _, target = url.removeprefix("ws://").partition("/")
    host, port = address.split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /{target} HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(4096)
    subscribe = json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}).encode()
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(subscribe))
    sock.sendall(bytes([0x81, 0x80 | len(subscribe)]) + mask + masked)
    return sock


async def flood(base: str, pid: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        started = await client.post(
            "/chats",
            json={
                "ParticipantDetails": {"DisplayName": "Flood"},
                "SupportedMessagingContentTypes": ["text/plain", "application/json"],
            },
        )
        details = started.json()["data"]["startChatResult"]
        connection = (
            await client.post(
                "/participant/connection",
                headers={"X-Amz-Bearer": details["ParticipantToken"]},
                json={"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"]},
            )
        ).json()
        token = connection["ConnectionCredentials"]["ConnectionToken"]
        sock = never_reading_socket(connection["Websocket"]["Url"])
        headers = {"X-Amz-Bearer": token}
        message = {"ContentType": "application/json", "Content": CONTENT}
        await client.post("/participant/message", headers=headers, json=message)  # warm the path
        before = rss_mb(pid)
        reset_peak(pid)
        statuses: dict[int, int] = {}
        semaphore = asyncio.Semaphore(8)

        async def send() -> None:
            async with semaphore:
                answer = await client.post("/participant/message", headers=headers, json=message)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

        await asyncio.gather(*(send() for _ in range(MESSAGES)))
        growth = peak_rss_mb(pid) - before
        sent_mb = MESSAGES * len(CONTENT) / 1024 / 1024
        print(f"flood at one never-reading socket: {MESSAGES} x 16 KB messages ({sent_mb:.0f} MB)")
        print(f"flood answers by status: {dict(sorted(statuses.items()))} (400: the transcript cap)")
        print(f"server memory before the flood MiB: {before:.1f}")
        print(f"peak memory growth under the flood MiB: {growth:.1f} (target <= {TARGET_GROWTH_MB:.0f})")
        sock.close()


def main(argv: list[str] | None = None) -> int:
    """Run the flood and print its figures as plain lines."""
    port = free_port()
    server = start_sandbox(port, ["--no-throttle"])
    if server is None:
        print("the sandbox did not start", file=sys.stderr)
        return 1
    try:
        asyncio.run(flood(f"http://127.0.0.1:{port}", server.pid))
    finally:
        server.terminate()
        server.wait(120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
