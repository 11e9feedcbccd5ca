"""Time from clicking "Start chat" to the flow's greeting on screen, in headless Chromium against the
sandbox (the real start-chat Lambda in-process, CreateParticipantConnection, WebSocket subscribe,
GetTranscript). Measured inside the page (click to the greeting's node in the widget's shadow DOM), a
fresh browser context per run; the median is reported (target <= 300 ms).

Prints ``widget_start median_ms=... p90_ms=... runs=... target_ms=300 ok=...``.
Run: ``python -m bench.widget_start [runs]`` (needs Playwright for Python and /usr/bin/chromium).
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.server import BackgroundServer, bind

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
TARGET_MS = 300
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Clicks Start and resolves with the milliseconds until the greeting (a SYSTEM message) is in the DOM.
MEASURE = """async () => {
  const root = document.querySelector('connect-chat').shadowRoot;
  root.querySelector('input[name=name]').value = 'Bench';
  const greeted = () => root.querySelector('li.msg[data-role=SYSTEM]');
  const started = performance.now();
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (greeted()) { observer.disconnect(); resolve(performance.now() - started); }
    });
    observer.observe(root, { childList: true, subtree: true });
  });
  root.querySelector('form.prechat button[type=submit]').click();
  return await done;
}"""


def serve_widget(app: Starlette) -> None:
    """`/` and `/connect-chat.js` as the sandbox serves them (added here if this sandbox does not yet)."""

    async def demo(request: Request) -> FileResponse:
        return FileResponse(ROOT / "widget" / "demo" / "index.html", media_type="text/html")

    async def widget(request: Request) -> FileResponse:
        return FileResponse(ROOT / "widget" / "dist" / "connect-chat.js", media_type="text/javascript")

    routes = app.router.routes
    if "/connect-chat.js" not in {getattr(route, "path", None) for route in routes}:
        routes[:0] = [Route("/", demo, methods=["GET"]), Route("/connect-chat.js", widget, methods=["GET"])]


def measure(runs: int) -> list[float]:
    """One sample per run, each in a fresh browser context (empty storage, new chat)."""
    sock = bind("127.0.0.1", 0)
    app = create_app(SandboxConfig(port=sock.getsockname()[1], demo_agent=False))
    serve_widget(app)
    server = BackgroundServer(app, sock).start()
    samples: list[float] = []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(runs + 1):
                context = browser.new_context(base_url=server.url)
                page = context.new_page()
                page.goto("/")
                page.wait_for_function("() => customElements.get('connect-chat')")
                elapsed = float(page.evaluate(MEASURE))
                if run:  # the first run warms the Lambda handler and the browser: not counted
                    samples.append(elapsed)
                context.close()
            browser.close()
    finally:
        server.stop()
    return samples


def main(runs: int = RUNS) -> None:
    """Print the median and 90th percentile over the runs."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the embedded S3 server's request log
    samples = measure(runs)
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else median
    print(
        f"widget_start median_ms={median:.0f} p90_ms={p90:.0f} runs={len(samples)} "
        f"target_ms={TARGET_MS} ok={median <= TARGET_MS}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
