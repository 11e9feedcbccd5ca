"""Injectable clocks: every timer in the sandbox goes through one of these.

`RealClock` schedules on the running asyncio loop; `ManualClock` only moves when a test calls
`advance`, so the 20 s offer window, disconnect-flow waits and the 25 h chat limit are tested
without sleeping. Both are used from the event loop thread only.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol


class Timer(Protocol):
    """A scheduled callback that can be cancelled before it fires."""

    def cancel(self) -> None: ...


class Clock(Protocol):
    """Wall-clock time and timers."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        """Run `callback` on the event loop after `delay` seconds of this clock's time."""
        ...


def iso_ms(epoch_seconds: float) -> str:
    """Fixed-width UTC time with milliseconds, the format Connect uses (`2024-01-01T00:00:00.000Z`)."""
    moment = datetime.fromtimestamp(round(epoch_seconds * 1000) / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class RealClock:
    """System time; timers run on the asyncio loop that is running when they are created."""

    def now(self) -> float:
        return time.time()

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        return asyncio.get_running_loop().call_later(max(0.0, delay), callback)


@dataclass(order=True)
class _ManualTimer:
    due: float
    seq: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A clock that moves only when told to; due timers fire in order, inside `advance`."""

    def __init__(self, start: float | None = None) -> None:
        # Starting at the real time keeps expiry times sensible for clients (ChatJS checks them).
        self._now = float(int(time.time())) if start is None else start
        self._timers: list[_ManualTimer] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        timer = _ManualTimer(self._now + max(0.0, delay), next(self._seq), callback)
        heapq.heappush(self._timers, timer)
        return timer

    def advance(self, seconds: float) -> None:
        """Move time forward, firing every timer that falls due (timers set by timers included)."""
        target = self._now + seconds
        while self._timers and self._timers[0].due <= target:
            timer = heapq.heappop(self._timers)
            if timer.cancelled:
                continue
            self._now = max(self._now, timer.due)
            timer.callback()
        self._now = target
