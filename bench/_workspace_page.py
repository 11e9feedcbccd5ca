"""The agent workspace in headless Chromium against a sandbox on the manual clock (offers never expire
while a benchmark sets up): shared by the workspace benchmarks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, sync_playwright

from bench._chromium import CHROMIUM, CHROMIUM_ARGS
from sandbox.clock import ManualClock
from sandbox.server import BackgroundServer, start_in_background


@contextmanager
def workspace_page(name: str = "Bench") -> Iterator[tuple[BackgroundServer, Page]]:
    """A sandbox (no demo agent) and the workspace page logged in as `name`."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the embedded S3 server's request log
    server = start_in_background(clock=ManualClock(), demo_agent=False)
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(base_url=server.url)
            page.set_default_timeout(120_000)
            page.goto("/agent")
            page.get_by_label("Your name").fill(name)
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("combobox", name="Status").wait_for()
            page.locator("header [data-state=live]").wait_for()
            yield server, page
            browser.close()
    finally:
        server.stop()
