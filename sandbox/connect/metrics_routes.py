"""GetCurrentMetricData and GetMetricDataV2 (`/connect/metrics/...`), wire-compatible with boto3 `connect`.

Requests are validated against the botocore model first, then against what Amazon Connect accepts
for these operations (required resource filters, units, time range); what the sandbox does not
model (routing-profile filters, intervals other than TOTAL, thresholds) is refused by name rather
than silently ignored.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from flows import arns
from sandbox.agents.routing import Routing
from sandbox.connect.metrics import (
    AGENT_METRICS,
    CHANNEL,
    CURRENT_UNITS,
    DIMENSIONS,
    HISTORICAL_METRICS,
    UNGROUPABLE,
    MetricsHistory,
    current_value,
    metric_result,
)
from sandbox.web.errors import (
    InternalServiceException,
    InvalidParameterException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from sandbox.web.http import json_body, ok, service_endpoint, validate

SERVICE = "connect"
MAX_RANGE_SECONDS = 35 * 86400  # the widest StartTime..EndTime Connect accepts
RETENTION_SECONDS = 93 * 86400  # historical metrics are available for 3 months
CURRENT_GROUPINGS = {"QUEUE": "Queue", "CHANNEL": "Channel"}


def _page(rows: list[dict[str, Any]], body: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    token = body.get("NextToken", "0")
    if not token.isdigit():
        raise InvalidParameterException("NextToken is not one this API returned")
    start = int(token)
    size = body.get("MaxResults") or 100
    following = start + size
    return rows[start:following], str(following) if following < len(rows) else None


def current_metric_data(routing: Routing, instance_arn: str, body: dict[str, Any]) -> dict[str, Any]:
    """GetCurrentMetricData's answer for a model-valid request."""
    filters = body["Filters"]
    unsupported = sorted(set(filters) - {"Queues", "Channels"})
    if unsupported:
        raise InvalidParameterException(f"The sandbox filters by Queues and Channels only, not {unsupported}")
    if not filters.get("Queues"):
        raise InvalidParameterException("Filters.Queues is required")
    queues = [queue for queue in map(arns.last_id, filters["Queues"]) if queue in routing.queues]
    channels = list(dict.fromkeys(filters.get("Channels") or [CHANNEL]))
    groupings = list(dict.fromkeys(body.get("Groupings") or []))
    if set(groupings) - set(CURRENT_GROUPINGS):
        raise InvalidParameterException("The sandbox groups current metrics by QUEUE and CHANNEL only")
    metrics = []
    for metric in body["CurrentMetrics"]:
        unit = CURRENT_UNITS.get(metric.get("Name", ""))
        if unit is None:
            raise InvalidParameterException(f"Unsupported current metric: {metric.get('Name')}")
        if metric.get("Unit", unit) != unit:
            raise InvalidParameterException(f"{metric['Name']} is measured in {unit}")
        metrics.append((metric["Name"], unit))
    rows = []
    for queue_group in [[q] for q in queues] if "QUEUE" in groupings else [queues]:
        for channel_group in [[c] for c in channels] if "CHANNEL" in groupings else [channels]:
            dimensions: dict[str, Any] = {}
            if "QUEUE" in groupings:
                queue_arn = arns.resource_arn(instance_arn, arns.QUEUE, queue_group[0])
                dimensions["Queue"] = {"Id": queue_group[0], "Arn": queue_arn}
            if "CHANNEL" in groupings:
                dimensions["Channel"] = channel_group[0]
            values = [
                _current(routing, name, queue_group) if CHANNEL in channel_group else 0 for name, _ in metrics
            ]
            collections = [metric_result(n, u, v) for (n, u), v in zip(metrics, values, strict=True)]
            rows.append({"Dimensions": dimensions, "Collections": collections})
    page, token = _page(rows, body)
    answer: dict[str, Any] = {
        "MetricResults": page,
        "DataSnapshotTime": routing.clock.now(),
        "ApproximateTotalCount": len(rows),
    }
    if token:
        answer["NextToken"] = token
    return answer


def _current(routing: Routing, name: str, queues: list[str]) -> float:
    if not queues:
        return 0
    if name in AGENT_METRICS:  # agents serve every queue: count them once, not once per queue
        return current_value(routing, name, queues[0])
    values = [current_value(routing, name, queue) for queue in queues]
    return max(values) if name == "OLDEST_CONTACT_AGE" else sum(values)


