"""Sandbox servers on free loopback ports in background threads, and boto3 clients pointed at them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sandbox.clock import Clock, ManualClock
from sandbox.server import BackgroundServer, start_in_background
from sandbox.storage.s3_server import EmbeddedS3

ServerFactory = Callable[..., BackgroundServer]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """One embedded S3 server shared by every sandbox in the session."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    s3 = EmbeddedS3()
    yield s3.start()
    s3.stop()


@pytest.fixture
def make_server(s3_endpoint: str) -> Iterator[ServerFactory]:
    """Start sandbox servers (each with its own app and state); all are stopped after the test."""
    servers: list[BackgroundServer] = []

    def start(clock: Clock | None = None, **overrides: Any) -> BackgroundServer:
        # Tests send faster than Connect's documented rates; throttling has its own tests.
        settings = {"demo_agent": False, "s3_endpoint": s3_endpoint, "throttle_sends": False, **overrides}
        server = start_in_background(clock=clock, **settings)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server: ServerFactory) -> BackgroundServer:
    """A sandbox on the real clock, without the demo agent."""
    return make_server()


@pytest.fixture
def manual_clock() -> ManualClock:
    """A clock that only moves when the test advances it (on the server's loop)."""
    return ManualClock()


@pytest.fixture
def clocked_server(make_server: ServerFactory, manual_clock: ManualClock) -> BackgroundServer:
    """A sandbox driven by `manual_clock`."""
    return make_server(clock=manual_clock)
