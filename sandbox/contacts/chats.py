"""What happens in a chat, whoever drives it: items posted, participants joining and leaving, the end.

The Connect backend, the Participant Service backend, the flow engine, routing and the demo agent
all change chats through `Chats`. Everything here is synchronous and runs on the event loop: state
changes, item creation with strictly increasing timestamps, and fan-out through the WebSocket hub.
Other components react through the signals (`customer_connected`, `item_posted`,
`participant_left`, `contact_ended`).
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from sandbox.clock import Clock
from sandbox.contacts import model as c
from sandbox.contacts.model import Contact, ContactState, Participant, Role
from sandbox.contacts.signals import Signal
from sandbox.contacts.store import ContactStore
from sandbox.participant.websocket_hub import WebSocketHub
from sandbox.web.errors import AccessDeniedException, ValidationException
from sandbox.web.model_validation import service_model

log = logging.getLogger(__name__)

MESSAGE_TYPES = (
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive.response",
)
# How long a message may be, per content type: the Participant Service's current model (ChatContent, one
# limit for all four types). The widget's table (widget/src/limits.js) is tested against this one.
MESSAGE_LIMITS: dict[str, int] = dict.fromkeys(
    MESSAGE_TYPES, int(service_model("connectparticipant").shape_for("ChatContent").metadata["max"])
)
# A chat's transcript holds at most this much: the size of the past transcript Amazon Connect
# rehydrates for a persistent chat. Counted as content plus a fixed allowance per item.
TRANSCRIPT_MAX_BYTES = 5 * 1024 * 1024
ITEM_OVERHEAD_BYTES = 512


class Chats:
    """The chat domain shared by every service: contacts' items, participants and endings."""

    def __init__(
        self,
        clock: Clock,
        store: ContactStore,
        hub: WebSocketHub,
        transcript_max_bytes: int = TRANSCRIPT_MAX_BYTES,
    ) -> None:
        self.clock = clock
        self.store = store
        self.hub = hub
        self.transcript_max_bytes = transcript_max_bytes
        # Ids of the flows the instance has: the flow engine adds them, StartChatContact checks them.
        self.known_flows: set[str] = set()
        self.customer_connected: Signal[[Contact]] = Signal("customer_connected")
        self.item_posted: Signal[[Contact, dict[str, Any]]] = Signal("item_posted")
        self.participant_left: Signal[[Contact, Participant]] = Signal("participant_left")
        self.contact_ended: Signal[[Contact]] = Signal("contact_ended")

    # Joining -----------------------------------------------------------------------------------

    def mark_connected(self, participant: Participant) -> None:
        """The customer is now reachable: announce them and start the inbound flow (once)."""
        contact = participant.contact
        if participant.role is not Role.CUSTOMER or contact.customer_connected or contact.ended:
            return
        contact.customer_connected = True
        self.post(contact, participant, "EVENT", c.JOINED)
        self.customer_connected.emit(contact)

    def add_agent(self, contact: Contact, agent_id: str, display_name: str) -> Participant:
        """An agent who accepted the contact joins it with its own ParticipantToken."""
        agent = self.store.add_participant(contact, Role.AGENT, display_name)
        agent.agent_id = agent_id
        contact.state = ContactState.CONNECTED
        contact.agent_id = agent_id
        contact.agent_connected_at = self.clock.now()
        self.post(contact, agent, "EVENT", c.JOINED)
        return agent

    # Messages ----------------------------------------------------------------------------------

    def send_message(self, participant: Participant, body: dict[str, Any]) -> dict[str, Any]:
        """A participant's message (SendMessage, or an agent or bot speaking): check, store, fan out.

        The answer carries the same Id that clients see pushed; a repeated ClientToken gets the
        first answer again.
        """
        token = body.get("ClientToken")
        known = participant.answered.get(token) if token else None
        if known is not None:
            return known
        if not participant.active:
            raise AccessDeniedException("The participant has left the chat or the chat has ended")
        content_type, content = body["ContentType"], body["Content"]
        check_message(content_type, content, participant.contact.supported_content_types)
        self.check_room(participant.contact, len(content.encode()))
        self.mark_connected(participant)
        item = self.post(participant.contact, participant, "MESSAGE", content_type, content)
        response = {"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]}
        if token:
            participant.answered[token] = response
        return response

    def check_room(self, contact: Contact, size: int) -> None:
        """Refuse an item of `size` bytes that would take the transcript over its cap."""
        if contact.transcript_bytes + size + ITEM_OVERHEAD_BYTES > self.transcript_max_bytes:
            raise ValidationException(
                f"The chat's transcript has reached its limit of {self.transcript_max_bytes} bytes"
            )

    def post_system_message(
        self,
        contact: Contact,
        text: str,
        *,
        content_type: str = "text/plain",
        display_name: str = c.SYSTEM_DISPLAY_NAME,
    ) -> dict[str, Any]:
        """A message from the flow, or from its Lex bot (the SYSTEM participant, named ``display_name``)."""
        return self.post(contact, None, "MESSAGE", content_type, text, system_display_name=display_name)

    def post(
        self,
        contact: Contact,
        participant: Participant | None,
        item_type: str,
        content_type: str,
        content: str | None = None,
        *,
        store: bool = True,
        metadata: dict[str, Any] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        time: str | None = None,
        system_display_name: str = c.SYSTEM_DISPLAY_NAME,
    ) -> dict[str, Any]:
        """Create an item, keep it in the transcript (unless ephemeral) and push it to everyone."""
        item: dict[str, Any] = {
            "AbsoluteTime": time or contact.next_time(self.clock.now()),
            "ContentType": content_type,
            "Id": str(uuid.uuid4()),
            "Type": item_type,
        }
        if content is not None:
            item["Content"] = content
        if participant is not None:
            item["ParticipantId"] = participant.id
            item["DisplayName"] = participant.display_name
            item["ParticipantRole"] = participant.role.value
        elif item_type == "MESSAGE":
            item["ParticipantId"] = contact.system_participant_id
            item["DisplayName"] = system_display_name
            item["ParticipantRole"] = Role.SYSTEM.value
        if metadata is not None:
            item["MessageMetadata"] = metadata
        if attachments is not None:
            item["Attachments"] = attachments
        item["ContactId"] = contact.id
        item["InitialContactId"] = contact.initial_contact_id
        if store:
            contact.item_index[item["Id"]] = len(contact.items)
            contact.items.append(item)
            contact.transcript_bytes += len(content.encode()) if content else 0
            contact.transcript_bytes += ITEM_OVERHEAD_BYTES
        self.hub.publish(contact, item)
        self.item_posted.emit(contact, item)
        return item

    # Leaving and ending ------------------------------------------------------------------------

    def leave(self, participant: Participant) -> None:
        """Take a participant out of the chat and react (disconnect flow, chat end)."""
        contact = participant.contact
        if not participant.active:
            return
        self.post(contact, participant, "EVENT", c.LEFT)
        if participant.role is Role.CUSTOMER:
            # The customer still gets chat.ended: clients wait for it after disconnecting.
            self.end_contact(contact, "CUSTOMER_DISCONNECT")
            participant.left = True
            return
        participant.left = True
        self.store.forget_participant_socket_tokens(participant)
        self.hub.close_participant(participant)
        self.participant_left.emit(contact, participant)

    def end_contact(self, contact: Contact, reason: str) -> None:
        """End the chat: push chat.ended, close sockets, release the quota, notify listeners."""
        if contact.ended:
            return
        self.post(contact, None, "EVENT", c.CHAT_ENDED)
        contact.state = ContactState.ENDED
        contact.disconnected_at = self.clock.now()
        contact.disconnect_reason = reason
        for name in list(contact.timers):
            contact.cancel_timer(name)
        for participant in contact.participants.values():
            self.hub.close_participant(participant)
        self.store.contact_ended(contact)
        self.contact_ended.emit(contact)


def check_message(content_type: str, content: str, supported: tuple[str, ...]) -> None:
    """Refuse a message the chat does not support: its content type, length, or malformed JSON."""
    if content_type not in MESSAGE_TYPES or content_type not in supported:
        raise ValidationException(f"Unsupported content type: {content_type[:100]}")
    if len(content) > MESSAGE_LIMITS[content_type]:
        limit = MESSAGE_LIMITS[content_type]
        raise ValidationException(f"Content must be at most {limit} characters for {content_type}")
    if content_type == "application/json":
        try:
            json.loads(content)
        except ValueError as error:
            raise ValidationException("Content is not valid JSON") from error
