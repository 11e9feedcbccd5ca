"""A resumed chat with a long history, in headless Chromium against the sandbox: the time from the
transcript's answer arriving to the newest messages painted (median over reloads; target <= 150 ms), and
the longest main-thread task while the customer scrolls back through the whole history (target <= 50 ms;
the median over several scroll-backs, each from a fresh reload, since a busy machine can preempt the
renderer in any one of them; the worst is printed too).

The history (1,000 messages) is posted straight into the sandbox's chat; the widget then resumes the chat
after a reload, as a customer's refresh does. Paint is the frame after the DOM change (a rAF, then a task).

Prints ``widget_history messages=1000 median_ms=... p90_ms=... runs=... longest_task_ms=... worst_task_ms=...
ok=...``.
Run: ``python -m bench.widget_history [runs]`` (needs Playwright for Python and /usr/bin/chromium).
"""

from __future__ import annotations

import logging
import statistics
import sys
import uuid

from playwright.sync_api import Page, sync_playwright

from bench._chromium import CHROMIUM, CHROMIUM_ARGS
from sandbox.server import BackgroundServer, start_in_background

RUNS = 15
SCROLL_RUNS = 5
MESSAGES = 1000
TARGET_MS = 150
TARGET_TASK_MS = 50
# Before the widget loads: note when the first transcript answer arrives, then, every frame, whether the
# newest message is in the list; the paint time is taken after the frame that shows it. Long tasks are
# recorded from the start.
PROBE = """window.bench = { received: null, painted: null, longest: 0 };
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) bench.longest = Math.max(bench.longest, task.duration);
}).observe({ type: 'longtask', buffered: true });
const realFetch = window.fetch;
window.fetch = async (url, init) => {
  const answer = await realFetch(url, init);
  if (bench.received === null && String(url).endsWith('/participant/transcript')) {
    bench.received = performance.now();
    const frame = () => {
      const root = document.querySelector('connect-chat').shadowRoot;
      const shown = [...root.querySelectorAll('li.msg .bubble')].some((b) => b.textContent === NEWEST);
      const paint = () => setTimeout(() => (bench.painted = performance.now()));
      requestAnimationFrame(shown ? paint : frame);
    };
    requestAnimationFrame(frame);
  }
  return answer;
};"""
# Scroll to the top repeatedly until the first message is shown, as a reader paging back does.
SCROLL_BACK = """async () => {
  const root = document.querySelector('connect-chat').shadowRoot;
  const log = root.querySelector('.log');
  const first = () => [...root.querySelectorAll('li.msg .bubble')].some((b) => b.textContent === 'message 0');
  for (let step = 0; step < 500 && !first(); step++) {
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    while (log.getAttribute('aria-busy')) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return first();
}"""


def post_history(server: BackgroundServer, contact_id: str) -> None:
    """Post MESSAGES messages as the customer, straight into the chat (no socket is open meanwhile)."""
    sandbox = server.sandbox

    def post() -> None:
        customer = sandbox.store.contacts[contact_id].customer
        for n in range(MESSAGES):
            body = {"ContentType": "text/plain", "Content": f"message {n}", "ClientToken": str(uuid.uuid4())}
            sandbox.chats.send_message(customer, body)

    server.run(post)


def start_chat(page: Page) -> str:
    """Start a chat from the demo page; answers its ContactId."""
    page.goto("/")
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Bench")
    page.get_by_role("button", name="Start chat").click()
    page.wait_for_function("() => document.querySelector('connect-chat').shadowRoot.querySelector('li.msg')")
    return str(page.evaluate("() => document.querySelector('connect-chat').chat.contactId"))


def measure(runs: int) -> tuple[list[float], list[float]]:
    """Render samples (one per reload, the first not counted) and the longest task of each scroll-back."""
    server = start_in_background(demo_agent=False)
    samples: list[float] = []
    longest: list[float] = []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=server.url)
            context.add_init_script(PROBE.replace("NEWEST", f"'message {MESSAGES - 1}'"))
            page = context.new_page()
            contact_id = start_chat(page)
            page.goto("about:blank")
            post_history(server, contact_id)
            for run in range(runs + 1):
                page.goto("/")
                page.wait_for_function("() => bench.painted !== null", timeout=30_000)
                if run:  # the first run warms the browser and the sandbox: not counted
                    samples.append(float(page.evaluate("() => bench.painted - bench.received")))
            for _ in range(SCROLL_RUNS):
                page.goto("/")
                page.wait_for_function("() => bench.painted !== null", timeout=30_000)
                page.evaluate("() => (bench.longest = 0)")
                assert page.evaluate(SCROLL_BACK), "the first message was never shown"
                longest.append(float(page.evaluate("() => bench.longest")))
            browser.close()
    finally:
        server.stop()
    return samples, longest


def main(runs: int = RUNS) -> None:
    """Print the median and 90th percentile render time and the longest task while scrolling."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the embedded S3 server's request log
    samples, longest = measure(runs)
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else median
    task = statistics.median(longest)
    ok = median <= TARGET_MS and task <= TARGET_TASK_MS
    print(
        f"widget_history messages={MESSAGES} median_ms={median:.0f} p90_ms={p90:.0f} runs={len(samples)} "
        f"longest_task_ms={task:.0f} worst_task_ms={max(longest):.0f} target_ms={TARGET_MS} "
        f"target_task_ms={TARGET_TASK_MS} ok={ok}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
