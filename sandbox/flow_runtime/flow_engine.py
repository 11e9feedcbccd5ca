"""Runs Amazon Connect Flow language documents (the same JSON the stacks deploy) against sandbox chats.

Supported actions: MessageParticipant, UpdateContactEventHooks, UpdateContactAttributes,
CheckHoursOfOperation, UpdateContactTargetQueue, TransferContactToQueue, Wait (CustomerReturned /
WaitCompleted), DisconnectParticipant and ConnectParticipantWithLexBot (with the sandbox's own bots,
``sandbox.bot_runtime``). Any other action takes its error branch with a log line
saying so. Waits use the injectable clock.

The flow language itself (action, parameter and result names, how branches are followed, how long
a Wait waits) comes from `flows/`, so the engine reads a document exactly as the validator does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from flows import arns, transitions
from flows.document import (
    ATTRIBUTE_REFERENCE,
    ATTRIBUTES,
    CHECK_HOURS_OF_OPERATION,
    CONNECT_PARTICIPANT_WITH_LEX_BOT,
    CUSTOMER_REMAINING,
    CUSTOMER_RETURNED,
    DISCONNECT_PARTICIPANT,
    EVENT_HOOKS,
    EVENTS,
    IDENTIFIER,
    IN_HOURS,
    LEX_SESSION_ATTRIBUTE_REFERENCE,
    MESSAGE_PARTICIPANT,
    NO_MATCHING_CONDITION,
    NO_MATCHING_ERROR,
    OUT_OF_HOURS,
    PARAMETERS,
    QUEUE_AT_CAPACITY,
    QUEUE_ID,
    TEXT,
    TIME_LIMIT_SECONDS,
    TRANSFER_CONTACT_TO_QUEUE,
    TYPE,
    UPDATE_CONTACT_ATTRIBUTES,
    UPDATE_CONTACT_EVENT_HOOKS,
    UPDATE_CONTACT_TARGET_QUEUE,
    WAIT,
    WAIT_COMPLETED,
    Action,
)
from flows.wait_time import WaitTimeError, wait_seconds
from sandbox.bot_runtime.chat_bots import BotResult, ChatBots
from sandbox.clock import Clock
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Contact, ContactState, Participant, Role

log = logging.getLogger(__name__)

MAX_STEPS = 500

# Disconnect reasons, as DescribeContact reports them.
_AGENT_DISCONNECT = "AGENT_DISCONNECT"
_FLOW_DISCONNECT = "CONTACT_FLOW_DISCONNECT"
_FLOW_ERROR = "CONTACT_FLOW_ERROR"


class Queues(Protocol):
    """What the flow engine needs from routing."""

    def has_queue(self, queue_id: str) -> bool: ...

    def enqueue(self, contact: Contact, queue_id: str) -> bool: ...


@dataclass(frozen=True)
class _At:
    """The action being run, and the flow it belongs to."""

    flow_id: str
    action: Action


@dataclass(frozen=True)
class _Wait:
    at: _At
    events: tuple[str, ...]


class _Done(Enum):
    """How an action ends when its result does not pick a condition branch."""

    NEXT = "next"  # success: take NextAction
    STOP = "stop"  # the contact left the flow, or waits: nothing more runs now


# A step returns _Done, or the action's result (a str) that selects one of its conditions.
_Outcome = _Done | str
_Step = Callable[[Contact, dict[str, Any], _At], _Outcome]


class FlowError(Exception):
    """An action failed with a flow error type (it takes the matching error branch)."""

    def __init__(self, error_type: str, reason: str) -> None:
        super().__init__(reason)
        self.error_type = error_type


class FlowEngine:
    """Executes flows for contacts; one flow at a time per contact."""

    def __init__(
        self,
        chats: Chats,
        queues: Queues,
        clock: Clock,
        flows: dict[str, dict[str, Any]],
        open_hours: tuple[tuple[int, int, int], ...] = (),
        bots: ChatBots | None = None,
        time_zone: str = "UTC",
    ) -> None:
        self.chats = chats
        self.bots = bots
        # What each contact's last Lex block ended with ($.Lex.SessionAttributes.NAME).
        self.lex_attributes: dict[str, dict[str, str]] = {}
        self.queues = queues
        self.clock = clock
        self.flows = flows
        self.open_hours = open_hours
        self.time_zone = ZoneInfo(time_zone)
        self.waits: dict[str, _Wait] = {}
        self._steps: Mapping[str, _Step] = {
            MESSAGE_PARTICIPANT: self._message,
            UPDATE_CONTACT_EVENT_HOOKS: self._set_event_hook,
            UPDATE_CONTACT_ATTRIBUTES: self._set_attributes,
            CHECK_HOURS_OF_OPERATION: self._check_hours,
            UPDATE_CONTACT_TARGET_QUEUE: self._set_target_queue,
            TRANSFER_CONTACT_TO_QUEUE: self._transfer_to_queue,
            WAIT: self._wait,
            DISCONNECT_PARTICIPANT: self._disconnect,
            CONNECT_PARTICIPANT_WITH_LEX_BOT: self._lex_bot,
        }
        chats.known_flows.update(flows)
        chats.customer_connected.connect(self._on_customer_connected)
        chats.participant_left.connect(self._on_participant_left)
        chats.item_posted.connect(self._on_item)
        chats.contact_ended.connect(self._on_ended)

    # Triggers ----------------------------------------------------------------------------------

    def _on_customer_connected(self, contact: Contact) -> None:
        self.start(contact, contact.flow_id)

    def _on_participant_left(self, contact: Contact, participant: Participant) -> None:
        if contact.ended or participant.role is Role.CUSTOMER:
            return
        remaining = contact.active_participants()
        if any(p.role is not Role.CUSTOMER for p in remaining):
            return
        hook = contact.event_hooks.get(CUSTOMER_REMAINING)
        if hook is None:
            self.chats.end_contact(contact, _AGENT_DISCONNECT)
            return
        contact.agent_id = None
        self.start(contact, arns.last_id(hook))

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        wait = self.waits.get(contact.id)
        if wait is None or CUSTOMER_RETURNED not in wait.events:
            return
        if item["Type"] in {"MESSAGE", "ATTACHMENT"} and item.get("ParticipantRole") == Role.CUSTOMER.value:
            del self.waits[contact.id]
            contact.cancel_timer("wait")
            self._follow(contact, wait.at, transitions.condition_branch(wait.at.action, CUSTOMER_RETURNED))

    def _on_ended(self, contact: Contact) -> None:
        self.waits.pop(contact.id, None)
        self.lex_attributes.pop(contact.id, None)

    # Execution ---------------------------------------------------------------------------------

    def start(self, contact: Contact, flow_id: str) -> None:
        """Run a flow from its StartAction until it waits, transfers or ends."""
        flow = self.flows.get(flow_id)
        if flow is None:
            log.error("contact %s: flow %s is not loaded in the sandbox; disconnecting", contact.id, flow_id)
            self.chats.end_contact(contact, _FLOW_ERROR)
            return
        first = transitions.start_action(flow)
        if first is None:
            log.error("contact %s: flow %s has no StartAction; disconnecting", contact.id, flow_id)
            self.chats.end_contact(contact, _FLOW_ERROR)
            return
        contact.state = ContactState.IN_FLOW
        self._run(contact, flow_id, first)

    def _follow(self, contact: Contact, came_from: _At, next_id: str | None) -> None:
        """Continue a flow on a branch found after the action returned (a Wait's outcome)."""
        if next_id is None:
            self._no_branch(contact, came_from)
            return
        self._run(contact, came_from.flow_id, next_id)

    def _no_branch(self, contact: Contact, at: _At) -> None:
        log.warning(
            "contact %s: flow %s has no branch out of %s (%s); disconnecting",
            contact.id,
            at.flow_id,
            at.action.get(IDENTIFIER),
            at.action.get(TYPE),
        )
        self.chats.end_contact(contact, _FLOW_ERROR)

    def _run(self, contact: Contact, flow_id: str, action_id: str) -> None:
        actions = transitions.actions_by_id(self.flows[flow_id])
        current: str | None = action_id
        for _ in range(MAX_STEPS):
            if contact.ended or current is None:
                return
            action = actions.get(current)
            if action is None:
                log.error("contact %s: flow %s names a missing action %s", contact.id, flow_id, current)
                self.chats.end_contact(contact, _FLOW_ERROR)
                return
            current = self._step(contact, _At(flow_id, action))
        log.error(
            "contact %s: flow %s ran %d actions without stopping; disconnecting",
            contact.id,
            flow_id,
            MAX_STEPS,
        )
        self.chats.end_contact(contact, _FLOW_ERROR)

    def _step(self, contact: Contact, at: _At) -> str | None:
        """Run one action: the Identifier of the action to run next, or None when this run stops."""
        try:
            outcome = self._execute(contact, at)
            if isinstance(outcome, str):
                branch = transitions.condition_branch(at.action, outcome)
                if branch is None:
                    raise FlowError(NO_MATCHING_CONDITION, f"no branch for the result {outcome!r}")
                return branch
        except FlowError as error:
            log.info(
                "contact %s: %s in %s: %s", contact.id, error.error_type, at.action.get(IDENTIFIER), error
            )
            branch = transitions.on_error(at.action, error.error_type)
            if branch is None:
                self._no_branch(contact, at)
            return branch
        if outcome is _Done.STOP:
            return None
        next_id = transitions.next_action(at.action)
        if next_id is None:
            log.info("contact %s: flow %s ended at %s", contact.id, at.flow_id, at.action.get(IDENTIFIER))
            self.chats.end_contact(contact, _FLOW_DISCONNECT)
        return next_id

    def _execute(self, contact: Contact, at: _At) -> _Outcome:
        kind = at.action.get(TYPE)
        step = self._steps.get(kind) if isinstance(kind, str) else None
        if step is None:
            log.warning(
                "contact %s: action type %s (%s) is not supported by the sandbox; taking its error branch",
                contact.id,
                kind,
                at.action.get(IDENTIFIER),
            )
            raise FlowError(NO_MATCHING_ERROR, f"{kind} is not supported by the sandbox")
        parameters = at.action.get(PARAMETERS)
        return step(contact, parameters if isinstance(parameters, dict) else {}, at)

    # Actions -----------------------------------------------------------------------------------

    def _message(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        text = params.get(TEXT)
        if not isinstance(text, str) or not text:
            raise FlowError(
                NO_MATCHING_ERROR, f"{MESSAGE_PARTICIPANT} needs {TEXT} (chat supports {TEXT} only)"
            )
        self.chats.post_system_message(contact, self._interpolate(contact, text))
        return _Done.NEXT

    def _set_event_hook(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        hooks = params.get(EVENT_HOOKS) or {}
        if not isinstance(hooks, dict) or len(hooks) != 1:
            raise FlowError(NO_MATCHING_ERROR, f"{UPDATE_CONTACT_EVENT_HOOKS} takes exactly one hook")
        contact.event_hooks.update(hooks)
        return _Done.NEXT

    def _set_attributes(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        attributes = params.get(ATTRIBUTES)
        if not isinstance(attributes, dict):
            raise FlowError(NO_MATCHING_ERROR, f"{UPDATE_CONTACT_ATTRIBUTES} needs {ATTRIBUTES}")
        contact.attributes.update({k: self._resolve(contact, str(v)) for k, v in attributes.items()})
        return _Done.NEXT

    def _check_hours(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        return IN_HOURS if self._open_now() else OUT_OF_HOURS

    def _set_target_queue(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        queue_id = arns.last_id(str(params.get(QUEUE_ID, "")))
        if not self.queues.has_queue(queue_id):
            raise FlowError(NO_MATCHING_ERROR, f"unknown queue {queue_id}")
        contact.target_queue = queue_id
        return _Done.NEXT

    def _transfer_to_queue(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        if contact.target_queue is None:
            raise FlowError(NO_MATCHING_ERROR, "no working queue is set")
        if not self.queues.enqueue(contact, contact.target_queue):
            raise FlowError(QUEUE_AT_CAPACITY, f"queue {contact.target_queue} is at capacity")
        return _Done.STOP

    def _wait(self, contact: Contact, params: dict[str, Any], at: _At) -> _Outcome:
        try:
            seconds = wait_seconds(params)
        except WaitTimeError as error:
            raise FlowError(NO_MATCHING_ERROR, str(error)) from error
        if seconds is None:
            raise FlowError(
                NO_MATCHING_ERROR, f"the sandbox does not resolve references in {TIME_LIMIT_SECONDS}"
            )
        events = params.get(EVENTS)
        listed = tuple(e for e in events if isinstance(e, str)) if isinstance(events, list) else ()
        self.waits[contact.id] = _Wait(at, listed)

        def completed() -> None:
            if self.waits.pop(contact.id, None) is not None and not contact.ended:
                self._follow(contact, at, transitions.condition_branch(at.action, WAIT_COMPLETED))

        contact.set_timer("wait", self.clock.call_later(seconds, completed))
        return _Done.STOP

    def _lex_bot(self, contact: Contact, params: dict[str, Any], at: _At) -> _Outcome:
        if self.bots is None or not self.bots.start(
            contact, params, lambda result: self._after_bot(contact, at, result)
        ):
            raise FlowError(NO_MATCHING_ERROR, "the sandbox runs no bot with that alias ARN")
        return _Done.STOP

    def _after_bot(self, contact: Contact, at: _At, result: BotResult) -> None:
        """The bot ended: branch on its intent (no such branch: NoMatchingCondition), or on its error."""
        self.lex_attributes[contact.id] = dict(result.session_attributes)
        if result.intent is not None:
            branch = transitions.condition_branch(at.action, result.intent)
            if branch is None:
                branch = transitions.on_error(at.action, NO_MATCHING_CONDITION)
        else:
            branch = transitions.on_error(at.action, result.error or NO_MATCHING_ERROR)
        self._follow(contact, at, branch)

    def _disconnect(self, contact: Contact, params: dict[str, Any], _: _At) -> _Outcome:
        self.chats.end_contact(contact, _FLOW_DISCONNECT)
        return _Done.STOP

    # Helpers -----------------------------------------------------------------------------------

    def _open_now(self) -> bool:
        if not self.open_hours:
            return True
        moment = datetime.fromtimestamp(self.clock.now(), tz=self.time_zone)
        minute, weekday = moment.hour * 60 + moment.minute, moment.weekday()
        for day, start, end in self.open_hours:
            # Connect's hours may run past midnight: an end before the start is the next day's.
            close = end if end >= start else end + 1440
            if (day == weekday and start <= minute < close) or (
                day == (weekday - 1) % 7 and minute + 1440 < close
            ):
                return True
        return False

    def _resolve(self, contact: Contact, value: str) -> str:
        """An attribute value: "$.Lex.SessionAttributes.NAME" is what the last bot ended with."""
        lex = LEX_SESSION_ATTRIBUTE_REFERENCE.fullmatch(value)
        if lex is not None:
            return self.lex_attributes.get(contact.id, {}).get(lex.group(1), "")
        return self._interpolate(contact, value)

    def _interpolate(self, contact: Contact, text: str) -> str:
        return ATTRIBUTE_REFERENCE.sub(lambda match: contact.attributes.get(match.group(1), ""), text)
