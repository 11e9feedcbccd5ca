"""Logger, metrics and tracer singletons shared by the start-chat modules."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

SERVICE_NAME = os.getenv("POWERTOOLS_SERVICE_NAME") or "start-chat"
METRICS_NAMESPACE = os.getenv("POWERTOOLS_METRICS_NAMESPACE") or "ConnectChat"

# Powertools' tracing rule: on in Lambda, unless POWERTOOLS_TRACE_DISABLED or a local emulator.
TRACING_ENABLED = (
    bool(os.getenv("LAMBDA_TASK_ROOT"))
    and not os.getenv("AWS_SAM_LOCAL")
    and not os.getenv("AWS_CHALICE_CLI_MODE")
    and os.getenv("POWERTOOLS_TRACE_DISABLED", "false").lower() not in {"true", "1", "yes", "on"}
)

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(service=SERVICE_NAME, namespace=METRICS_NAMESPACE)
# Tracer loads the whole X-Ray SDK even when tracing is off (about 40% of this function's cold
# start), so it exists only where it traces.
tracer: Tracer | None = Tracer(service=SERVICE_NAME) if TRACING_ENABLED else None

# botocore logs request and response bodies at DEBUG (display names, messages, the ParticipantToken).
# Lambda's log-level setting can put the root logger at DEBUG, so cap botocore explicitly.
logging.getLogger("botocore").setLevel(logging.INFO)

# (event, context, **keyword arguments the handler takes from its host) -> the proxy response.
LambdaHandler = Callable[..., dict[str, Any]]

# Off only where a host says so (configure_output); Powertools' own switches apply on top.
_metrics_published = True


def configure_output(*, log_level: str, metrics_published: bool) -> None:
    """Set, for the whole process, the function's log level and whether its metrics are published.

    In Lambda the function's configuration decides (POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED,
    read by Powertools). A host running the handler in-process (the sandbox) calls this instead of
    writing ``os.environ``: the process is its Lambda container.
    """
    global _metrics_published  # process-wide, as a container's configuration is
    logger.setLevel(log_level)
    _metrics_published = metrics_published


def trace_handler(handler: LambdaHandler) -> LambdaHandler:
    """Trace the handler with X-Ray when tracing is on, never recording its response (it holds the token)."""
    if tracer is None:
        return handler
    traced: LambdaHandler = tracer.capture_lambda_handler(handler, capture_response=False)
    return traced


def publish_metrics(handler: LambdaHandler) -> LambdaHandler:
    """Flush the invocation's metrics as one EMF log line when the handler finishes.

    Powertools' ``log_metrics`` warns on every invocation that records no metric (CORS preflights,
    unknown routes); this flushes only when there is something to publish and publishing is on
    (:func:`configure_output`). State is always reset: with metrics disabled (POWERTOOLS_DEV,
    POWERTOOLS_METRICS_DISABLED) Powertools' flush keeps it.
    """

    @functools.wraps(handler)
    def wrapper(event: dict[str, Any], context: LambdaContext, **kwargs: Any) -> dict[str, Any]:
        try:
            return handler(event, context, **kwargs)
        finally:
            if metrics.metric_set and _metrics_published:
                metrics.flush_metrics()
            metrics.clear_metrics()

    return wrapper
