"""Chat timeouts for idle participants (UpdateParticipantRoleConfig), on the sandbox clock.

What the admin guide's "Set up chat timeouts for chat participants" page says, and this module does:
timers are configured per participant role (CUSTOMER, AGENT) and run only while the customer and an
agent are both in the chat: they start when an agent joins and stop when the agent leaves. The
configuration stored when an agent joins applies while that agent stays; a later change waits for the
next agent. Per role, the idle timer runs first and the auto-disconnect timer starts only once the
participant is idle; a role with one timer starts it at once. A message or attachment from a
participant resets that participant's timers and, if they were idle, brings them back (`returned`).
An auto-disconnect removes every participant but the customer, after which the disconnect flow runs
(the ordinary path of an agent leaving). The idle, returned and auto-disconnect events go to every
participant's socket and are not kept in the transcript ("not persisted to the transcripts").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sandbox.clock import Clock
from sandbox.contacts import model as c
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Contact, Participant, Role

log = logging.getLogger(__name__)

IDLE = c.EVENT + "participant.idle"
RETURNED = c.EVENT + "participant.returned"
AUTO_DISCONNECTION = c.EVENT + "participant.autodisconnection"

IDLE_TIMER = "IDLE"
DISCONNECT_TIMER = "DISCONNECT_NONCUSTOMER"
UNSET = "Unset"
TIMER_ROLES = (Role.CUSTOMER, Role.AGENT)

# (participant role, timer type) -> minutes: one contact's configuration.
TimerConfig = dict[tuple[Role, str], int]


class TimerConfigError(ValueError):
    """A timer list the service refuses (the model checks shapes; this, what the model cannot say)."""


@dataclass(eq=False)
class _RoleTimers:
    """The running timers of one role in one chat, with the configuration applied when the agent joined."""

    participant: Participant
    idle_minutes: int | None
    disconnect_minutes: int | None
    idle: bool = False

    @property
    def timer_name(self) -> str:
        return f"participant-timer:{self.participant.role.value}"


class ParticipantTimers:
    """The stored timer configuration of each chat, and the timers running in it."""

    def __init__(self, clock: Clock, chats: Chats) -> None:
        self.clock = clock
        self.chats = chats
        self._stored: dict[str, TimerConfig] = {}
        self._running: dict[str, dict[Role, _RoleTimers]] = {}
        chats.item_posted.connect(self._on_item)
        chats.participant_left.connect(self._on_participant_left)
        chats.contact_ended.connect(self._on_ended)

    def configure(self, contact: Contact, entries: list[dict[str, Any]]) -> None:
        """Store a ParticipantTimerConfigList (already model-checked); applied when the next agent joins."""
        updates: dict[tuple[Role, str], int | None] = {}
        for entry in entries:
            key = (Role(entry["ParticipantRole"]), entry["TimerType"])
            if key in updates:
                raise TimerConfigError(f"Duplicate timer {key[0].value} {key[1]}: each role and type once")
            value = entry["TimerValue"]
            updates[key] = (
                None
                if value.get("ParticipantTimerAction") == UNSET
                else value.get("ParticipantTimerDurationInMinutes")
            )
        stored = self._stored.setdefault(contact.id, {})
        for key, minutes in updates.items():
            if minutes is None:
                stored.pop(key, None)
            else:
                stored[key] = minutes

    def stored(self, contact: Contact) -> TimerConfig:
        """The configuration the next agent to join will get (a copy)."""
        return dict(self._stored.get(contact.id, {}))

    # Chat events -------------------------------------------------------------------------------

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        participant = contact.participants.get(item.get("ParticipantId", ""))
        if participant is None or contact.ended:
            return
        if item["Type"] == "EVENT" and item["ContentType"] == c.JOINED and _is_agent_like(participant):
            self._start(contact, participant)
        elif item["Type"] in {"MESSAGE", "ATTACHMENT"}:
            self._activity(contact, participant)

    def _on_participant_left(self, contact: Contact, participant: Participant) -> None:
        if not any(_is_agent_like(p) for p in contact.active_participants()):
            self._stop(contact)

    def _on_ended(self, contact: Contact) -> None:
        self._stop(contact)
        self._stored.pop(contact.id, None)

    # Timers ------------------------------------------------------------------------------------

    def _start(self, contact: Contact, agent: Participant) -> None:
        """An agent joined: the stored configuration applies from now, timers start afresh."""
        self._stop(contact)
        config = self._stored.get(contact.id, {})
        running: dict[Role, _RoleTimers] = {}
        for role in TIMER_ROLES:
            idle, disconnect = config.get((role, IDLE_TIMER)), config.get((role, DISCONNECT_TIMER))
            if idle is None and disconnect is None:
                continue
            participant = contact.customer if role is Role.CUSTOMER else agent
            running[role] = _RoleTimers(participant, idle, disconnect)
        if running:
            self._running[contact.id] = running
            for timers in running.values():
                self._arm(contact, timers)

    def _stop(self, contact: Contact) -> None:
        for timers in self._running.pop(contact.id, {}).values():
            contact.cancel_timer(timers.timer_name)

    def _arm(self, contact: Contact, timers: _RoleTimers) -> None:
        """Schedule the role's next timer: idle first (unless already idle), then auto-disconnect."""
        if timers.idle_minutes is not None and not timers.idle:
            delay, fire = timers.idle_minutes, self._became_idle
        elif timers.disconnect_minutes is not None:
            delay, fire = timers.disconnect_minutes, self._auto_disconnect
        else:
            contact.cancel_timer(timers.timer_name)
            return
        contact.set_timer(timers.timer_name, self.clock.call_later(delay * 60, lambda: fire(contact, timers)))

    def _activity(self, contact: Contact, participant: Participant) -> None:
        timers = self._running.get(contact.id, {}).get(participant.role)
        if timers is None or timers.participant is not participant:
            return
        if timers.idle:
            timers.idle = False
            self._announce(contact, timers, RETURNED)
        self._arm(contact, timers)

    def _became_idle(self, contact: Contact, timers: _RoleTimers) -> None:
        if self._current(contact, timers):
            timers.idle = True
            self._announce(contact, timers, IDLE)
            self._arm(contact, timers)

    def _auto_disconnect(self, contact: Contact, timers: _RoleTimers) -> None:
        if not self._current(contact, timers):
            return
        log.info("contact %s: auto-disconnect after %s inactivity", contact.id, timers.participant.role.value)
        self._announce(contact, timers, AUTO_DISCONNECTION)
        self._stop(contact)
        # Leaving runs the disconnect flow once the last of them is gone (FlowEngine, Routing).
        for participant in contact.active_participants():
            if participant.role is not Role.CUSTOMER:
                self.chats.leave(participant)

    def _current(self, contact: Contact, timers: _RoleTimers) -> bool:
        running = self._running.get(contact.id, {})
        return not contact.ended and running.get(timers.participant.role) is timers

    def _announce(self, contact: Contact, timers: _RoleTimers, content_type: str) -> None:
        self.chats.post(contact, timers.participant, "EVENT", content_type, store=False)


def _is_agent_like(participant: Participant) -> bool:
    """An agent or a custom participant: what the customer's timers run against."""
    return participant.active and participant.role in {Role.AGENT, Role.CUSTOM_BOT}
