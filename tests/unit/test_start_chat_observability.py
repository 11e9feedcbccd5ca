"""The handler's decorators pass the host's keyword arguments (its dependencies) through to the handler."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools import Tracer

from lambdas.start_chat import observability


def _handler(event: dict[str, Any], context: object, *, dependencies: str) -> dict[str, Any]:
    return {"event": event, "dependencies": dependencies}


@pytest.mark.parametrize("traced", [False, True], ids=["tracing-off", "tracing-on"])
def test_the_decorators_pass_keyword_arguments_through(monkeypatch: pytest.MonkeyPatch, traced: bool) -> None:
    # Given the handler wrapped as in Lambda, with X-Ray tracing on (as deployed) or off (as local)
    tracer = Tracer(service="start-chat-test", disabled=True) if traced else None
    monkeypatch.setattr(observability, "tracer", tracer)
    wrapped = observability.publish_metrics(observability.trace_handler(_handler))

    # When the host calls it with its dependencies
    answer = wrapped({"path": "/chats"}, object(), dependencies="injected")

    # Then the handler received them
    assert answer == {"event": {"path": "/chats"}, "dependencies": "injected"}
