"""An agent as the agent API shows it: the JSON of `GET /sandbox/agents/{id}` and of its event stream.

Everything a workspace page renders comes from here: each contact's state with the times its
countdowns and timers start from (as ISO 8601 on the sandbox's clock), the contact details the
flow received, and the agent's capacity.
"""

from __future__ import annotations

from typing import Any

from sandbox.agents.routing import OFFER_SECONDS, Agent, Routing, Slot, SlotState
from sandbox.clock import iso_ms
from sandbox.contacts.model import INITIATION_METHOD


def agent_snapshot(routing: Routing, agent: Agent) -> dict[str, Any]:
    """The agent, its capacity and every contact it holds."""
    held = len(agent.slots)
    return {
        "agentId": agent.id,
        "name": agent.name,
        "status": agent.status,
        "concurrency": agent.concurrency,
        "capacity": agent.concurrency,
        "slotsAvailable": agent.concurrency - held if agent.routable else 0,
        "routable": agent.routable,
        "demo": agent.demo,
        "contacts": [_contact(routing, slot) for slot in agent.slots.values()],
    }


def logged_out_snapshot(last: dict[str, Any]) -> dict[str, Any]:
    """The final view of an agent who has logged out (its last view, emptied)."""
    return {
        **last,
        "status": "Offline",
        "slotsAvailable": 0,
        "routable": False,
        "contacts": [],
        "loggedOut": True,
    }


def _contact(routing: Routing, slot: Slot) -> dict[str, Any]:
    contact = slot.contact
    queue = routing.queues.get(contact.target_queue or "")
    view: dict[str, Any] = {
        "contactId": contact.id,
        "state": slot.state.value,
        "since": iso_ms(slot.since),
        "customerName": contact.customer.display_name,
        "connectedToSystemAt": iso_ms(contact.initiated_at),
        "attributes": dict(contact.attributes),
        "initiationMethod": INITIATION_METHOD,
        "queue": queue.name if queue is not None else None,
    }
    if slot.state is SlotState.OFFERED:
        view["offerExpiresAt"] = iso_ms(slot.since + OFFER_SECONDS)
    elif slot.state is SlotState.MISSED:
        view["missedAt"] = iso_ms(slot.since)
        view["missedSecondsAgo"] = int(routing.clock.now() - slot.since)
    elif slot.state is SlotState.AFTER_CONTACT_WORK:
        view["acwSince"] = iso_ms(slot.since)
    elif slot.state is SlotState.CONNECTED and slot.participant is not None:
        view["participantId"] = slot.participant.id
    return view
