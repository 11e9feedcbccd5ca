"""Contact-center metrics as Amazon Connect defines them, from the sandbox's routing and history.

Real-time figures (GetCurrentMetricData) are read from the routing state at the moment asked.
Historical ones (GetMetricDataV2) count events recorded as they happen, with the admin guide's
definitions: a chat whose 20-second offer lapses is one Agent non-response; a chat started by the
API is created at StartChatContact but queued (Contacts Incoming) only once the flow transfers it
to a queue; a contact is handled when an agent accepts it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.agents.routing import AVAILABLE, BREAK, OFFLINE, Agent, Routing, SlotState
from sandbox.contacts.model import INITIATION_METHOD, Contact
from sandbox.contacts.signals import Signal

CHANNEL = "CHAT"  # the sandbox's only channel
HISTORY_LIMIT = 100_000  # events kept for historical metrics; a long demo stays bounded

# Historical metric -> the event it counts.
CREATED, QUEUED, HANDLED, NON_RESPONSE = "CREATED", "QUEUED", "HANDLED", "NON_RESPONSE"
HISTORICAL_METRICS = {
    "CONTACTS_CREATED": CREATED,
    "CONTACTS_QUEUED": QUEUED,
    "CONTACTS_HANDLED": HANDLED,
    "AGENT_NON_RESPONSE": NON_RESPONSE,
}
# Dimensions the sandbox records; each historical metric can be filtered and grouped by these.
DIMENSIONS = ("QUEUE", "CHANNEL", "AGENT", "INITIATION_METHOD")
# Per the admin guide, contacts created have no agent (they exist before any agent sees them).
UNGROUPABLE = {"CONTACTS_CREATED": {"AGENT"}}


@dataclass(frozen=True)
class MetricEvent:
    """One counted moment in a contact's life."""

    kind: str
    at: float
    contact_id: str
    queue_id: str | None
    agent_id: str | None = None

    def dimension(self, name: str, queue_of: Callable[[str], str | None]) -> str | None:
        """The event's value for a dimension (a contact's queue is known once it is queued)."""
        if name == "QUEUE":
            return self.queue_id or queue_of(self.contact_id)
        if name == "AGENT":
            return self.agent_id
        return CHANNEL if name == "CHANNEL" else INITIATION_METHOD


class MetricsHistory:
    """The events historical metrics count, recorded from the chat and routing signals."""

    def __init__(
        self, contact_started: Signal[[Contact]], routing: Routing, limit: int = HISTORY_LIMIT
    ) -> None:
        self.clock = routing.clock
        self.limit = limit
        self.events: deque[MetricEvent] = deque(maxlen=limit)
        self.first_queue: dict[str, str] = {}
        contact_started.connect(self._started)
        routing.contact_queued.connect(self._queued)
        routing.contact_accepted.connect(lambda agent, contact: self._record(HANDLED, contact, agent))
        routing.offer_missed.connect(lambda agent, contact: self._record(NON_RESPONSE, contact, agent))

    def _started(self, contact: Contact) -> None:
        self.events.append(MetricEvent(CREATED, self.clock.now(), contact.id, None))

    def _queued(self, contact: Contact) -> None:
        if contact.target_queue is not None:
            self.first_queue.setdefault(contact.id, contact.target_queue)
            if len(self.first_queue) > self.limit:
                del self.first_queue[next(iter(self.first_queue))]
        self._record(QUEUED, contact)

    def _record(self, kind: str, contact: Contact, agent: Agent | None = None) -> None:
        agent_id = agent.id if agent is not None else None
        self.events.append(MetricEvent(kind, self.clock.now(), contact.id, contact.target_queue, agent_id))

    def count(
        self,
        metric: str,
        start: float,
        end: float,
        filters: dict[str, set[str]],
        excluded: dict[str, set[str]],
        groupings: list[str],
    ) -> dict[tuple[str, ...], int]:
        """Events of `metric` in [start, end) that every filter keeps, counted per grouping values.

        An event without a value for a grouped dimension (a queued contact has no agent) is left out.
        """
        kind = HISTORICAL_METRICS[metric]
        counts: dict[tuple[str, ...], int] = {}
        for event in self.events:
            if event.kind != kind or not start <= event.at < end:
                continue
            values = {name: event.dimension(name, self.first_queue.get) for name in DIMENSIONS}
            kept = all(values[name] in allowed for name, allowed in filters.items()) and not any(
                values[name] in refused for name, refused in excluded.items()
            )
            key = tuple(values[name] or "" for name in groupings)
            if kept and all(key):
                counts[key] = counts.get(key, 0) + 1
        return counts


