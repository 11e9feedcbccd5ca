"""Contacts, participants, tokens and transcript items: the sandbox's in-memory state.

Only the event loop thread touches this state. Item timestamps are fixed-width ISO strings with
milliseconds and strictly increase per contact, because ChatJS orders and deduplicates by comparing
them as strings.
"""

from __future__ import annotations

import secrets
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sandbox.clock import Clock, RealClock, Timer, iso_ms


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
    participant_token: str = field(default_factory=new_token)
    connection_token: str | None = None
    left: bool = False
    agent_id: str | None = None
    # ClientToken -> the response already given, so client retries are idempotent.
    answered: IdempotencyCache = field(default_factory=lambda: IdempotencyCache(RealClock()))
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


@dataclass(frozen=True)
class SocketGrant:
    """A WebSocket URL token: whose it is and until when it opens a socket."""

    participant: Participant
    expires_at: float


class ContactStore:
    """Index of contacts and the tokens that lead to their participants.

    Ended contacts stay `retention_seconds` (DescribeContact, GetTranscript, persistent chat), then
    are removed with their tokens and attachments.
    """

    def __init__(self, clock: Clock, retention_seconds: float = 86400) -> None:
        self.clock = clock
        self.retention_seconds = retention_seconds
        self.contacts: dict[str, Contact] = {}
        self.by_participant_token: dict[str, Participant] = {}
        self.by_connection_token: dict[str, Participant] = {}
        self.by_socket_token: dict[str, SocketGrant] = {}
        self._socket_expiries: deque[tuple[float, str]] = deque()
        # (instance id, ClientToken) -> (contact id, participant id, when); insertion = time order.
        self.start_tokens: OrderedDict[tuple[str, str], tuple[str, str, float]] = OrderedDict()
        self.attachments: dict[str, Attachment] = {}
        self.active_count = 0

    def add_contact(self, contact: Contact) -> None:
        """Register a new contact (it counts against the active-chats quota until it ends)."""
        self.contacts[contact.id] = contact
        self.active_count += 1

    def contact_ended(self, contact: Contact) -> None:
        """Release the quota slot of a contact that has just ended and schedule its removal."""
        self.active_count -= 1
        self.forget_socket_tokens(contact)
        self.clock.call_later(self.retention_seconds, lambda: self.remove_contact(contact))

    def remove_contact(self, contact: Contact) -> None:
        """Forget an ended contact: its tokens, attachments and idempotency entries."""
        if self.contacts.get(contact.id) is not contact:
            return
        del self.contacts[contact.id]
        for participant in contact.participants.values():
            self.by_participant_token.pop(participant.participant_token, None)
            if participant.connection_token:
                self.by_connection_token.pop(participant.connection_token, None)
            self.forget_participant_socket_tokens(participant)
        for attachment_id in contact.attachments:
            self.attachments.pop(attachment_id, None)
        for key in [k for k, v in self.start_tokens.items() if v[0] == contact.id]:
            del self.start_tokens[key]

    def add_participant(self, contact: Contact, role: Role, display_name: str) -> Participant:
        """Create a participant with its ParticipantToken."""
        participant = Participant(
            str(uuid.uuid4()), contact, role, display_name, answered=IdempotencyCache(self.clock)
        )
        contact.participants[participant.id] = participant
        self.by_participant_token[participant.participant_token] = participant
        return participant

    def add_attachment(self, attachment: Attachment) -> None:
        """Index a new attachment by id (upload/download URLs name only the id)."""
        attachment.contact.attachments[attachment.id] = attachment
        self.attachments[attachment.id] = attachment

    def connection_token_for(self, participant: Participant) -> str:
        """The participant's ConnectionToken, created on first use."""
        if participant.connection_token is None:
            participant.connection_token = new_token()
            self.by_connection_token[participant.connection_token] = participant
        return participant.connection_token

    # StartChatContact idempotency ---------------------------------------------------------------

    def _trim_start_tokens(self) -> None:
        horizon = self.clock.now() - IDEMPOTENCY_SECONDS
        while self.start_tokens and next(iter(self.start_tokens.values()))[2] <= horizon:
            self.start_tokens.popitem(last=False)

    def remember_start(self, instance_id: str, client_token: str, participant: Participant) -> None:
        """Remember the answer to a StartChatContact ClientToken for ten minutes."""
        self._trim_start_tokens()
        key = (instance_id, client_token)
        self.start_tokens[key] = (participant.contact.id, participant.id, self.clock.now())

    def started(self, instance_id: str, client_token: str) -> Participant | None:
        """The customer a recent StartChatContact with this ClientToken created."""
        self._trim_start_tokens()
        known = self.start_tokens.get((instance_id, client_token))
        contact = self.contacts.get(known[0]) if known else None
        return contact.participants.get(known[1]) if contact and known else None

    # WebSocket URL tokens -----------------------------------------------------------------------

    def socket_token_for(self, participant: Participant, expires_at: float) -> str:
        """A fresh token for a WebSocket URL, valid until `expires_at` (the ConnectionExpiry)."""
        self._trim_socket_tokens()
        token = new_token()
        self.by_socket_token[token] = SocketGrant(participant, expires_at)
        self._socket_expiries.append((expires_at, token))
        participant.socket_tokens.add(token)
        return token

    def socket_participant(self, token: str) -> Participant | None:
        """The active participant a WebSocket URL token opens a socket for, if still valid."""
        grant = self.by_socket_token.get(token)
        if grant is None:
            return None
        if grant.expires_at <= self.clock.now() or not grant.participant.active:
            self.forget_socket_token(token)
            return None
        return grant.participant

    def forget_socket_token(self, token: str) -> None:
        """Invalidate one WebSocket URL token (its socket has closed, or it expired)."""
        grant = self.by_socket_token.pop(token, None)
        if grant is not None:
            grant.participant.socket_tokens.discard(token)

    def forget_participant_socket_tokens(self, participant: Participant) -> None:
        """Invalidate every WebSocket URL token of a participant who left."""
        for token in list(participant.socket_tokens):
            self.forget_socket_token(token)

    def forget_socket_tokens(self, contact: Contact) -> None:
        """Drop the WebSocket URL tokens of an ended contact."""
        for participant in contact.participants.values():
            self.forget_participant_socket_tokens(participant)

    def _trim_socket_tokens(self) -> None:
        now = self.clock.now()
        while self._socket_expiries and self._socket_expiries[0][0] <= now:
            _, token = self._socket_expiries.popleft()
            self.forget_socket_token(token)
