"""Serving the sandbox with uvicorn: foreground (`python -m sandbox`) or a thread (tests, bench)."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, TypeVar

import uvicorn
from starlette.applications import Starlette

from sandbox.app import Sandbox, create_app
from sandbox.clock import Clock
from sandbox.config import SandboxConfig
from sandbox.web import log_redaction

T = TypeVar("T")

# Client frames are tiny (subscribe, heartbeat); anything near this size is hostile.
WS_MAX_FRAME_BYTES = 64 * 1024


# A full collection after this many gen1 collections (Python's default: 10), when the long-lived objects
# have also grown by a quarter since the last one. Each full collection rescans every chat's objects
# (~170 per connected socket: 1,000 chats are 170k objects, a 50-150 ms pause); at the default, chats
# arriving at a few hundred a second cause several a second.
FULL_COLLECTION_EVERY = 100


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP,
    # and without it keep-alive responses stall ~40 ms on Nagle + delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: Starlette, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    """The server settings the sandbox runs with (and the log filters that keep tokens out of logs)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        ws="websockets-sansio",
        ws_max_size=WS_MAX_FRAME_BYTES,
        ws_per_message_deflate=False,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        lifespan="on",
        access_log=False,
        backlog=2048,
        timeout_keep_alive=30,
    )
    # uvicorn.Config has just applied its logging config; the filters go on the loggers it set up.
    log_redaction.install()
    return config


class SandboxServer(uvicorn.Server):
    """uvicorn's server, ending the sandbox's active chats and event streams as it shuts down.

    uvicorn closes WebSockets (1012) before the app's lifespan shutdown runs; ending the chats first
    lets clients see `chat.ended` and the transcripts hold the whole chat. It also waits for every
    response in progress, and an event stream never finishes by itself.
    """

    def __init__(self, config: uvicorn.Config, sandbox: Sandbox, *, owns_process: bool = False) -> None:
        """``owns_process``: the server is the whole process (`python -m sandbox`), see :meth:`startup`."""
        super().__init__(config)
        self.sandbox = sandbox
        self.owns_process = owns_process

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's startup (the app's lifespan first); then, owning the process, freeze what it made.

        After startup the process holds ~150k objects that live as long as it does (modules, botocore
        models, the embedded S3 server, the bot): every full collection would rescan them, a pause of
        100-250 ms in the middle of a chat turn. Frozen, the cyclic GC never looks at them again (they are
        still freed by reference counting); the collection first keeps garbage out of the frozen set. Not
        in a shared process (tests start many sandboxes): freezing would keep their garbage forever.
        """
        await super().startup(sockets)
        if self.owns_process:
            gc.collect()
            gc.freeze()
            gen0, gen1, _ = gc.get_threshold()
            gc.set_threshold(gen0, gen1, FULL_COLLECTION_EVERY)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """End the chats, then uvicorn's own shutdown (connections, then the app's lifespan)."""
        if self.sandbox.loop is not None:
            await self.sandbox.end_active_chats()
        self.sandbox.end_streams()
        await super().shutdown(sockets)


async def _as_coroutine(fn: Callable[[], Awaitable[T]]) -> T:
    return await fn()


class BackgroundServer:
    """A sandbox app served on a loopback socket from a daemon thread."""

    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        self.app = app
        self.sock = sock
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        self.port = port
        self.server = SandboxServer(uvicorn_config(app, host, port), app.state.sandbox)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)

    @property
    def sandbox(self) -> Sandbox:
        """The app's components."""
        sandbox: Sandbox = self.app.state.sandbox
        return sandbox

    def start(self, timeout: float = 30.0) -> BackgroundServer:
        """Start and wait until the server accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        return self

    def run(self, fn: Callable[[], T], timeout: float = 30.0) -> T:
        """Run a plain function on the server's event loop and return its result."""

        async def call() -> T:
            return fn()

        return self.run_async(call, timeout)

    def run_async(self, fn: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
        """Run a coroutine function on the server's event loop and return its result."""
        loop = self.sandbox.loop
        assert loop is not None, "server not started"
        future: Future[T] = asyncio.run_coroutine_threadsafe(_as_coroutine(fn), loop)
        return future.result(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Shut down as on SIGTERM: active chats end, their transcripts are written, then it stops."""
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()


def start_in_background(
    config: SandboxConfig | None = None, clock: Clock | None = None, **overrides: Any
) -> BackgroundServer:
    """A sandbox on a free 127.0.0.1 port in a background thread, started (tests and benchmarks)."""
    sock = bind("127.0.0.1", 0)
    settings = replace(config or SandboxConfig(), port=sock.getsockname()[1], **overrides)
    return BackgroundServer(create_app(settings, clock=clock), sock).start()
