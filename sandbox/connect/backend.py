"""The Connect control plane's chat operations: StartChatContact, StopContact, DescribeContact and
UpdateParticipantRoleConfig."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flows import arns
from lambdas.start_chat.models import DEFAULT_CHAT_DURATION_MINUTES
from sandbox.clock import Clock
from sandbox.config import SandboxConfig
from sandbox.contacts.chats import MESSAGE_LIMITS, MESSAGE_TYPES, Chats
from sandbox.contacts.model import INITIATION_METHOD, Contact, Participant, Role
from sandbox.contacts.participant_timers import ParticipantTimers, TimerConfigError
from sandbox.contacts.signals import Signal
from sandbox.contacts.store import ContactStore
from sandbox.flow_runtime.local_flows import instance_arn
from sandbox.web.errors import (
    ContactNotFoundException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceNotFoundException,
)

log = logging.getLogger(__name__)

SUPPORTED_TYPES = (
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
)
ATTRIBUTES_LIMIT = 32768
CONNECT_DEADLINE_SECONDS = 300


class ConnectBackend:
    """The sandbox's one Connect instance and the chat contacts it starts and stops."""

    def __init__(
        self,
        config: SandboxConfig,
        clock: Clock,
        store: ContactStore,
        chats: Chats,
        participant_timers: ParticipantTimers,
    ) -> None:
        self.config = config
        self.clock = clock
        self.store = store
        self.chats = chats
        self.participant_timers = participant_timers
        self.contact_started: Signal[[Contact]] = Signal("contact_started")

    @property
    def instance_arn(self) -> str:
        """The sandbox instance's ARN."""
        return instance_arn(self.config)

    def start_chat(self, request: dict[str, Any]) -> dict[str, Any]:
        """StartChatContact, after the body has passed model validation."""
        self._check_instance(request["InstanceId"])
        if arns.last_id(request["ContactFlowId"]) not in self.chats.known_flows:
            raise ResourceNotFoundException(f"Contact flow {request['ContactFlowId']} not found")
        client_token = request.get("ClientToken")
        # Keyed on the instance id, so a retry naming the instance by ARN is the same request.
        if client_token and (known := self.store.started(self.config.instance_id, client_token)):
            return _start_response(known.contact, known)
        supported = tuple(request.get("SupportedMessagingContentTypes") or ("text/plain",))
        _check_types(supported)
        _check_attributes(request.get("Attributes") or {})
        _check_initial_message(request.get("InitialMessage"), supported)
        self._check_persistent(request)
        if self.store.active_count >= self.config.max_active_chats:
            raise LimitExceededException(
                f"The concurrent active chats quota ({self.config.max_active_chats}) has been reached"
            )
        contact = self._new_contact(request, supported)
        self.store.add_contact(contact)
        customer = self.store.add_participant(
            contact, Role.CUSTOMER, request["ParticipantDetails"]["DisplayName"]
        )
        if client_token:
            self.store.remember_start(self.config.instance_id, client_token, customer)
        self._set_deadlines(contact)
        self.contact_started.emit(contact)
        initial = request.get("InitialMessage")
        if initial:
            self.chats.post(contact, customer, "MESSAGE", initial["ContentType"], initial["Content"])
        return _start_response(contact, customer)

    def find_contact(self, instance_id: str, contact_id: str) -> Contact:
        """A contact of the sandbox instance, or ResourceNotFoundException."""
        self._check_instance(instance_id)
        contact = self.store.contacts.get(contact_id)
        if contact is None:
            raise ResourceNotFoundException(f"Contact {contact_id} not found")
        return contact

    def stop_contact(self, instance_id: str, contact_id: str) -> None:
        """StopContact: end an active chat."""
        contact = self.find_contact(instance_id, contact_id)
        if contact.ended:
            raise ContactNotFoundException(f"Contact {contact_id} is not active")
        self.chats.end_contact(contact, "CONTACT_STOPPED")

    def update_participant_role_config(
        self, instance_id: str, contact_id: str, channel_configuration: dict[str, Any]
    ) -> None:
        """UpdateParticipantRoleConfig (body model-checked): store chat timers for the next agent to join."""
        contact = self.find_contact(instance_id, contact_id)
        if contact.ended:
            raise InvalidRequestException(f"Contact {contact_id} is not active")
        chat = channel_configuration.get("Chat")
        if chat is None:
            raise InvalidParameterException("ChannelConfiguration.Chat is required for a chat contact")
        try:
            self.participant_timers.configure(contact, chat["ParticipantTimerConfigList"])
        except TimerConfigError as error:
            raise InvalidParameterException(str(error)) from None

    def describe(self, contact: Contact) -> dict[str, Any]:
        """DescribeContact's `Contact` structure."""
        described: dict[str, Any] = {
            "Arn": arns.resource_arn(self.instance_arn, arns.CONTACT, contact.id),
            "Id": contact.id,
            "InitialContactId": contact.initial_contact_id,
            "InitiationMethod": INITIATION_METHOD,
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

    def _check_instance(self, instance_id: str) -> None:
        if instance_id not in {self.config.instance_id, self.instance_arn}:
            raise ResourceNotFoundException(f"Instance {instance_id} not found")

    def _check_persistent(self, request: dict[str, Any]) -> None:
        persistent = request.get("PersistentChat")
        if not persistent:
            return
        if request.get("RelatedContactId"):
            raise InvalidRequestException("PersistentChat cannot be used with RelatedContactId")
        if not persistent.get("RehydrationType") or not persistent.get("SourceContactId"):
            raise InvalidParameterException("PersistentChat needs RehydrationType and SourceContactId")
        source = self.store.contacts.get(persistent["SourceContactId"])
        if source is None:
            raise ResourceNotFoundException(f"Contact {persistent['SourceContactId']} not found")
        if not source.ended:
            raise InvalidRequestException("The source contact of a persistent chat must have ended")

    def _new_contact(self, request: dict[str, Any], supported: tuple[str, ...]) -> Contact:
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
        return contact

    def _set_deadlines(self, contact: Contact) -> None:
        """The chat-duration limit, and the time the customer has to connect at all."""
        contact.set_timer(
            "duration",
            self.clock.call_later(
                contact.duration_minutes * 60, lambda: self.chats.end_contact(contact, "EXPIRED")
            ),
        )
        contact.set_timer(
            "connect-deadline",
            self.clock.call_later(CONNECT_DEADLINE_SECONDS, lambda: self._connect_deadline(contact)),
        )

    def _connect_deadline(self, contact: Contact) -> None:
        if not contact.ended:
            log.info("contact %s: the customer did not connect within 5 minutes; ending it", contact.id)
            self.chats.end_contact(contact, "CUSTOMER_NEVER_CONNECTED")


def _start_response(contact: Contact, customer: Participant) -> dict[str, Any]:
    response = {
        "ContactId": contact.id,
        "ParticipantId": customer.id,
        "ParticipantToken": customer.participant_token,
    }
    if contact.previous_contact_id:
        response["ContinuedFromContactId"] = contact.previous_contact_id
    return response


def _check_types(supported: tuple[str, ...]) -> None:
    for content_type in supported:
        if content_type not in SUPPORTED_TYPES:
            raise InvalidParameterException(f"Unsupported messaging content type: {content_type}")
    if "text/plain" not in supported:
        raise InvalidParameterException("SupportedMessagingContentTypes must include text/plain")


def _check_initial_message(initial: dict[str, str] | None, supported: tuple[str, ...]) -> None:
    if not initial:
        return
    if initial["ContentType"] not in supported or initial["ContentType"] not in MESSAGE_TYPES:
        raise InvalidParameterException(f"Unsupported InitialMessage content type: {initial['ContentType']}")
    limit = MESSAGE_LIMITS[initial["ContentType"]]
    if len(initial["Content"]) > limit:
        raise InvalidParameterException(f"InitialMessage.Content must be at most {limit} characters")


def _check_attributes(attributes: dict[str, str]) -> None:
    size = 0
    for key, value in attributes.items():
        if not key.replace("-", "").replace("_", "").isalnum() or not key.isascii():
            raise InvalidParameterException(f"Invalid attribute key: {key[:64]!r}")
        size += len(key.encode()) + len(value.encode())
    if size > ATTRIBUTES_LIMIT:
        raise InvalidParameterException(f"Attributes exceed {ATTRIBUTES_LIMIT} bytes")
