"""Signals: how one component reacts to another's events without either holding the other.

A `Signal[[Contact, Participant]]` takes listeners called as `listener(contact, participant)`, so mypy
checks both the listeners that connect and the arguments that are emitted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, ParamSpec

log = logging.getLogger(__name__)

P = ParamSpec("P")


class Signal(Generic[P]):
    """A list of listeners; one failing listener is logged and does not stop the others."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.listeners: list[Callable[P, None]] = []

    def connect(self, listener: Callable[P, None]) -> None:
        """Add a listener; listeners are called in the order they connected."""
        self.listeners.append(listener)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every listener in order."""
        for listener in list(self.listeners):
            try:
                listener(*args, **kwargs)
            except Exception:
                log.exception("listener of %s failed", self.name)
