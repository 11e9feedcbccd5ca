"""Queues, agents and offers: the routing rules of agent-chat-rules.md.

An agent has a status (Available, Offline, Break or another non-routable status) and a chat
concurrency (1-10). Each contact an agent holds is a slot: OFFERED (20 s to accept), CONNECTED,
AFTER_CONTACT_WORK (after the chat or the agent's leaving, until cleared) or MISSED (the offer
timed out; it keeps the slot, and blocks all routing to the agent, until cleared). A missed or
rejected contact goes back to the front of its queue for another agent.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from starlette.responses import JSONResponse

from sandbox.clock import Clock, Timer, iso_ms
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Contact, ContactState, Participant, Role
from sandbox.contacts.signals import Signal
from sandbox.contacts.store import ContactStore
from sandbox.web.errors import ServiceError

log = logging.getLogger(__name__)

OFFER_SECONDS = 20  # fixed by Amazon Connect, not configurable
AVAILABLE = "Available"
OFFLINE = "Offline"


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

    def __init__(self, chats: Chats, store: ContactStore, clock: Clock) -> None:
        self.chats = chats
        self.store = store
        self.clock = clock
        self.queues: dict[str, Queue] = {}
        self.agents: dict[str, Agent] = {}
        self.declined: dict[str, set[str]] = {}
        self.offer_made: Signal[[Agent, Contact]] = Signal("offer_made")
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
        self.dispatch()
        return True

    # Agents ------------------------------------------------------------------------------------

    def login(self, name: str, concurrency: int, status: str = AVAILABLE, *, demo: bool = False) -> Agent:
        """Log an agent in with a chat concurrency (1-10)."""
        if not 1 <= concurrency <= 10:
            raise RoutingError(400, "InvalidConcurrency", "concurrency must be between 1 and 10")
        agent = Agent(str(uuid.uuid4()), name, concurrency, status, demo=demo)
        self.agents[agent.id] = agent
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
        self.dispatch()

    def set_status(self, agent_id: str, status: str) -> Agent:
        """Change an agent's status; only Available is routable."""
        if not status or len(status) > 64:
            raise RoutingError(400, "InvalidStatus", "status must be 1 to 64 characters")
        agent = self.agent(agent_id)
        agent.status = status
        self.declined.clear()
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
        for declined in self.declined.values():
            declined.discard(agent.id)
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
                agent = min(candidates, key=lambda a: (len(a.slots), a.last_routed))
                queue.waiting.remove(contact_id)
                self._offer(agent, contact)

    def _offer(self, agent: Agent, contact: Contact) -> None:
        now = self.clock.now()
        agent.last_routed = now
        slot = Slot(contact, SlotState.OFFERED, now)
        agent.slots[contact.id] = slot
        slot.offer_timer = self.clock.call_later(OFFER_SECONDS, lambda: self._missed(agent, slot))
        self.offer_made.emit(agent, contact)

    def _missed(self, agent: Agent, slot: Slot) -> None:
        if agent.slots.get(slot.contact.id) is not slot or slot.state is not SlotState.OFFERED:
            return
        log.info("agent %s missed contact %s (agent non-response)", agent.id, slot.contact.id)
        slot.state = SlotState.MISSED
        slot.since = self.clock.now()
        self._requeue(slot.contact, agent)

    def _withdraw_offer(self, agent: Agent, slot: Slot, *, requeue: bool) -> None:
        if slot.offer_timer is not None:
            slot.offer_timer.cancel()
        del agent.slots[slot.contact.id]
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
        self.dispatch()

    # Views -------------------------------------------------------------------------------------

    def describe(self, agent: Agent) -> dict[str, Any]:
        """The agent as the agent API shows it."""
        now = self.clock.now()
        slots = []
        for slot in agent.slots.values():
            view: dict[str, Any] = {
                "contactId": slot.contact.id,
                "state": slot.state.value,
                "since": iso_ms(slot.since),
                "customerName": slot.contact.customer.display_name,
                "connectedToSystemAt": iso_ms(slot.contact.initiated_at),
            }
            if slot.state is SlotState.OFFERED:
                view["offerExpiresAt"] = iso_ms(slot.since + OFFER_SECONDS)
            if slot.state is SlotState.MISSED:
                view["missedSecondsAgo"] = int(now - slot.since)
            if slot.participant is not None and slot.state is SlotState.CONNECTED:
                view["participantId"] = slot.participant.id
            slots.append(view)
        return {
            "agentId": agent.id,
            "name": agent.name,
            "status": agent.status,
            "concurrency": agent.concurrency,
            "routable": agent.routable,
            "demo": agent.demo,
            "contacts": slots,
        }
