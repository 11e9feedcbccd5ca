"""Runs Amazon Connect Flow language documents (the same JSON the stacks deploy) against sandbox chats.

Supported actions: MessageParticipant, UpdateContactEventHooks, UpdateContactAttributes,
CheckHoursOfOperation, UpdateContactTargetQueue, TransferContactToQueue, Wait (CustomerReturned /
WaitCompleted) and DisconnectParticipant. Any other action takes its error branch with a log line
saying so. Waits use the injectable clock.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sandbox.clock import Clock
from sandbox.contacts.chats import Chats
from sandbox.contacts.model import Contact, ContactState, Participant, Role

log = logging.getLogger(__name__)

MAX_STEPS = 500
_ATTRIBUTE_REF = re.compile(r"\$\.Attributes\.([A-Za-z0-9_-]+)")


class Queues(Protocol):
    """What the flow engine needs from routing."""

    def has_queue(self, queue_id: str) -> bool: ...

    def enqueue(self, contact: Contact, queue_id: str) -> bool: ...


@dataclass
class _Wait:
    flow_id: str
    action: dict[str, Any]
    events: tuple[str, ...]


def resource_id(reference: str) -> str:
    """The id at the end of an ARN (or the id itself)."""
    return reference.rsplit("/", 1)[-1]


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
    ) -> None:
        self.chats = chats
        self.queues = queues
        self.clock = clock
        self.flows = flows
        self.open_hours = open_hours
        self.waits: dict[str, _Wait] = {}
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
        hook = contact.event_hooks.get("CustomerRemaining")
        if hook is None:
            self.chats.end_contact(contact, "AGENT_DISCONNECT")
            return
        contact.agent_id = None
        self.start(contact, resource_id(hook))

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        wait = self.waits.get(contact.id)
        if wait is None or "CustomerReturned" not in wait.events:
            return
        if item["Type"] in {"MESSAGE", "ATTACHMENT"} and item.get("ParticipantRole") == Role.CUSTOMER.value:
            del self.waits[contact.id]
            contact.cancel_timer("wait")
            self._follow(contact, wait.flow_id, _condition(wait.action, "CustomerReturned"), wait.action)

    def _on_ended(self, contact: Contact) -> None:
        self.waits.pop(contact.id, None)

    # Execution ---------------------------------------------------------------------------------

    def start(self, contact: Contact, flow_id: str) -> None:
        """Run a flow from its StartAction until it waits, transfers or ends."""
        flow = self.flows.get(flow_id)
        if flow is None:
            log.error("contact %s: flow %s is not loaded in the sandbox; disconnecting", contact.id, flow_id)
            self.chats.end_contact(contact, "CONTACT_FLOW_ERROR")
            return
        contact.state = ContactState.IN_FLOW
        self._run(contact, flow_id, flow["StartAction"])

    def _follow(self, contact: Contact, flow_id: str, next_id: str | None, came_from: dict[str, Any]) -> None:
        if next_id is None:
            log.warning(
                "contact %s: flow %s has no branch out of %s (%s); disconnecting",
                contact.id,
                flow_id,
                came_from.get("Identifier"),
                came_from.get("Type"),
            )
            self.chats.end_contact(contact, "CONTACT_FLOW_ERROR")
            return
        self._run(contact, flow_id, next_id)

    def _run(self, contact: Contact, flow_id: str, action_id: str) -> None:
        actions = {action["Identifier"]: action for action in self.flows[flow_id]["Actions"]}
        current: str | None = action_id
        for _ in range(MAX_STEPS):
            if contact.ended or current is None:
                return
            action = actions.get(current)
            if action is None:
                log.error("contact %s: flow %s names a missing action %s", contact.id, flow_id, current)
                self.chats.end_contact(contact, "CONTACT_FLOW_ERROR")
                return
            try:
                outcome = self._execute(contact, flow_id, action)
            except FlowError as error:
                log.info(
                    "contact %s: %s in %s: %s", contact.id, error.error_type, action["Identifier"], error
                )
                branch = _error_branch(action, error.error_type)
                if branch is None:
                    self._follow(contact, flow_id, None, action)
                    return
                current = branch
                continue
            if outcome is _STOP:
                return
            if outcome is _NEXT:
                next_id = action.get("Transitions", {}).get("NextAction")
                if next_id is None:
                    if action["Type"] != "DisconnectParticipant":
                        log.info("contact %s: flow %s ended at %s", contact.id, flow_id, action["Identifier"])
                        self.chats.end_contact(contact, "CONTACT_FLOW_DISCONNECT")
                    return
                current = next_id
            else:
                current = outcome
        log.error(
            "contact %s: flow %s ran %d actions without stopping; disconnecting",
            contact.id,
            flow_id,
            MAX_STEPS,
        )
        self.chats.end_contact(contact, "CONTACT_FLOW_ERROR")

    def _execute(self, contact: Contact, flow_id: str, action: dict[str, Any]) -> Any:
        kind = action.get("Type")
        params = action.get("Parameters") or {}
        if kind == "MessageParticipant":
            text = params.get("Text")
            if not isinstance(text, str) or not text:
                raise FlowError("NoMatchingError", "MessageParticipant needs Text (chat supports Text only)")
            self.chats.post_system_message(contact, self._interpolate(contact, text))
            return _NEXT
        if kind == "UpdateContactEventHooks":
            hooks = params.get("EventHooks") or {}
            if len(hooks) != 1:
                raise FlowError("NoMatchingError", "UpdateContactEventHooks takes exactly one hook")
            contact.event_hooks.update(hooks)
            return _NEXT
        if kind == "UpdateContactAttributes":
            attributes = params.get("Attributes") or {}
            contact.attributes.update({k: self._interpolate(contact, str(v)) for k, v in attributes.items()})
            return _NEXT
        if kind == "CheckHoursOfOperation":
            branch = _condition(action, "True" if self._open_now() else "False")
            if branch is None:
                raise FlowError("NoMatchingCondition", "no branch for the hours-of-operation result")
            return branch
        if kind == "UpdateContactTargetQueue":
            queue_id = resource_id(str(params.get("QueueId", "")))
            if not self.queues.has_queue(queue_id):
                raise FlowError("NoMatchingError", f"unknown queue {queue_id}")
            contact.target_queue = queue_id
            return _NEXT
        if kind == "TransferContactToQueue":
            if contact.target_queue is None:
                raise FlowError("NoMatchingError", "no working queue is set")
            if not self.queues.enqueue(contact, contact.target_queue):
                raise FlowError("QueueAtCapacity", f"queue {contact.target_queue} is at capacity")
            return _STOP
        if kind == "Wait":
            return self._wait(contact, flow_id, action, params)
        if kind == "DisconnectParticipant":
            self.chats.end_contact(contact, "CONTACT_FLOW_DISCONNECT")
            return _STOP
        log.warning(
            "contact %s: action type %s (%s) is not supported by the sandbox; taking its error branch",
            contact.id,
            kind,
            action.get("Identifier"),
        )
        raise FlowError("NoMatchingError", f"{kind} is not supported by the sandbox")

    def _wait(self, contact: Contact, flow_id: str, action: dict[str, Any], params: dict[str, Any]) -> Any:
        try:
            seconds = int(str(params.get("TimeLimitSeconds", params.get("TimeoutSeconds"))))
        except (TypeError, ValueError) as error:
            raise FlowError("NoMatchingError", "Wait needs TimeLimitSeconds") from error
        events = tuple(params.get("Events") or ())
        self.waits[contact.id] = _Wait(flow_id, action, events)

        def completed() -> None:
            if self.waits.pop(contact.id, None) is not None and not contact.ended:
                self._follow(contact, flow_id, _condition(action, "WaitCompleted"), action)

        contact.set_timer("wait", self.clock.call_later(seconds, completed))
        return _STOP

    def _open_now(self) -> bool:
        if not self.open_hours:
            return True
        moment = datetime.fromtimestamp(self.clock.now(), tz=UTC)
        minute = moment.hour * 60 + moment.minute
        return any(day == moment.weekday() and start <= minute < end for day, start, end in self.open_hours)

    def _interpolate(self, contact: Contact, text: str) -> str:
        return _ATTRIBUTE_REF.sub(lambda match: contact.attributes.get(match.group(1), ""), text)


_NEXT = object()
_STOP = object()


def _condition(action: dict[str, Any], value: str) -> str | None:
    for condition in action.get("Transitions", {}).get("Conditions") or []:
        operands = condition.get("Condition", {}).get("Operands") or []
        if value in operands:
            return str(condition["NextAction"])
    return None


def _error_branch(action: dict[str, Any], error_type: str) -> str | None:
    errors = action.get("Transitions", {}).get("Errors") or []
    for wanted in (error_type, "NoMatchingError"):
        for error in errors:
            if error.get("ErrorType") == wanted:
                return str(error["NextAction"])
    return None