def _time_range(body: dict[str, Any], now: float) -> tuple[float, float]:
    start, end = body["StartTime"], body["EndTime"]
    for name, value in (("StartTime", start), ("EndTime", end)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidParameterException(f"{name} must be a timestamp")
    if not start < end:
        raise InvalidParameterException("StartTime must be before EndTime")
    if end > now:
        raise InvalidParameterException("EndTime cannot be later than the current time")
    if end - start > MAX_RANGE_SECONDS:
        raise InvalidParameterException("StartTime and EndTime can be at most 35 days apart")
    if start < now - RETENTION_SECONDS:
        raise InvalidParameterException("Historical metrics are available for the last 3 months only")
    return float(start), float(end)


def _filters(body: dict[str, Any]) -> dict[str, set[str]]:
    filters: dict[str, set[str]] = {}
    for item in body["Filters"]:
        key = item["FilterKey"]
        if key not in DIMENSIONS or "StringCondition" in item:
            raise InvalidParameterException(f"The sandbox filters by {', '.join(DIMENSIONS)} only")
        values = set(map(arns.last_id, item.get("FilterValues") or []))
        filters[key] = filters.get(key, values) & values
    if not {"QUEUE", "AGENT"} & set(filters):
        raise InvalidParameterException("Filters must include QUEUE or AGENT")
    return filters


def _metric_filters(metric: dict[str, Any]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(values required, values excluded) per dimension, from a metric's MetricFilters."""
    name = metric["Name"]
    if name not in HISTORICAL_METRICS:
        raise InvalidParameterException(f"Unsupported metric: {name}")
    if metric.get("Threshold"):
        raise InvalidParameterException(f"{name} takes no Threshold")
    required: dict[str, set[str]] = {}
    excluded: dict[str, set[str]] = {}
    for item in metric.get("MetricFilters") or []:
        if item["MetricFilterKey"] != "INITIATION_METHOD" or name == "AGENT_NON_RESPONSE":
            raise InvalidParameterException(
                f"{name} does not take the metric filter {item['MetricFilterKey']}"
            )
        target = excluded if item.get("Negate") else required
        target["INITIATION_METHOD"] = set(item.get("MetricFilterValues") or [])
    return required, excluded


def metric_data_v2(history: MetricsHistory, instance_arn: str, body: dict[str, Any]) -> dict[str, Any]:
    """GetMetricDataV2's answer for a model-valid request."""
    if body["ResourceArn"] != instance_arn:
        raise ResourceNotFoundException(f"Instance {body['ResourceArn']} not found")
    start, end = _time_range(body, history.clock.now())
    interval = body.get("Interval") or {}
    if interval.get("IntervalPeriod", "TOTAL") != "TOTAL":
        raise InvalidParameterException("The sandbox reports IntervalPeriod TOTAL only")
    filters = _filters(body)
    groupings = list(dict.fromkeys(body.get("Groupings") or []))
    if set(groupings) - set(DIMENSIONS):
        raise InvalidParameterException(f"The sandbox groups by {', '.join(DIMENSIONS)} only")
    counts = []
    for metric in body["Metrics"]:
        required, excluded = _metric_filters(metric)
        invalid = UNGROUPABLE.get(metric["Name"], set()) & (set(groupings) | set(filters))
        if invalid:
            raise InvalidParameterException(
                f"{metric['Name']} cannot be filtered or grouped by {sorted(invalid)}"
            )
        counted = history.count(metric["Name"], start, end, {**filters, **required}, excluded, groupings)
        counts.append((metric, counted))
    keys = sorted({key for _, counted in counts for key in counted}) if groupings else [()]
    rows = []
    for key in keys:
        row: dict[str, Any] = {
            "Dimensions": dict(zip(groupings, key, strict=True)),
            "Collections": [metric_result(m["Name"], None, counted.get(key, 0)) for m, counted in counts],
        }
        if interval:
            row["MetricInterval"] = {"Interval": "TOTAL", "StartTime": start, "EndTime": end}
        rows.append(row)
    page, token = _page(rows, body)
    return {"MetricResults": page, **({"NextToken": token} if token else {})}


def metrics_routes(
    routing: Routing, history: MetricsHistory, instance_id: str, instance_arn: str
) -> list[BaseRoute]:
    """The two metrics operations of the Connect API."""
    endpoint = service_endpoint(InternalServiceException)

    @endpoint
    async def get_current_metric_data(request: Request) -> Response:
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "GetCurrentMetricData", body, InvalidParameterException)
        if request.path_params["instance_id"] not in {instance_id, instance_arn}:
            raise ResourceNotFoundException(f"Instance {request.path_params['instance_id']} not found")
        return ok(current_metric_data(routing, instance_arn, body))

    @endpoint
    async def get_metric_data_v2(request: Request) -> Response:
        body = await json_body(request, InvalidRequestException)
        validate(SERVICE, "GetMetricDataV2", body, InvalidParameterException)
        return ok(metric_data_v2(history, instance_arn, body))

    return [
        Route("/connect/metrics/current/{instance_id}", get_current_metric_data, methods=["POST"]),
        Route("/connect/metrics/data", get_metric_data_v2, methods=["POST"]),
    ]
