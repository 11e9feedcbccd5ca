"""`python -m sandbox` owns its process: once started, the cyclic GC no longer rescans its startup objects
(a full collection over them paused chat turns for 100-250 ms); a sandbox sharing a process does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]

# Start a sandbox as `python -m sandbox` does (or as tests do), report the frozen object count, stop.
SCRIPT = """
import gc, sys, threading, time
import httpx
from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer, bind, uvicorn_config

sock = bind("127.0.0.1", 0)
app = create_app(SandboxConfig(demo_agent=False, chat_bot=True))
server = SandboxServer(
    uvicorn_config(app, "127.0.0.1", sock.getsockname()[1]), app.state.sandbox,
    owns_process=sys.argv[1] == "owns",
)
thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
thread.start()
deadline = time.monotonic() + 60
while not server.started and thread.is_alive() and time.monotonic() < deadline:
    time.sleep(0.01)
# An answered request: the loop has run past startup (which freezes without yielding).
httpx.get(f"http://127.0.0.1:{sock.getsockname()[1]}/sandbox/info", timeout=30).raise_for_status()
print(gc.get_freeze_count(), flush=True)
server.should_exit = True
thread.join(30)
"""


def frozen_after_startup(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[0])


def test_the_sandbox_process_freezes_its_startup_objects() -> None:
    # Given the server of `python -m sandbox` (owning its process) / When it has started
    # Then its startup objects (imports, models, the embedded S3 server, the bot) are frozen
    assert frozen_after_startup("owns") > 50_000


def test_a_sandbox_sharing_its_process_freezes_nothing() -> None:
    # Given a sandbox served from a thread of a process it does not own / Then nothing is frozen
    assert frozen_after_startup("shared") == 0
