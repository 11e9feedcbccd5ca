"""`POST /sandbox/clock`: move the sandbox's manual clock (only with `--manual-clock`).

`{"advanceSeconds": N}` fires every timer that falls due (offer windows, ACW timers, the
disconnect flow's Wait, the chat-duration limit) in order, then answers `{"now": ISO 8601}`. The
route runs on the event loop, the one thread that owns the sandbox's state and its timers.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from lambdas.start_chat.models import MAX_CHAT_DURATION_MINUTES
from sandbox.agents.events import AgentEvents
from sandbox.clock import ManualClock, iso_ms
from sandbox.web.http import read_limited

# Nothing in the sandbox waits longer than the longest chat, so one step never needs to be longer.
MAX_ADVANCE_SECONDS = MAX_CHAT_DURATION_MINUTES * 60
MAX_BODY_BYTES = 1024


class ClockRequestError(Exception):
    """A request to move the clock that is refused."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


async def _advance_seconds(request: Request) -> float:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise ClockRequestError(415, "UnsupportedMediaType", "the body must be application/json")
    raw = await read_limited(request, MAX_BODY_BYTES)
    if raw is None:
        raise ClockRequestError(413, "TooLarge", f"the body must be at most {MAX_BODY_BYTES} bytes")
    try:
        body: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ClockRequestError(400, "InvalidJson", "the body is not valid JSON") from error
    seconds: Any = body.get("advanceSeconds") if isinstance(body, dict) else None
    number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
    if number and math.isfinite(seconds) and 0 < seconds <= MAX_ADVANCE_SECONDS:
        return float(seconds)
    bounds = f"a number above 0 and at most {MAX_ADVANCE_SECONDS}"
    raise ClockRequestError(400, "InvalidAdvance", f'the body must be {{"advanceSeconds": N}}, N {bounds}')


def clock_routes(clock: ManualClock, events: AgentEvents) -> list[BaseRoute]:
    """The clock control of a sandbox started with `--manual-clock`."""

    async def advance(request: Request) -> Response:
        try:
            seconds = await _advance_seconds(request)
        except ClockRequestError as error:
            body = {"error": {"code": error.code, "message": error.message}}
            return JSONResponse(body, status_code=error.status)
        clock.advance(seconds)
        events.flush(force=True)  # every agent view carries "now": time moved, so it changed
        return JSONResponse({"now": iso_ms(clock.now())})

    return [Route("/sandbox/clock", advance, methods=["POST"])]
