"""Bot turns in the sandbox: customer message -> the triage bot's reply on the customer's socket.

Starts ``python -m sandbox --chat-bot`` on a free port, then, in rounds, starts 50 chats at once
(StartChatContact: ``POST /chats`` is throttled as the deployed API is), connects every customer,
and has all of them talk to the bot at once, at a person's pace (a reply a second per chat):
each chat picks a topic, says no, picks again and confirms (4 turns, each answered by the bot: the
recognizer, the code hook Lambda in-process, the interactive message pushed). A turn's latency runs
from sending the message to the bot's answer arriving on the socket.

Also times the same turns in-process (recognizer and code hook, no HTTP): the bot's own share.
Prints ``bot_turn p50_ms=... p99_ms=... target_p99_ms<=25`` and ``bot_turn in_process_p99_ms=...``.
Run: ``python -m bench.bot_turn [rounds]``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

from bench.sandbox_load import ROOT, free_port, percentile
from bots import triage
from sandbox.bot_runtime.local_bot import triage_bot_runtime
from sandbox.config import SandboxConfig

CHATS = 50
ROUNDS = 3
TARGET_P99_MS = 25.0
TURNS = (triage.TOPICS[0].value, triage.NO, triage.TOPICS[1].value, triage.YES)
# A person reads the bot's answer before replying: each chat pauses this long between turns, and the
# chats start their turns spread over that pause (50 chats: about 50 turns a second in all).
THINK_SECONDS = 1.0


async def _bot_replies(ws: ClientConnection, replies: asyncio.Queue[float]) -> None:
    """Put the arrival time of each of the bot's messages on ``replies``."""
    async for raw in ws:
        frame = json.loads(raw)
        if frame.get("topic") == "aws/chat":
            item = json.loads(frame["content"])
            if item.get("Type") == "MESSAGE" and item.get("DisplayName") == "BOT":
                replies.put_nowait(time.perf_counter())


class _Starting:
    """Holds every chat until all of them have heard the bot's opening, then lets them talk at once."""

    def __init__(self, count: int) -> None:
        self.waiting = count
        self.go = asyncio.Event()

    async def ready(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.go.set()
        await self.go.wait()


# The sandbox's /connect wants the Authorization header shape every AWS SDK sends (not verified locally).
SIGV4_SHAPED = (
    "AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/connect/aws4_request, "
    "SignedHeaders=host, Signature=0"
)


async def _start_chat(client: httpx.AsyncClient, info: dict[str, Any], index: int) -> dict[str, Any]:
    answer = await client.put(
        "/connect/contact/chat",
        headers={"Authorization": SIGV4_SHAPED},
        json={
            "InstanceId": info["instanceId"],
            "ContactFlowId": info["contactFlowId"],
            "ParticipantDetails": {"DisplayName": f"Bench {index}"},
        },
    )
    answer.raise_for_status()
    started: dict[str, Any] = answer.json()
    return started


async def _converse(
    client: httpx.AsyncClient, chat: dict[str, Any], index: int, starting: _Starting
) -> list[float]:
    answer = await client.post(
        "/participant/connection",
        headers={"X-Amz-Bearer": chat["ParticipantToken"]},
        json={"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"]},
    )
    answer.raise_for_status()
    body = answer.json()
    token = body["ConnectionCredentials"]["ConnectionToken"]
    replies: asyncio.Queue[float] = asyncio.Queue()
    async with ws_connect(body["Websocket"]["Url"], open_timeout=30, ping_interval=None) as ws:
        await ws.send(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
        reader = asyncio.create_task(_bot_replies(ws, replies))
        await asyncio.wait_for(replies.get(), 60)  # the bot's opening list: not a turn
        await starting.ready()
        await asyncio.sleep(THINK_SECONDS * index / CHATS)
        latencies = []
        for text in TURNS:
            sent = time.perf_counter()
            answer = await client.post(
                "/participant/message",
                headers={"X-Amz-Bearer": token},
                json={"ContentType": "text/plain", "Content": text},
            )
            answer.raise_for_status()
            latencies.append((await asyncio.wait_for(replies.get(), 60) - sent) * 1000)
            await asyncio.sleep(THINK_SECONDS)
        reader.cancel()
    return latencies


async def _round(base: str) -> list[float]:
    limits = httpx.Limits(max_connections=CHATS * 2, max_keepalive_connections=CHATS * 2)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        info = (await client.get("/sandbox/info")).json()
        chats = await asyncio.gather(*(_start_chat(client, info, index) for index in range(CHATS)))
        starting = _Starting(CHATS)
        talks = await asyncio.gather(
            *(_converse(client, chat, index, starting) for index, chat in enumerate(chats))
        )
        return [value for latencies in talks for value in latencies]


def in_process_turns(conversations: int = CHATS * ROUNDS) -> list[float]:
    """Milliseconds of each turn through the runtime alone (recognizer, code hook, session state)."""
    runtime = triage_bot_runtime(SandboxConfig())
    latencies = []
    for conversation in range(conversations):
        runtime.recognize_text(str(conversation), triage.TRIAGE_START)
        for text in TURNS:
            began = time.perf_counter()
            runtime.recognize_text(str(conversation), text)
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def main(rounds: int = ROUNDS) -> None:
    """Run the rounds against a fresh sandbox and print the turn latencies."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "sandbox", "--port", str(port), "--chat-bot", "--no-demo-agent"]
    # Every round's chats stay queued (no agent): room for all of them.
    command += ["--max-active-chats", str(CHATS * (rounds + 1) + 10)]
    server = subprocess.Popen(
        [*command, "--log-level", "warning"], cwd=ROOT, stdout=subprocess.DEVNULL, env={**os.environ}
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/sandbox/info", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.1)
        asyncio.run(_round(base))  # warm-up, not counted: first calls, connection pools
        # This client's full collections (every module it imported) would be measured as turn latency:
        # what exists now is kept out of its GC.
        gc.collect()
        gc.freeze()
        latencies = [value for _ in range(rounds) for value in asyncio.run(_round(base))]
    finally:
        server.terminate()
        server.wait(30)
    p99 = percentile(latencies, 0.99)
    print(
        f"bot_turn chats={CHATS} turns={len(latencies)} p50_ms={statistics.median(latencies):.2f} "
        f"p99_ms={p99:.2f} max_ms={max(latencies):.2f} target_p99_ms<={TARGET_P99_MS:.0f} "
        f"{'ok' if p99 <= TARGET_P99_MS else 'ABOVE_TARGET'}"
    )
    own = in_process_turns()
    print(
        f"bot_turn in_process_turns={len(own)} in_process_p50_ms={statistics.median(own):.3f} "
        f"in_process_p99_ms={percentile(own, 0.99):.3f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
