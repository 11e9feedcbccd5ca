"""The agent event stream: `GET /sandbox/agents/{agentId}/events`, server-sent events.

On connect and after every change to the agent or its contacts (status, offer, accept, reject,
miss, customer left, ACW, clear, a manual-clock advance, logout) the stream sends `event: agent`
whose data is the agent's snapshot (as `GET /sandbox/agents/{agentId}` answers) plus `"now"`, the
sandbox clock's time, so a page renders countdowns against the sandbox's clock, not its own.

Bursts coalesce: routing changes schedule one flush on the loop, and each subscriber keeps only
the latest snapshot it has not sent yet, so a slow reader never makes the sandbox buffer more.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from sandbox.agents.routing import Routing, RoutingError
from sandbox.agents.snapshot import agent_snapshot, logged_out_snapshot
from sandbox.clock import iso_ms

MAX_SUBSCRIBERS_PER_AGENT = 8  # a few tabs of the same agent; more is a leak or an attack
# A comment line this often lets proxies keep the connection and finds readers that have gone.
HEARTBEAT_SECONDS = 15.0


class Subscriber:
    """One open stream: the latest snapshot not yet sent, and whether the stream is over."""

    def __init__(self) -> None:
        self.latest: dict[str, Any] | None = None
        self.closed = False
        self.ready = asyncio.Event()

    def put(self, snapshot: dict[str, Any]) -> None:
        """Replace any unsent snapshot with this newer one."""
        self.latest = snapshot
        self.ready.set()

    def close(self) -> None:
        """End the stream once the pending snapshot (if any) is sent."""
        self.closed = True
        self.ready.set()


class AgentEvents:
    """Subscribers per agent, fed from the routing's `changed` signal."""

    def __init__(self, routing: Routing, max_per_agent: int = MAX_SUBSCRIBERS_PER_AGENT) -> None:
        self.routing = routing
        self.max_per_agent = max_per_agent
        self.subscribers: dict[str, set[Subscriber]] = {}
        self.last: dict[str, dict[str, Any]] = {}  # the last snapshot sent, per agent
        self.closed = False
        self._flush_scheduled = False
        routing.changed.connect(self._changed)

    def subscribe(self, agent_id: str) -> Subscriber:
        """A new stream for a logged-in agent, primed with its snapshot."""
        if self.closed:
            raise RoutingError(503, "ShuttingDown", "the sandbox is shutting down")
        agent = self.routing.agent(agent_id)
        subscribers = self.subscribers.setdefault(agent_id, set())
        if len(subscribers) >= self.max_per_agent:
            raise RoutingError(
                429, "TooManySubscribers", f"at most {self.max_per_agent} event streams per agent"
            )
        subscriber = Subscriber()
        subscribers.add(subscriber)
        snapshot = agent_snapshot(self.routing, agent)
        self.last[agent_id] = snapshot
        subscriber.put(self._stamped(snapshot))
        return subscriber

    def unsubscribe(self, agent_id: str, subscriber: Subscriber) -> None:
        """Forget a stream that has ended."""
        subscribers = self.subscribers.get(agent_id)
        if subscribers is None:
            return
        subscribers.discard(subscriber)
        if not subscribers:
            del self.subscribers[agent_id]
            self.last.pop(agent_id, None)

    def flush(self, *, force: bool = False) -> None:
        """Send each subscribed agent's snapshot if it changed (always when `force`: time moved)."""
        self._flush_scheduled = False
        for agent_id, subscribers in list(self.subscribers.items()):
            agent = self.routing.agents.get(agent_id)
            if agent is None:
                final = self._stamped(logged_out_snapshot(self.last[agent_id]))
                for subscriber in subscribers:
                    subscriber.put(final)
                    subscriber.close()
                del self.subscribers[agent_id]
                self.last.pop(agent_id, None)
                continue
            snapshot = agent_snapshot(self.routing, agent)
            if not force and snapshot == self.last.get(agent_id):
                continue
            self.last[agent_id] = snapshot
            stamped = self._stamped(snapshot)
            for subscriber in subscribers:
                subscriber.put(stamped)

    def close(self) -> None:
        """End every stream (server shutdown: open streams would otherwise hold it up)."""
        self.closed = True
        for subscribers in self.subscribers.values():
            for subscriber in subscribers:
                subscriber.close()

    def _changed(self) -> None:
        # Routing emits several changes per operation; one flush after it has finished covers them.
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def _stamped(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        return {**snapshot, "now": iso_ms(self.routing.clock.now())}


async def _event_stream(events: AgentEvents, agent_id: str, subscriber: Subscriber) -> AsyncIterator[str]:
    try:
        while True:
            try:
                await asyncio.wait_for(subscriber.ready.wait(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            subscriber.ready.clear()
            snapshot, subscriber.latest = subscriber.latest, None
            if snapshot is not None:
                yield f"event: agent\ndata: {json.dumps(snapshot, separators=(',', ':'))}\n\n"
            if subscriber.closed:
                return
    finally:
        events.unsubscribe(agent_id, subscriber)


def agent_event_routes(events: AgentEvents) -> list[BaseRoute]:
    """`GET /sandbox/agents/{agent_id}/events` (same-origin only, like the rest of the agent API)."""

    async def stream(request: Request) -> Response:
        agent_id = request.path_params["agent_id"]
        try:
            subscriber = events.subscribe(agent_id)
        except RoutingError as error:
            body = {"error": {"code": error.code, "message": error.message}}
            return JSONResponse(body, status_code=error.status)
        return StreamingResponse(
            _event_stream(events, agent_id, subscriber),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return [Route("/sandbox/agents/{agent_id}/events", stream, methods=["GET"])]
