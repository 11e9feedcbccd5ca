"""Queues, agents and offers: the routing rules of agent-chat-rules.md.

An agent has a status (Available, Break or Offline; only Available is routable) and a chat
concurrency (1 to the routing profile's chatConcurrency). Each contact an agent holds is a slot:
OFFERED (20 s to accept), CONNECTED, AFTER_CONTACT_WORK (after the chat or the agent's leaving,
until cleared) or MISSED (the offer timed out; it keeps the slot, and blocks all routing to the
agent, until cleared). A missed or rejected contact goes back to the front of its queue for
another agent: it is not offered to the agent who rejected it again while it waits (nor to the one
who missed it, until they clear it). People come first: the demo agent is offered a contact only
when no person can be.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from starlette.responses import JSONResponse

from sandbox.clock import Clock, Timer
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Contact, ContactState, Participant, Role
from sandbox.contacts.signals import Signal
from sandbox.contacts.store import ContactStore
from sandbox.web.errors import ServiceError

log = logging.getLogger(__name__)

OFFER_SECONDS = 20  # fixed by Amazon Connect, not configurable
AVAILABLE = "Available"
BREAK = "Break"
OFFLINE = "Offline"
STATUSES = (AVAILABLE, BREAK, OFFLINE)  # the closed set; only Available is routable


class SlotState(StrEnum):
    """What an agent is doing with one contact."""

    OFFERED = "OFFERED"
    CONNECTED = "CONNECTED"
    AFTER_CONTACT_WORK = "AFTER_CONTACT_WORK"
    MISSED = "MISSED"


class RoutingError(ServiceError):
    """A request the agent API refuses (status 400, 404 or 409), answered in the agent API's shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    def response(self) -> JSONResponse:
        """`{"error": {"code", "message"}}` with the error's status."""
        return JSONResponse({"error": {"code": self.code, "message": self.message}}, status_code=self.status)


@dataclass
class Slot:
    """One contact held by an agent."""

    contact: Contact
    state: SlotState
    since: float
    offer_timer: Timer | None = None
    participant: Participant | None = None


@dataclass
class Queue:
    """A queue of contacts waiting for an agent."""

    id: str
    name: str
    capacity: int
    waiting: deque[str] = field(default_factory=deque)


@dataclass
class Agent:
    """A logged-in agent."""

    id: str
    name: str
    concurrency: int
    status: str = AVAILABLE
    channel: str = "CHAT"
    demo: bool = False
    slots: dict[str, Slot] = field(default_factory=dict)
    last_routed: float = 0.0

    @property
    def routable(self) -> bool:
        """Can be offered a contact right now."""
        if self.status != AVAILABLE:
            return False
        if any(slot.state is SlotState.MISSED for slot in self.slots.values()):
            return False
        return len(self.slots) < self.concurrency


