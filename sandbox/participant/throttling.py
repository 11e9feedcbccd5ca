"""Send throttling per participant, at the rates Amazon Connect documents for the Participant Service.

The service quota is SendMessage and SendEvent 10 requests/s each, burst 15 (admin guide, Amazon
Connect service quotas); the sandbox applies it to each participant, so one noisy client cannot
grow a chat (or the process) faster than a real one could.
"""

from __future__ import annotations

import weakref

from sandbox.clock import Clock
from sandbox.contacts.model import Participant
from sandbox.web.errors import ThrottlingException

RATE_PER_SECOND = 10.0
BURST = 15


class TokenBucket:
    """`burst` requests at once, refilled at `rate` per second of the clock."""

    def __init__(self, clock: Clock, rate: float, burst: int) -> None:
        self.clock = clock
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = clock.now()

    def take(self) -> bool:
        """Use one request of the allowance; False when there is none left."""
        now = self.clock.now()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class SendThrottle:
    """One bucket per participant and operation; `check` answers 429 ThrottlingException when empty."""

    def __init__(self, clock: Clock, *, enabled: bool = True) -> None:
        self.clock = clock
        self.enabled = enabled
        # Weak keys: a participant's buckets go when the contact is forgotten.
        self._buckets: weakref.WeakKeyDictionary[Participant, dict[str, TokenBucket]] = (
            weakref.WeakKeyDictionary()
        )

    def check(self, participant: Participant, operation: str) -> None:
        """Count one `operation` request of `participant`, or refuse it."""
        if not self.enabled:
            return
        buckets = self._buckets.setdefault(participant, {})
        bucket = buckets.get(operation)
        if bucket is None:
            bucket = buckets[operation] = TokenBucket(self.clock, RATE_PER_SECOND, BURST)
        if not bucket.take():
            raise ThrottlingException("Rate exceeded")
