"""Load benchmark of the local sandbox over real HTTP and WebSockets (loopback only).

Starts `python -m sandbox` in a subprocess on a free port, then:
1. starts N chats through `POST /chats` (the full start-chat Lambda path) and reports starts/s;
2. connects every customer (CreateParticipantConnection + subscribed WebSocket) and holds them;
3. sends messages at a fixed rate to random chats and measures SendMessage-to-push delivery
   latency on the customer's socket (p50/p99);
4. reports the server's peak resident memory.

Run: `.venv/bin/python -m bench.sandbox_load` (defaults: 1000 chats, 200 msg/s for 10 s).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (Linux /proc), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_sandbox(port: int, extra: list[str]) -> subprocess.Popen[bytes] | None:
    """`python -m sandbox` on `port` (no demo agent, nothing kept on disk), once it answers; None if not."""
    command = [sys.executable, "-m", "sandbox", "--port", str(port), "--no-demo-agent", "--no-data-dir"]
    command += ["--log-level", "warning", *extra]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, env={**os.environ})
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sandbox/info", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            return None
        time.sleep(0.1)


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0..1) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Chat:
    """One customer: credentials, socket and the messages it waits for."""

    def __init__(self, details: dict[str, Any]) -> None:
        self.details = details
        self.connection_token = ""
        self.ws: ClientConnection | None = None
        self.pending: dict[str, float] = {}
        self.latencies: list[float] = []
        self.reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.ws is not None
        async for raw in self.ws:
            frame = json.loads(raw)
            if frame.get("topic") != "aws/chat":
                continue
            item = json.loads(frame["content"])
            sent_at = self.pending.pop(item.get("Content", ""), None)
            if sent_at is not None:
                self.latencies.append((time.perf_counter() - sent_at) * 1000)


async def start_chats(client: httpx.AsyncClient, count: int, concurrency: int) -> list[dict[str, Any]]:
    """Start `count` chats through POST /chats, `concurrency` at a time."""
    semaphore = asyncio.Semaphore(concurrency)

    async def one(index: int) -> dict[str, Any]:
        async with semaphore:
            answer = await client.post(
                "/chats", json={"ParticipantDetails": {"DisplayName": f"Load {index}"}}
            )
            answer.raise_for_status()
            result: dict[str, Any] = answer.json()["data"]["startChatResult"]
            return result

    return await asyncio.gather(*(one(i) for i in range(count)))


async def connect_chat(client: httpx.AsyncClient, chat: Chat, semaphore: asyncio.Semaphore) -> None:
    """CreateParticipantConnection, open and subscribe the socket."""
    async with semaphore:
        answer = await client.post(
            "/participant/connection",
            headers={"X-Amz-Bearer": chat.details["ParticipantToken"]},
            json={"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"]},
        )
        answer.raise_for_status()
        body = answer.json()
        chat.connection_token = body["ConnectionCredentials"]["ConnectionToken"]
        chat.ws = await ws_connect(body["Websocket"]["Url"], open_timeout=30, ping_interval=None)
        await chat.ws.send(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
        while True:
            frame = json.loads(await chat.ws.recv())
            if frame.get("topic") == "aws/subscribe":
                break
        chat.reader = asyncio.create_task(chat.read())


async def send_at_rate(client: httpx.AsyncClient, chats: list[Chat], rate: float, seconds: float) -> int:
    """Send `rate` messages per second for `seconds` to random chats; returns how many were sent.

    Open loop: message i is due at start + i/rate and its latency counts from that due time, so a
    stalled sender shows up as latency instead of silently lowering the rate. A fixed pool of
    workers sends (unbounded tasks would queue inside the HTTP client's connection pool).
    """
    total = int(rate * seconds)
    start = time.perf_counter() + 0.1
    schedule: asyncio.Queue[tuple[float, Chat, str] | None] = asyncio.Queue()
    for index in range(total):
        schedule.put_nowait((start + index / rate, random.choice(chats), f"load message {index}"))

    async def worker() -> None:
        while True:
            job = await schedule.get()
            if job is None:
                return
            due, chat, text = job
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            chat.pending[text] = due
            answer = await client.post(
                "/participant/message",
                headers={"X-Amz-Bearer": chat.connection_token},
                json={"ContentType": "text/plain", "Content": text},
            )
            answer.raise_for_status()

    workers = 16
    for _ in range(workers):
        schedule.put_nowait(None)
    await asyncio.gather(*(worker() for _ in range(workers)))
    return total


async def run(args: argparse.Namespace, base: str, pid: int) -> None:
    limits = httpx.Limits(
        max_connections=args.concurrency * 2, max_keepalive_connections=args.concurrency * 2
    )
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        # One start first, not counted: the function's cold start (bench/cold_start.py measures it).
        await start_chats(client, 1, 1)
        began = time.perf_counter()
        started = await start_chats(client, args.chats, args.concurrency)
        elapsed = time.perf_counter() - began
        print(f"chat starts via POST /chats (Lambda handler path): {len(started)} in {elapsed:.2f} s")
        print(f"chat starts per second: {len(started) / elapsed:.1f}")

        chats = [Chat(details) for details in started]
        began = time.perf_counter()
        semaphore = asyncio.Semaphore(args.concurrency)
        await asyncio.gather(*(connect_chat(client, chat, semaphore) for chat in chats))
        info = (await client.get("/sandbox/info")).json()
        print(f"concurrent chats held (connected, subscribed sockets): {len(chats)}")
        print(f"connect+subscribe time for all chats: {time.perf_counter() - began:.2f} s")
        print(f"server active chats: {info['activeChats']}")

        # The client's own full collections (its 1,000 sockets and chats) would be measured as the
        # server's latency: what exists now is kept out of its GC for the rate phase.
        gc.collect()
        gc.freeze()
        # A small, warm pool for the rate phase: opening connections mid-run would be measured as latency.
        small = httpx.Limits(max_connections=16, max_keepalive_connections=16)
        async with httpx.AsyncClient(base_url=base, limits=small, timeout=60) as sender:
            await asyncio.gather(*(sender.get("/sandbox/info") for _ in range(16)))
            sent = await send_at_rate(sender, chats, args.rate, args.seconds)
        # Bounded wait for the last pushes: the readers fill `latencies` as frames arrive.
        for _ in range(200):
            if not any(chat.pending for chat in chats):
                break
            await asyncio.sleep(0.05)
        latencies = [value for chat in chats for value in chat.latencies]
        missing = sum(len(chat.pending) for chat in chats)
        print(
            f"messages sent at {args.rate:.0f}/s for {args.seconds:.0f} s: {sent}, "
            f"delivered: {len(latencies)}"
        )
        print(f"undelivered messages: {missing}")
        if latencies:
            print(f"delivery latency p50 ms: {statistics.median(latencies):.2f}")
            print(f"delivery latency p99 ms: {percentile(latencies, 0.99):.2f}")
            print(f"delivery latency max ms: {max(latencies):.2f}")
        print(f"server peak memory MiB: {peak_rss_mb(pid):.1f}")
        for chat in chats:
            if chat.reader is not None:
                chat.reader.cancel()
            if chat.ws is not None:
                await chat.ws.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures as plain lines."""
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_load", description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000, help="concurrent chats to start and hold")
    parser.add_argument("--rate", type=float, default=200.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to send messages")
    # 16: the server is saturated (one core, its GIL) and the client is not. At 32, httpx's connection
    # pool costs this client ~3.7 ms of CPU per request instead of ~1.7: on two cores the benchmark
    # then measured its own client (about 240 starts/s where the server does 400).
    parser.add_argument("--concurrency", type=int, default=16, help="parallel HTTP requests")
    args = parser.parse_args(argv)
    args.chats = max(1, min(args.chats, 5000))
    args.seconds = max(1.0, min(args.seconds, 60.0))
    args.rate = max(1.0, min(args.rate, 2000.0))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_sandbox(port, ["--max-active-chats", str(args.chats + 11)])
    if server is None:
        print("the sandbox did not start", file=sys.stderr)
        return 1
    try:
        print(f"sandbox load benchmark: {args.chats} chats, {args.rate:.0f} msg/s for {args.seconds:.0f} s")
        asyncio.run(run(args, base, server.pid))
    finally:
        # SIGTERM: the sandbox ends the held chats and writes their transcripts before it exits.
        server.terminate()
        server.wait(300)
    return 0


if __name__ == "__main__":
    sys.exit(main())
