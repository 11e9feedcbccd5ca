"""The Participant Service's own operations: connections, events and receipts, disconnecting.

Messages go through `Chats.send_message`, shared with the agents and the demo agent; what is here
belongs to the wire protocol: bearer tokens, WebSocket URLs, typing and receipts, DisconnectParticipant.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.clock import Clock, iso_ms
from sandbox.contacts import model as c
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Participant
from sandbox.contacts.store import ContactStore
from sandbox.participant import transcript_paging
from sandbox.web.errors import AccessDeniedException, ConflictException, ValidationException

EVENT_TYPES = (c.TYPING, c.DELIVERED, c.READ, c.CONNECTION_ACK)
WEBSOCKET_LIFETIME_SECONDS = 3600
CREDENTIALS_LIFETIME_SECONDS = 86400


class ParticipantBackend:
    """Participants as the Participant Service sees them: authenticated by their tokens."""

    def __init__(self, clock: Clock, store: ContactStore, chats: Chats) -> None:
        self.clock = clock
        self.store = store
        self.chats = chats

    def participant_for_connection(self, token: str | None, *, write: bool = True) -> Participant:
        """The participant behind a ConnectionToken; writes need an active participant."""
        participant = self.store.by_connection_token.get(token or "")
        if participant is None:
            raise AccessDeniedException("Invalid connection token")
        if write and not participant.active:
            raise AccessDeniedException("The participant has left the chat or the chat has ended")
        return participant

    def create_connection(self, token: str | None, body: dict[str, Any], ws_base: str) -> dict[str, Any]:
        """CreateParticipantConnection with a ParticipantToken."""
        participant = self.store.by_participant_token.get(token or "")
        if participant is None or not participant.active:
            raise AccessDeniedException(
                "Access denied: the participant token is not valid or the chat has ended"
            )
        types = body.get("Type") or []
        if not types and not body.get("ConnectParticipant"):
            raise ValidationException("Type or ConnectParticipant is required")
        now = self.clock.now()
        participant.contact.cancel_timer("connect-deadline")
        response: dict[str, Any] = {}
        if "WEBSOCKET" in types:
            # The URL works until the ConnectionExpiry given with it (whole milliseconds).
            expiry = round((now + WEBSOCKET_LIFETIME_SECONDS) * 1000) / 1000
            socket_token = self.store.socket_token_for(participant, expiry)
            response["Websocket"] = {
                "Url": f"{ws_base}/participant/websocket?token={socket_token}",
                "ConnectionExpiry": iso_ms(expiry),
            }
        if "CONNECTION_CREDENTIALS" in types:
            response["ConnectionCredentials"] = {
                "ConnectionToken": self.store.connection_token_for(participant),
                "Expiry": iso_ms(now + CREDENTIALS_LIFETIME_SECONDS),
            }
        else:
            self.store.connection_token_for(participant)
        if body.get("ConnectParticipant") or "WEBSOCKET" not in types:
            self.chats.mark_connected(participant)
        return response

    def transcript(self, participant: Participant, body: dict[str, Any]) -> dict[str, Any]:
        """GetTranscript: one page of the contact chain's items (this chat, or its past session)."""
        contact = participant.contact
        asked = body.get("ContactId")
        if asked and asked not in {contact.id, contact.initial_contact_id, contact.previous_contact_id}:
            raise AccessDeniedException("The contact is not in this participant's contact chain")
        page = transcript_paging.page(contact.transcript(), body, contact.id)
        response = {"InitialContactId": contact.initial_contact_id, "Transcript": page.items}
        if page.next_token:
            response["NextToken"] = page.next_token
        return response

    def send_event(self, participant: Participant, body: dict[str, Any]) -> dict[str, Any]:
        """SendEvent: typing, delivered/read receipts, connection acknowledgement."""
        token = body.get("ClientToken")
        known = participant.answered.get(token) if token else None
        if known is not None:
            return known
        content_type = body["ContentType"]
        contact = participant.contact
        if content_type not in EVENT_TYPES:
            raise ValidationException(f"Unsupported event content type: {content_type[:100]}")
        self.chats.mark_connected(participant)
        if content_type in {c.DELIVERED, c.READ}:
            item = self._receipt(participant, content_type, body.get("Content"))
        elif content_type == c.TYPING:
            item = self.chats.post(contact, participant, "EVENT", content_type, store=False)
        else:
            item = self.chats.post(contact, participant, "CONNECTION_ACK", content_type, store=False)
        response = {"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]}
        if token:
            participant.answered[token] = response
        return response

    def _receipt(self, participant: Participant, content_type: str, content: str | None) -> dict[str, Any]:
        contact = participant.contact
        try:
            message_id = json.loads(content or "")["messageId"]
        except (ValueError, KeyError, TypeError) as error:
            raise ValidationException('Receipt content must be JSON with a "messageId"') from error
        index = contact.item_index.get(message_id) if isinstance(message_id, str) else None
        if index is None:
            raise ValidationException("The messageId does not name a message of this chat")
        if len(contact.active_participants()) > 2:
            raise ConflictException(
                "Message receipts are not supported with more than two active participants"
            )
        stamp = "DeliveredTimestamp" if content_type == c.DELIVERED else "ReadTimestamp"
        receipt = {stamp: contact.next_time(self.clock.now()), "RecipientParticipantId": participant.id}
        receipts = contact.items[index].setdefault(
            "MessageMetadata", {"MessageId": message_id, "Receipts": []}
        )["Receipts"]
        existing = next((r for r in receipts if r["RecipientParticipantId"] == participant.id), None)
        if existing is None:
            receipts.append(dict(receipt))
        else:
            existing.setdefault(stamp, receipt[stamp])
        # As in Amazon Connect: the receipt is pushed as a MESSAGEMETADATA item, and GetTranscript
        # (and the S3 transcript) show it only folded into the message's MessageMetadata.
        metadata = {"MessageId": message_id, "Receipts": [receipt]}
        return self.chats.post(
            contact,
            None,
            "MESSAGEMETADATA",
            c.MESSAGE_METADATA,
            store=False,
            metadata=metadata,
            time=receipt[stamp],
        )

    def disconnect(self, participant: Participant, body: dict[str, Any]) -> None:
        """DisconnectParticipant: the participant leaves; a customer leaving ends the chat."""
        token = body.get("ClientToken")
        if token and token in participant.answered:
            return
        if not participant.active:
            raise AccessDeniedException("The participant has already left the chat")
        if token:
            participant.answered[token] = {}
        self.chats.leave(participant)