# Real-time metrics -------------------------------------------------------------------------------


def _held(agent: Agent, *states: SlotState) -> bool:
    return any(slot.state in states for slot in agent.slots.values())


def _free_slots(agent: Agent) -> int:
    return agent.concurrency - len(agent.slots) if agent.routable else 0


# Name -> one agent's share of the metric. Definitions: the admin guide's.
AGENT_METRICS: dict[str, Callable[[Agent], int]] = {
    "AGENTS_ONLINE": lambda a: int(a.status != OFFLINE),
    "AGENTS_AVAILABLE": lambda a: int(a.status == AVAILABLE),
    "AGENTS_ON_CONTACT": lambda a: int(_held(a, SlotState.CONNECTED, SlotState.AFTER_CONTACT_WORK)),
    "AGENTS_ON_CALL": lambda a: int(_held(a, SlotState.CONNECTED, SlotState.AFTER_CONTACT_WORK)),
    "AGENTS_AFTER_CONTACT_WORK": lambda a: int(_held(a, SlotState.AFTER_CONTACT_WORK)),
    "AGENTS_NON_PRODUCTIVE": lambda a: int(a.status == BREAK),
    "AGENTS_STAFFED": lambda a: int(a.status != OFFLINE),
    "AGENTS_ERROR": lambda a: 0,
    "SLOTS_ACTIVE": lambda a: len(a.slots),
    "SLOTS_AVAILABLE": _free_slots,
}
QUEUE_METRICS = ("CONTACTS_IN_QUEUE", "OLDEST_CONTACT_AGE", "CONTACTS_SCHEDULED")
CURRENT_UNITS = {**dict.fromkeys(AGENT_METRICS, "COUNT"), **dict.fromkeys(QUEUE_METRICS, "COUNT")}
CURRENT_UNITS["OLDEST_CONTACT_AGE"] = "SECONDS"


def current_value(routing: Routing, metric: str, queue_id: str) -> float:
    """A real-time metric for one queue (every sandbox agent's routing profile serves every queue)."""
    if metric in AGENT_METRICS:
        return sum(AGENT_METRICS[metric](agent) for agent in routing.agents.values())
    # A contact stays in its queue until an agent accepts it, offers included (as in Connect).
    in_queue = [
        contact
        for contact in _queued_contacts(routing, queue_id)
        if contact.enqueued_at is not None and not contact.ended
    ]
    if metric == "CONTACTS_IN_QUEUE":
        return len(in_queue)
    if metric == "OLDEST_CONTACT_AGE":
        now = routing.clock.now()
        return max((now - (contact.enqueued_at or now) for contact in in_queue), default=0)
    return 0  # CONTACTS_SCHEDULED: the sandbox has no scheduled callbacks


def _queued_contacts(routing: Routing, queue_id: str) -> list[Contact]:
    queue = routing.queues[queue_id]
    contacts = routing.store.contacts
    waiting = [contacts[contact_id] for contact_id in queue.waiting if contact_id in contacts]
    offered = [
        slot.contact
        for agent in routing.agents.values()
        for slot in agent.slots.values()
        if slot.state is SlotState.OFFERED and slot.contact.target_queue == queue_id
    ]
    return waiting + offered


def metric_result(name: str, unit: str | None, value: float) -> dict[str, Any]:
    """One entry of a result's `Collections`."""
    metric: dict[str, Any] = {"Name": name}
    if unit is not None:
        metric["Unit"] = unit
    return {"Metric": metric, "Value": value}