class Routing:
    """Routes queued contacts to available agents with offers that expire on the clock."""

    def __init__(self, chats: Chats, store: ContactStore, clock: Clock, chat_concurrency: int) -> None:
        self.chats = chats
        self.store = store
        self.clock = clock
        self.chat_concurrency = chat_concurrency  # the routing profile's chats per agent
        self.queues: dict[str, Queue] = {}
        self.agents: dict[str, Agent] = {}
        # contact id -> agents who rejected or missed it: not offered it again while it waits.
        self.declined: dict[str, set[str]] = {}
        self.offer_made: Signal[[Agent, Contact]] = Signal("offer_made")
        # What agent views and metrics follow: any change to an agent or its contacts...
        self.changed: Signal[[]] = Signal("changed")
        # ...and the moments Connect's metrics count.
        self.contact_queued: Signal[[Contact]] = Signal("contact_queued")
        self.contact_accepted: Signal[[Agent, Contact]] = Signal("contact_accepted")
        self.offer_missed: Signal[[Agent, Contact]] = Signal("offer_missed")
        chats.participant_left.connect(self._on_participant_left)
        chats.contact_ended.connect(self._on_contact_ended)

    # Queues ------------------------------------------------------------------------------------

    def add_queue(self, queue_id: str, name: str, capacity: int) -> Queue:
        """Create a queue."""
        queue = Queue(queue_id, name, capacity)
        self.queues[queue_id] = queue
        return queue

    def has_queue(self, queue_id: str) -> bool:
        """Whether the queue exists."""
        return queue_id in self.queues

    def enqueue(self, contact: Contact, queue_id: str) -> bool:
        """Put a contact in a queue; False when the queue is at capacity."""
        queue = self.queues[queue_id]
        if len(queue.waiting) >= queue.capacity:
            return False
        contact.state = ContactState.QUEUED
        contact.target_queue = queue_id
        contact.enqueued_at = self.clock.now()
        queue.waiting.append(contact.id)
        self.contact_queued.emit(contact)
        self.dispatch()
        return True

    # Agents ------------------------------------------------------------------------------------

    def login(self, name: str, concurrency: int, status: object = AVAILABLE, *, demo: bool = False) -> Agent:
        """Log an agent in with a chat concurrency (1 to the routing profile's chatConcurrency)."""
        if not 1 <= concurrency <= self.chat_concurrency:
            limit = f"{self.chat_concurrency} (the routing profile's chatConcurrency)"
            raise RoutingError(400, "InvalidConcurrency", f"concurrency must be between 1 and {limit}")
        agent = Agent(str(uuid.uuid4()), name, concurrency, _valid_status(status), demo=demo)
        self.agents[agent.id] = agent
        self.changed.emit()
        self.dispatch()
        return agent

    def agent(self, agent_id: str) -> Agent:
        """A logged-in agent, or a 404 RoutingError."""
        agent = self.agents.get(agent_id)
        if agent is None:
            raise RoutingError(404, "AgentNotFound", "no such agent")
        return agent

    def logout(self, agent_id: str) -> None:
        """Log out: offers go back to the queue, chats are left."""
        agent = self.agent(agent_id)
        agent.status = OFFLINE
        for slot in list(agent.slots.values()):
            if slot.state is SlotState.OFFERED:
                self._withdraw_offer(agent, slot, requeue=True)
            elif slot.state is SlotState.CONNECTED and slot.participant is not None:
                self.chats.leave(slot.participant)
        del self.agents[agent_id]
        for declined in self.declined.values():
            declined.discard(agent_id)
        self.changed.emit()
        self.dispatch()

    def set_status(self, agent_id: str, status: object) -> Agent:
        """Change an agent's status; only Available is routable."""
        valid = _valid_status(status)
        agent = self.agent(agent_id)
        agent.status = valid
        self.changed.emit()
        self.dispatch()
        return agent

    def accept(self, agent_id: str, contact_id: str) -> Participant:
        """Accept an offer: the agent joins the chat with its own participant credentials."""
        agent = self.agent(agent_id)
        slot = self._slot(agent, contact_id)
        if slot.state is not SlotState.OFFERED:
            raise RoutingError(409, "NotOffered", f"the contact is {slot.state.value}, not offered")
        if slot.offer_timer is not None:
            slot.offer_timer.cancel()
        slot.state = SlotState.CONNECTED
        slot.since = self.clock.now()
        slot.participant = self.chats.add_agent(slot.contact, agent.id, agent.name)
        self.declined.pop(contact_id, None)  # once handled, earlier rejections no longer apply
        self.contact_accepted.emit(agent, slot.contact)
        self.changed.emit()
        return slot.participant

    def reject(self, agent_id: str, contact_id: str) -> None:
        """Reject an offer: the contact goes back to the queue for another agent."""
        agent = self.agent(agent_id)
        slot = self._slot(agent, contact_id)
        if slot.state is not SlotState.OFFERED:
            raise RoutingError(409, "NotOffered", f"the contact is {slot.state.value}, not offered")
        self._withdraw_offer(agent, slot, requeue=True)

    def leave(self, agent_id: str, contact_id: str) -> None:
        """The agent leaves a connected chat (then it is in after-contact work)."""
        agent = self.agent(agent_id)
        slot = self._slot(agent, contact_id)
        if slot.state is not SlotState.CONNECTED or slot.participant is None:
            raise RoutingError(409, "NotConnected", f"the contact is {slot.state.value}, not connected")
        self.chats.leave(slot.participant)

    def clear(self, agent_id: str, contact_id: str) -> None:
        """Clear a contact in after-contact work or missed, freeing its slot."""
        agent = self.agent(agent_id)
        slot = self._slot(agent, contact_id)
        if slot.state not in {SlotState.AFTER_CONTACT_WORK, SlotState.MISSED}:
            raise RoutingError(409, "NotClearable", f"the contact is {slot.state.value}")
        del agent.slots[contact_id]
        if slot.state is SlotState.MISSED:
            # Cleared: the agent has seen the miss, and may be offered that contact again.
            self.declined.get(contact_id, set()).discard(agent.id)
        self.changed.emit()
        self.dispatch()

    def _slot(self, agent: Agent, contact_id: str) -> Slot:
        slot = agent.slots.get(contact_id)
        if slot is None:
            raise RoutingError(404, "ContactNotFound", "the agent holds no such contact")
        return slot

    # Routing -----------------------------------------------------------------------------------

    def dispatch(self) -> None:
        """Offer queued contacts, oldest first, to routable agents (least busy first)."""
        for queue in self.queues.values():
            for contact_id in list(queue.waiting):
                contact = self.store.contacts.get(contact_id)
                if contact is None or contact.ended:
                    queue.waiting.remove(contact_id)
                    continue
                declined = self.declined.get(contact_id, set())
                candidates = [
                    agent
                    for agent in self.agents.values()
                    if agent.routable and agent.id not in declined and contact_id not in agent.slots
                ]
                if not candidates:
                    continue
                agent = min(candidates, key=lambda a: (a.demo, len(a.slots), a.last_routed))
                queue.waiting.remove(contact_id)
                self._offer(agent, contact)

    def _offer(self, agent: Agent, contact: Contact) -> None:
        now = self.clock.now()
        agent.last_routed = now
        slot = Slot(contact, SlotState.OFFERED, now)
        agent.slots[contact.id] = slot
        slot.offer_timer = self.clock.call_later(OFFER_SECONDS, lambda: self._missed(agent, slot))
        self.changed.emit()
        self.offer_made.emit(agent, contact)

    def _missed(self, agent: Agent, slot: Slot) -> None:
        if agent.slots.get(slot.contact.id) is not slot or slot.state is not SlotState.OFFERED:
            return
        log.info("agent %s missed contact %s (agent non-response)", agent.id, slot.contact.id)
        slot.state = SlotState.MISSED
        slot.since = self.clock.now()
        self.offer_missed.emit(agent, slot.contact)
        self.changed.emit()
        self._requeue(slot.contact, agent)

    def _withdraw_offer(self, agent: Agent, slot: Slot, *, requeue: bool) -> None:
        if slot.offer_timer is not None:
            slot.offer_timer.cancel()
        del agent.slots[slot.contact.id]
        self.changed.emit()
        if requeue:
            self._requeue(slot.contact, agent)

    def _requeue(self, contact: Contact, agent: Agent) -> None:
        if contact.ended or contact.target_queue is None:
            return
        self.declined.setdefault(contact.id, set()).add(agent.id)
        self.queues[contact.target_queue].waiting.appendleft(contact.id)
        self.dispatch()

    # Chat events -------------------------------------------------------------------------------

    def _on_participant_left(self, contact: Contact, participant: Participant) -> None:
        if participant.role is Role.AGENT and participant.agent_id in self.agents:
            slot = self.agents[participant.agent_id].slots.get(contact.id)
            if slot is not None and slot.state is SlotState.CONNECTED:
                slot.state = SlotState.AFTER_CONTACT_WORK
                slot.since = self.clock.now()
                self.changed.emit()

    def _on_contact_ended(self, contact: Contact) -> None:
        self.declined.pop(contact.id, None)
        for queue in self.queues.values():
            if contact.id in queue.waiting:
                queue.waiting.remove(contact.id)
        for agent in self.agents.values():
            slot = agent.slots.get(contact.id)
            if slot is None:
                continue
            if slot.state is SlotState.OFFERED:
                self._withdraw_offer(agent, slot, requeue=False)
            elif slot.state is SlotState.CONNECTED:
                slot.state = SlotState.AFTER_CONTACT_WORK
                slot.since = self.clock.now()
        self.changed.emit()
        self.dispatch()


def _valid_status(status: object) -> str:
    """The status if it is one of STATUSES, exactly (`available` would silently never be routed)."""
    if not isinstance(status, str) or status not in STATUSES:
        raise RoutingError(
            400, "InvalidStatus", f"status must be one of {', '.join(STATUSES)} (case-sensitive)"
        )
    return status
