"""The index of contacts and of the bearer tokens that lead to their participants."""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass

from sandbox.clock import Clock
from sandbox.contacts.model import (
    IDEMPOTENCY_SECONDS,
    Attachment,
    Contact,
    IdempotencyCache,
    Participant,
    Role,
    new_token,
)


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
            str(uuid.uuid4()), contact, role, display_name, IdempotencyCache(self.clock)
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
