"""The agent workspace's routes: the page at /agent, its built script, and /sandbox/metrics (the metrics
panel's same-origin view of what /connect's metrics operations answer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sandbox_helpers import connect_client, customer

from sandbox.server import BackgroundServer
from sandbox.web.website import WORKSPACE_FILE

pytestmark = pytest.mark.sandbox


def test_agent_page_loads_the_built_workspace(server: BackgroundServer) -> None:
    page = httpx.get(f"{server.url}/agent")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/agent-workspace.js" defer></script>' in page.text
    script = httpx.get(f"{server.url}/agent-workspace.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.content == WORKSPACE_FILE.read_bytes()


def test_metrics_view_agrees_with_the_connect_metrics(server: BackgroundServer) -> None:
    # Given a chat waiting in the queue
    _, ann = customer(server, "Ann")
    sandbox = server.sandbox
    connect = connect_client(server)

    # When the page reads /sandbox/metrics and boto3 reads GetCurrentMetricData / GetMetricDataV2
    view = httpx.get(f"{server.url}/sandbox/metrics").json()
    current = connect.get_current_metric_data(
        InstanceId=sandbox.config.instance_id,
        Filters={"Queues": [sandbox.config.queue_id], "Channels": ["CHAT"]},
        CurrentMetrics=[
            {"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"},
            {"Name": "AGENTS_ONLINE", "Unit": "COUNT"},
        ],
    )
    now = datetime.fromisoformat(view["now"].replace("Z", "+00:00"))
    created = connect.get_metric_data_v2(
        ResourceArn=sandbox.connect.instance_arn,
        StartTime=now - timedelta(hours=1),
        EndTime=min(now, datetime.now(UTC)),
        Filters=[{"FilterKey": "QUEUE", "FilterValues": [sandbox.config.queue_id]}],
        Metrics=[{"Name": "CONTACTS_CREATED"}],
    )

    # Then both say the same
    figures = {c["Metric"]["Name"]: c["Value"] for c in current["MetricResults"][0]["Collections"]}
    assert view["current"]["CONTACTS_IN_QUEUE"] == figures["CONTACTS_IN_QUEUE"] >= 1
    assert view["current"]["AGENTS_ONLINE"] == figures["AGENTS_ONLINE"]
    assert view["totals"]["CONTACTS_CREATED"] >= created["MetricResults"][0]["Collections"][0]["Value"] >= 1
    assert view["queue"] == "BasicQueue"
    ann.close()
