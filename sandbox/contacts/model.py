"""Contacts, participants, attachments and transcript items: the sandbox's in-memory chat state.

Changes happen on the event loop only (tests reach it through `BackgroundServer.run`), so nothing
here locks. Item timestamps are fixed-width ISO strings with
milliseconds and strictly increase per contact, because ChatJS orders and deduplicates by comparing
them as strings.
"""

from __future__ import annotations

import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sandbox.clock import Clock, Timer, iso_ms


class Role(StrEnum):
    """Participant roles as the Participant Service names them."""

    CUSTOMER = "CUSTOMER"
    AGENT = "AGENT"
    SYSTEM = "SYSTEM"
    CUSTOM_BOT = "CUSTOM_BOT"


class ContactState(StrEnum):
    """Where a chat contact is in its life."""

    INITIATED = "INITIATED"  # started, customer not connected yet
    IN_FLOW = "IN_FLOW"  # a flow is running or waiting
    QUEUED = "QUEUED"
    CONNECTED = "CONNECTED"  # an agent has joined
    ENDED = "ENDED"


EVENT = "application/vnd.amazonaws.connect.event."
TYPING = EVENT + "typing"
DELIVERED = EVENT + "message.delivered"
READ = EVENT + "message.read"
CONNECTION_ACK = EVENT + "connection.acknowledged"
JOINED = EVENT + "participant.joined"
LEFT = EVENT + "participant.left"
CHAT_ENDED = EVENT + "chat.ended"
MESSAGE_METADATA = EVENT + "message.metadata"
SYSTEM_DISPLAY_NAME = "SYSTEM_MESSAGE"
# A Lex bot's messages: also the SYSTEM participant, under this name (README, Triage bot).
BOT_DISPLAY_NAME = "BOT"
# Chats reach the sandbox only through StartChatContact, as they reach Connect from a website.
INITIATION_METHOD = "API"


# Client retries come within seconds; ten minutes of ClientTokens make them idempotent while a
# chatty participant (typing events, receipts) cannot grow the cache without bound.
IDEMPOTENCY_SECONDS = 600
IDEMPOTENCY_MAX_ENTRIES = 1000


def new_token() -> str:
    """An unguessable bearer token."""
    return secrets.token_urlsafe(48)


class IdempotencyCache:
    """ClientToken -> the answer already given, kept for `ttl` seconds of the clock, at most `limit`."""

    def __init__(
        self, clock: Clock, ttl: float = IDEMPOTENCY_SECONDS, limit: int = IDEMPOTENCY_MAX_ENTRIES
    ) -> None:
        self.clock = clock
        self.ttl = ttl
        self.limit = limit
        self._entries: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    def _trim(self) -> None:
        horizon = self.clock.now() - self.ttl
        while self._entries and (
            len(self._entries) > self.limit or next(iter(self._entries.values()))[0] <= horizon
        ):
            self._entries.popitem(last=False)

    def get(self, token: str) -> dict[str, Any] | None:
        """The answer remembered for `token`, if it is still remembered."""
        self._trim()
        entry = self._entries.get(token)
        return entry[1] if entry is not None else None

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and self.get(token) is not None

    def __setitem__(self, token: str, response: dict[str, Any]) -> None:
        self._entries.pop(token, None)
        self._entries[token] = (self.clock.now(), response)
        self._trim()

    def __len__(self) -> int:
        self._trim()
        return len(self._entries)


@dataclass(eq=False)
class Participant:
    """One participant of a contact, with its bearer tokens."""

    id: str
    contact: Contact
    role: Role
    display_name: str
    # ClientToken -> the response already given, so client retries are idempotent.
    answered: IdempotencyCache
    participant_token: str = field(default_factory=new_token)
    connection_token: str | None = None
    left: bool = False
    agent_id: str | None = None
    # Tokens of the WebSocket URLs handed out and not yet used up.
    socket_tokens: set[str] = field(default_factory=set)

    @property
    def active(self) -> bool:
        """Still in the chat."""
        return not self.left and not self.contact.ended


@dataclass(eq=False)
class Attachment:
    """An attachment from StartAttachmentUpload until it is in the transcript."""

    id: str
    contact: Contact
    participant: Participant
    name: str
    content_type: str
    size: int
    upload_token: str = field(default_factory=new_token)
    uploaded: bool = False
    completed: bool = False
    # The scanner's verdict (APPROVED without a scanner); a REJECTED file is never offered for download.
    status: str = "APPROVED"

    @property
    def key(self) -> str:
        """The object key under the attachments prefix."""
        return f"{self.contact.id}/{self.id}"


@dataclass(eq=False)
class Contact:
    """A chat contact: participants, transcript and flow/routing state."""

    id: str
    initial_contact_id: str
    instance_id: str
    flow_id: str
    initiated_at: float
    duration_minutes: int
    supported_content_types: tuple[str, ...]
    attributes: dict[str, str] = field(default_factory=dict)
    previous_contact_id: str | None = None
    related_contact_id: str | None = None
    state: ContactState = ContactState.INITIATED
    participants: dict[str, Participant] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    # Approximate size of `items` (see Chats.check_room), kept as they are added.
    transcript_bytes: int = 0
    item_index: dict[str, int] = field(default_factory=dict)
    past_items: list[dict[str, Any]] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    event_hooks: dict[str, str] = field(default_factory=dict)
    target_queue: str | None = None
    enqueued_at: float | None = None
    agent_id: str | None = None
    agent_connected_at: float | None = None
    customer_connected: bool = False
    disconnected_at: float | None = None
    disconnect_reason: str | None = None
    system_participant_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timers: dict[str, Timer] = field(default_factory=dict)
    last_ms: int = 0

    @property
    def ended(self) -> bool:
        """The chat is over; only reads are allowed."""
        return self.state is ContactState.ENDED

    @property
    def customer(self) -> Participant:
        """The participant who started the chat."""
        return next(p for p in self.participants.values() if p.role is Role.CUSTOMER)

    def active_participants(self) -> list[Participant]:
        """Participants still in the chat."""
        return [p for p in self.participants.values() if p.active]

    def transcript(self) -> list[dict[str, Any]]:
        """Past-session items (persistent chat) then this contact's items, oldest first."""
        return self.past_items + self.items if self.past_items else self.items

    def next_time(self, now: float) -> str:
        """A timestamp for a new item, strictly later than every earlier one of this contact."""
        self.last_ms = max(int(now * 1000), self.last_ms + 1)
        return iso_ms(self.last_ms / 1000)

    def set_timer(self, name: str, timer: Timer) -> None:
        """Keep one timer per purpose, replacing (and cancelling) an earlier one."""
        self.cancel_timer(name)
        self.timers[name] = timer

    def cancel_timer(self, name: str) -> None:
        """Cancel the named timer if it is pending."""
        timer = self.timers.pop(name, None)
        if timer is not None:
            timer.cancel()
