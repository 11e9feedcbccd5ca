"""How long a Wait action waits: the one rule the validator checks and the sandbox's flow engine obeys.

The time is the ``TimeLimitSeconds`` parameter and nothing else: the reference docs call it
``TimeoutSeconds``, but real exports and the service use ``TimeLimitSeconds``, so a Wait
that only has ``TimeoutSeconds`` is an error both before deploy and in the sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flows.document import JSONPATH_PREFIX, MAX_WAIT_SECONDS, MIN_WAIT_SECONDS, TIME_LIMIT_SECONDS
from flows.issues import show

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class WaitTimeError(ValueError):
    """A Wait's time limit is missing or wrong; ``code`` is the validator's issue code for it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def wait_seconds(parameters: Mapping[Any, object]) -> int | None:
    """The whole seconds a Wait waits, from its Parameters.

    ``None`` when the time is a JSONPath reference (``"$.Attributes.x"``), resolved only when the
    flow runs. Raises :class:`WaitTimeError` when the time is missing, not a string of digits,
    or outside MIN_WAIT_SECONDS..MAX_WAIT_SECONDS.
    """
    if TIME_LIMIT_SECONDS not in parameters:
        raise WaitTimeError(
            "parameter-missing", f'Wait needs {TIME_LIMIT_SECONDS}: the time to wait, as a string like "900"'
        )
    value = parameters[TIME_LIMIT_SECONDS]
    if isinstance(value, str) and value.startswith(JSONPATH_PREFIX):
        return None
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise WaitTimeError(
            "wait-time-invalid",
            f'{TIME_LIMIT_SECONDS} must be a string of whole seconds like "900", found {show(value)}',
        )
    # Compare lengths first: int() refuses very long digit strings.
    if len(value.lstrip("0")) > len(str(MAX_WAIT_SECONDS)) or not (
        MIN_WAIT_SECONDS <= int(value) <= MAX_WAIT_SECONDS
    ):
        raise WaitTimeError(
            "wait-time-range",
            f"{TIME_LIMIT_SECONDS} is {show(value)}; it must be between {MIN_WAIT_SECONDS} and "
            f"{MAX_WAIT_SECONDS} (7 days)",
        )
    return int(value)
