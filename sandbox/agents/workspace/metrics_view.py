"""`GET /sandbox/metrics`: the workspace's real-time panel, a same-origin JSON view of the metrics
that `/connect` answers (GetCurrentMetricData, GetMetricDataV2), computed by the same code.

The browser cannot sign `/connect` requests the way boto3 does, so the page reads this instead.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.agents.routing import Routing
from sandbox.clock import iso_ms
from sandbox.connect.metrics import HISTORICAL_METRICS, MetricsHistory, current_value

# What the panel shows now (GetCurrentMetricData names) and since the sandbox started (GetMetricDataV2).
CURRENT = (
    "AGENTS_ONLINE",
    "AGENTS_AVAILABLE",
    "AGENTS_ON_CONTACT",
    "CONTACTS_IN_QUEUE",
    "OLDEST_CONTACT_AGE",
    "SLOTS_ACTIVE",
    "SLOTS_AVAILABLE",
)


def metrics_view(routing: Routing, history: MetricsHistory, queue_id: str) -> dict[str, object]:
    """The queue's real-time figures and the counts of every historical metric so far."""
    now = routing.clock.now()
    current = {name: current_value(routing, name, queue_id) for name in CURRENT}
    # Everything recorded so far (the sandbox has one queue and keeps a bounded history).
    totals = {
        name: sum(history.count(name, 0.0, now + 1, {}, {}, []).values()) for name in HISTORICAL_METRICS
    }
    return {"now": iso_ms(now), "queue": routing.queues[queue_id].name, "current": current, "totals": totals}


def metrics_view_routes(routing: Routing, history: MetricsHistory, queue_id: str) -> list[BaseRoute]:
    """`GET /sandbox/metrics`."""

    async def view(request: Request) -> Response:
        return JSONResponse(metrics_view(routing, history, queue_id), headers={"Cache-Control": "no-store"})

    return [Route("/sandbox/metrics", view, methods=["GET"])]
