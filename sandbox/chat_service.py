"""Chat operations shared by the Connect API, the Participant Service, flows and agents.

Everything here is synchronous and runs on the event loop: state changes, item creation with
strictly increasing timestamps, and fan-out through the WebSocket hub. Other components react
through the signals (`contact_started`, `customer_connected`, `item_posted`, `participant_left`,
`contact_ended`).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from flows import arns
from lambdas.start_chat.models import DEFAULT_CHAT_DURATION_MINUTES
from sandbox import contacts as c
from sandbox.clock import Clock, iso_ms
from sandbox.config import SandboxConfig
from sandbox.contacts import Contact, ContactState, ContactStore, Participant, Role
from sandbox.errors import (
    AccessDeniedException,
    ConflictException,
    ContactNotFoundException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceNotFoundException,
    ValidationException,
)
from sandbox.local_flows import instance_arn
from sandbox.websocket_hub import WebSocketHub

log = logging.getLogger(__name__)

MESSAGE_TYPES = (
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive.response",
)
SUPPORTED_TYPES = (
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
)
EVENT_TYPES = (c.TYPING, c.DELIVERED, c.READ, c.CONNECTION_ACK)
TEXT_LIMIT = 1024
ATTRIBUTES_LIMIT = 32768
CONNECT_DEADLINE_SECONDS = 300
WEBSOCKET_LIFETIME_SECONDS = 3600
CREDENTIALS_LIFETIME_SECONDS = 86400

T = TypeVar("T")


class Signal(Generic[T]):
    """A list of listeners; one failing listener is logged and does not stop the others."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.listeners: list[Callable[..., None]] = []

    def connect(self, listener: Callable[..., None]) -> None:
        """Add a listener."""
        self.listeners.append(listener)

    def emit(self, *args: Any) -> None:
        """Call every listener in order."""
        for listener in list(self.listeners):
            try:
                listener(*args)
            except Exception:
                log.exception("listener of %s failed", self.name)


