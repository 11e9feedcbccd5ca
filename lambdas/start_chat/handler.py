"""Lambda entry point (``start_chat.handler.lambda_handler``): wiring only, the routes live in api.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .gc_pause import long_lived_objects

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from mypy_boto3_connect import ConnectClient

    from .settings import Settings
    from .signing_keys import SigningKeys

# Everything the handler needs is imported here, at cold start (boto3, Powertools, pydantic, our models),
# without the GC rescanning it all along (see gc_pause).
with long_lived_objects():
    from aws_lambda_powertools.logging import correlation_paths

    from .api import Dependencies, resolve
    from .observability import logger, publish_metrics, trace_handler

# Powertools keeps the current event, log keys and metrics in shared state. Lambda runs one
# invocation at a time; the sandbox calls this handler from worker threads, so serialize there too.
_one_invocation_at_a_time = threading.Lock()


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False, clear_state=True
)
@trace_handler
@publish_metrics
def _handle(event: dict[str, Any], context: LambdaContext, *, dependencies: Dependencies) -> dict[str, Any]:
    # Powertools' decorators pass keyword arguments through to the handler they wrap.
    return resolve(event, dependencies)


def lambda_handler(
    event: dict[str, Any],
    context: LambdaContext,
    *,
    settings: Settings | None = None,
    connect_client: ConnectClient | None = None,
    signing_keys: SigningKeys | None = None,
    clock: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """Handle an API Gateway REST proxy event for ``/chats`` and return the proxy response.

    ``context`` needs ``function_name``, ``memory_limit_in_mb``, ``invoked_function_arn`` and
    ``aws_request_id`` (the Lambda context, or a stand-in when called in-process by the sandbox).
    Lambda passes only those two; a host running the handler in-process (the sandbox, tests) passes its
    own ``settings``, Connect client, ``signing_keys`` and ``clock`` (epoch seconds). Left out: settings
    parsed once from ``os.environ``, a client created once, the secrets in Secrets Manager (cached),
    the wall clock.
    """
    dependencies = Dependencies(
        settings=settings, connect_client=connect_client, signing_keys=signing_keys, clock=clock
    )
    with _one_invocation_at_a_time:
        response: dict[str, Any] = _handle(event, context, dependencies=dependencies)
    return response