class ChatService:
    """The chat domain: contacts, participants and items."""

    def __init__(self, config: SandboxConfig, clock: Clock, store: ContactStore, hub: WebSocketHub) -> None:
        self.config = config
        self.clock = clock
        self.store = store
        self.hub = hub
        self.known_flows: set[str] = set()
        self.contact_started: Signal[Contact] = Signal("contact_started")
        self.customer_connected: Signal[Contact] = Signal("customer_connected")
        self.item_posted: Signal[Contact] = Signal("item_posted")
        self.participant_left: Signal[Contact] = Signal("participant_left")
        self.contact_ended: Signal[Contact] = Signal("contact_ended")

    # Connect control plane -------------------------------------------------------------------

    def start_chat(self, request: dict[str, Any]) -> dict[str, Any]:
        """StartChatContact, after the body has passed model validation."""
        if request["InstanceId"] not in {self.config.instance_id, self.instance_arn}:
            raise ResourceNotFoundException(f"Instance {request['InstanceId']} not found")
        if arns.last_id(request["ContactFlowId"]) not in self.known_flows:
            raise ResourceNotFoundException(f"Contact flow {request['ContactFlowId']} not found")
        client_token = request.get("ClientToken")
        # Keyed on the instance id, so a retry naming the instance by ARN is the same request.
        if client_token and (known := self.store.started(self.config.instance_id, client_token)):
            return self._start_response(known.contact, known)
        supported = tuple(request.get("SupportedMessagingContentTypes") or ("text/plain",))
        self._check_start(request, supported)
        if self.store.active_count >= self.config.max_active_chats:
            raise LimitExceededException(
                f"The concurrent active chats quota ({self.config.max_active_chats}) has been reached"
            )
        contact_id = str(uuid.uuid4())
        contact = Contact(
            id=contact_id,
            initial_contact_id=contact_id,
            instance_id=self.config.instance_id,
            flow_id=arns.last_id(request["ContactFlowId"]),
            initiated_at=self.clock.now(),
            duration_minutes=request.get("ChatDurationInMinutes") or DEFAULT_CHAT_DURATION_MINUTES,
            supported_content_types=supported,
            attributes=dict(request.get("Attributes") or {}),
            related_contact_id=request.get("RelatedContactId"),
        )
        persistent = request.get("PersistentChat")
        if persistent:
            source = self.store.contacts[persistent["SourceContactId"]]
            contact.previous_contact_id = source.id
            if persistent["RehydrationType"] == "ENTIRE_PAST_SESSION":
                contact.past_items = source.transcript()
            else:
                contact.past_items = list(source.items)
        self.store.add_contact(contact)
        customer = self.store.add_participant(
            contact, Role.CUSTOMER, request["ParticipantDetails"]["DisplayName"]
        )
        if client_token:
            self.store.remember_start(self.config.instance_id, client_token, customer)
        contact.set_timer(
            "duration",
            self.clock.call_later(
                contact.duration_minutes * 60, lambda: self.end_contact(contact, "EXPIRED")
            ),
        )
        contact.set_timer(
            "connect-deadline",
            self.clock.call_later(CONNECT_DEADLINE_SECONDS, lambda: self._connect_deadline(contact)),
        )
        self.contact_started.emit(contact)
        initial = request.get("InitialMessage")
        if initial:
            self.post(contact, customer, "MESSAGE", initial["ContentType"], initial["Content"])
        return self._start_response(contact, customer)

    @property
    def instance_arn(self) -> str:
        """The sandbox instance's ARN."""
        return instance_arn(self.config)

    def _start_response(self, contact: Contact, customer: Participant) -> dict[str, Any]:
        response = {
            "ContactId": contact.id,
            "ParticipantId": customer.id,
            "ParticipantToken": customer.participant_token,
        }
        if contact.previous_contact_id:
            response["ContinuedFromContactId"] = contact.previous_contact_id
        return response

    def _check_start(self, request: dict[str, Any], supported: tuple[str, ...]) -> None:
        for content_type in supported:
            if content_type not in SUPPORTED_TYPES:
                raise InvalidParameterException(f"Unsupported messaging content type: {content_type}")
        if "text/plain" not in supported:
            raise InvalidParameterException("SupportedMessagingContentTypes must include text/plain")
        attributes = request.get("Attributes") or {}
        size = 0
        for key, value in attributes.items():
            if not key.replace("-", "").replace("_", "").isalnum() or not key.isascii():
                raise InvalidParameterException(f"Invalid attribute key: {key[:64]!r}")
            size += len(key.encode()) + len(value.encode())
        if size > ATTRIBUTES_LIMIT:
            raise InvalidParameterException(f"Attributes exceed {ATTRIBUTES_LIMIT} bytes")
        initial = request.get("InitialMessage")
        if initial:
            if initial["ContentType"] not in supported or initial["ContentType"] not in MESSAGE_TYPES:
                raise InvalidParameterException(
                    f"Unsupported InitialMessage content type: {initial['ContentType']}"
                )
            if initial["ContentType"].startswith("text/") and len(initial["Content"]) > TEXT_LIMIT:
                raise InvalidParameterException(
                    f"InitialMessage.Content must be at most {TEXT_LIMIT} characters"
                )
        persistent = request.get("PersistentChat")
        if persistent:
            if request.get("RelatedContactId"):
                raise InvalidRequestException("PersistentChat cannot be used with RelatedContactId")
            if not persistent.get("RehydrationType") or not persistent.get("SourceContactId"):
                raise InvalidParameterException("PersistentChat needs RehydrationType and SourceContactId")
            source = self.store.contacts.get(persistent["SourceContactId"])
            if source is None:
                raise ResourceNotFoundException(f"Contact {persistent['SourceContactId']} not found")
            if not source.ended:
                raise InvalidRequestException("The source contact of a persistent chat must have ended")

    def find_contact(self, instance_id: str, contact_id: str) -> Contact:
        """A contact of the sandbox instance, or ResourceNotFoundException."""
        if instance_id not in {self.config.instance_id, self.instance_arn}:
            raise ResourceNotFoundException(f"Instance {instance_id} not found")
        contact = self.store.contacts.get(contact_id)
        if contact is None:
            raise ResourceNotFoundException(f"Contact {contact_id} not found")
        return contact

    def stop_contact(self, instance_id: str, contact_id: str) -> None:
        """StopContact: end an active chat."""
        contact = self.find_contact(instance_id, contact_id)
        if contact.ended:
            raise ContactNotFoundException(f"Contact {contact_id} is not active")
        self.end_contact(contact, "CONTACT_STOPPED")

    def describe(self, contact: Contact) -> dict[str, Any]:
        """DescribeContact's `Contact` structure."""
        described: dict[str, Any] = {
            "Arn": arns.resource_arn(self.instance_arn, arns.CONTACT, contact.id),
            "Id": contact.id,
            "InitialContactId": contact.initial_contact_id,
            "InitiationMethod": c.INITIATION_METHOD,
            "Channel": "CHAT",
            "InitiationTimestamp": contact.initiated_at,
            "LastUpdateTimestamp": self.clock.now(),
            "Attributes": dict(contact.attributes),
        }
        if contact.previous_contact_id:
            described["PreviousContactId"] = contact.previous_contact_id
        if contact.related_contact_id:
            described["RelatedContactId"] = contact.related_contact_id
        if contact.target_queue and contact.enqueued_at is not None:
            described["QueueInfo"] = {"Id": contact.target_queue, "EnqueueTimestamp": contact.enqueued_at}
        if contact.agent_id:
            agent_info: dict[str, Any] = {"Id": contact.agent_id}
            if contact.agent_connected_at is not None:
                agent_info["ConnectedToAgentTimestamp"] = contact.agent_connected_at
            described["AgentInfo"] = agent_info
        if contact.disconnected_at is not None:
            described["DisconnectTimestamp"] = contact.disconnected_at
            described["DisconnectReason"] = contact.disconnect_reason
        return described

    # Participant Service ---------------------------------------------------------------------

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
            self.mark_connected(participant)
        return response

    def mark_connected(self, participant: Participant) -> None:
        """The customer is now reachable: announce them and start the inbound flow (once)."""
        contact = participant.contact
        if participant.role is not Role.CUSTOMER or contact.customer_connected or contact.ended:
            return
        contact.customer_connected = True
        self.post(contact, participant, "EVENT", c.JOINED)
        self.customer_connected.emit(contact)

    def send_message(self, participant: Participant, body: dict[str, Any]) -> dict[str, Any]:
        """SendMessage: store, fan out, answer with the same Id that clients see pushed."""
        known = self._answered(participant, body)
        if known is not None:
            return known
        content_type, content = body["ContentType"], body["Content"]
        contact = participant.contact
        if content_type not in MESSAGE_TYPES or content_type not in contact.supported_content_types:
            raise ValidationException(f"Unsupported content type: {content_type[:100]}")
        if content_type.startswith("text/") and len(content) > TEXT_LIMIT:
            raise ValidationException(f"Content must be at most {TEXT_LIMIT} characters for {content_type}")
        if content_type == "application/json":
            try:
                json.loads(content)
            except ValueError as error:
                raise ValidationException("Content is not valid JSON") from error
        self.mark_connected(participant)
        item = self.post(contact, participant, "MESSAGE", content_type, content)
        return self._remember(participant, body, {"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]})

    def send_event(self, participant: Participant, body: dict[str, Any]) -> dict[str, Any]:
        """SendEvent: typing, delivered/read receipts, connection acknowledgement."""
        known = self._answered(participant, body)
        if known is not None:
            return known
        content_type = body["ContentType"]
        contact = participant.contact
        if content_type not in EVENT_TYPES:
            raise ValidationException(f"Unsupported event content type: {content_type[:100]}")
        self.mark_connected(participant)
        if content_type in {c.DELIVERED, c.READ}:
            item = self._receipt(participant, content_type, body.get("Content"))
        elif content_type == c.TYPING:
            item = self.post(contact, participant, "EVENT", content_type, store=False)
        else:
            item = self.post(contact, participant, "CONNECTION_ACK", content_type, store=False)
        return self._remember(participant, body, {"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]})

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
        now = self.clock.now()
        stamp = "DeliveredTimestamp" if content_type == c.DELIVERED else "ReadTimestamp"
        receipt = {stamp: contact.next_time(now), "RecipientParticipantId": participant.id}
        message = contact.items[index]
        receipts = message.setdefault("MessageMetadata", {"MessageId": message_id, "Receipts": []})[
            "Receipts"
        ]
        existing = next((r for r in receipts if r["RecipientParticipantId"] == participant.id), None)
        if existing is None:
            receipts.append(dict(receipt))
        else:
            existing.setdefault(stamp, receipt[stamp])
        # As in Amazon Connect: the receipt is pushed as a MESSAGEMETADATA item, and GetTranscript
        # (and the S3 transcript) show it only folded into the message's MessageMetadata.
        metadata = {"MessageId": message_id, "Receipts": [receipt]}
        return self.post(
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
        self.leave(participant)

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

    def add_agent(self, contact: Contact, agent_id: str, display_name: str) -> Participant:
        """An agent who accepted the contact joins it with its own ParticipantToken."""
        agent = self.store.add_participant(contact, Role.AGENT, display_name)
        agent.agent_id = agent_id
        contact.state = ContactState.CONNECTED
        contact.agent_id = agent_id
        contact.agent_connected_at = self.clock.now()
        self.post(contact, agent, "EVENT", c.JOINED)
        return agent

    def post_system_message(self, contact: Contact, text: str) -> dict[str, Any]:
        """A message from the flow (the SYSTEM participant)."""
        return self.post(contact, None, "MESSAGE", "text/plain", text)

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

    def _connect_deadline(self, contact: Contact) -> None:
        if not contact.ended:
            log.info("contact %s: the customer did not connect within 5 minutes; ending it", contact.id)
            self.end_contact(contact, "CUSTOMER_NEVER_CONNECTED")

    # Items -------------------------------------------------------------------------------------

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
            item["DisplayName"] = c.SYSTEM_DISPLAY_NAME
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
        self.hub.publish(contact, item)
        self.item_posted.emit(contact, item)
        return item

    def _answered(self, participant: Participant, body: dict[str, Any]) -> dict[str, Any] | None:
        token = body.get("ClientToken")
        return participant.answered.get(token) if token else None

    def _remember(
        self, participant: Participant, body: dict[str, Any], response: dict[str, Any]
    ) -> dict[str, Any]:
        token = body.get("ClientToken")
        if token:
            participant.answered[token] = response
        return response
