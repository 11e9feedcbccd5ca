"""Constructors for the flow-language actions the chat flows are made of.

Each function returns one action dict with every branch the action type can take,
so a builder cannot forget an error path: the caller must name a target for each.
"""

from __future__ import annotations

from flows.document import (
    CHECK_HOURS_OF_OPERATION,
    CONNECT_PARTICIPANT_WITH_LEX_BOT,
    CUSTOMER_RETURNED,
    DISCONNECT_PARTICIPANT,
    EQUALS,
    FLOW_LANGUAGE_VERSION,
    IN_HOURS,
    INPUT_TIME_LIMIT_EXCEEDED,
    MESSAGE_PARTICIPANT,
    NO_MATCHING_CONDITION,
    NO_MATCHING_ERROR,
    OUT_OF_HOURS,
    QUEUE_AT_CAPACITY,
    TRANSFER_CONTACT_TO_QUEUE,
    UPDATE_CONTACT_EVENT_HOOKS,
    UPDATE_CONTACT_TARGET_QUEUE,
    WAIT,
    WAIT_COMPLETED,
    Action,
    FlowDocument,
)

# Console layout: blocks placed on a grid in document order, so an imported flow
# does not open with every block stacked on the same spot.
_GRID_COLUMNS = 4
_GRID_X = 280
_GRID_Y = 240
_GRID_ORIGIN = 40


def _on_error(error_type: str, target: str) -> dict[str, str]:
    return {"NextAction": target, "ErrorType": error_type}


def _when(operand: str, target: str) -> dict[str, object]:
    return {"NextAction": target, "Condition": {"Operator": EQUALS, "Operands": [operand]}}


def send_message(identifier: str, text: str, *, then: str, on_error: str) -> Action:
    """A MessageParticipant action that sends ``text`` to the customer."""
    return {
        "Identifier": identifier,
        "Type": MESSAGE_PARTICIPANT,
        "Parameters": {"Text": text},
        "Transitions": {"NextAction": then, "Errors": [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def set_event_hook(identifier: str, hook: str, flow_arn: str, *, then: str, on_error: str) -> Action:
    """An UpdateContactEventHooks action that sets exactly one hook to a flow."""
    return {
        "Identifier": identifier,
        "Type": UPDATE_CONTACT_EVENT_HOOKS,
        "Parameters": {"EventHooks": {hook: flow_arn}},
        "Transitions": {"NextAction": then, "Errors": [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def check_hours(
    identifier: str, hours_arn: str, *, when_open: str, when_closed: str, on_error: str
) -> Action:
    """A CheckHoursOfOperation action branching on the given hours of operation."""
    return {
        "Identifier": identifier,
        "Type": CHECK_HOURS_OF_OPERATION,
        "Parameters": {"HoursOfOperationId": hours_arn},
        "Transitions": {
            "Conditions": [_when(IN_HOURS, when_open), _when(OUT_OF_HOURS, when_closed)],
            "Errors": [_on_error(NO_MATCHING_ERROR, on_error)],
        },
    }


def set_working_queue(identifier: str, queue_arn: str, *, then: str, on_error: str) -> Action:
    """An UpdateContactTargetQueue action that makes ``queue_arn`` the contact's queue."""
    return {
        "Identifier": identifier,
        "Type": UPDATE_CONTACT_TARGET_QUEUE,
        "Parameters": {"QueueId": queue_arn},
        "Transitions": {"NextAction": then, "Errors": [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def transfer_to_queue(identifier: str, *, at_capacity: str, on_error: str) -> Action:
    """A TransferContactToQueue action; on success the contact leaves the flow for the queue."""
    return {
        "Identifier": identifier,
        "Type": TRANSFER_CONTACT_TO_QUEUE,
        "Parameters": {},
        "Transitions": {
            "Errors": [_on_error(QUEUE_AT_CAPACITY, at_capacity), _on_error(NO_MATCHING_ERROR, on_error)]
        },
    }


def wait_for_customer(
    identifier: str, seconds: int, *, when_returned: str, when_timed_out: str, on_error: str
) -> Action:
    """A Wait action that ends when the customer sends a message or ``seconds`` pass."""
    return {
        "Identifier": identifier,
        "Type": WAIT,
        # The service wants the time limit as a string; real exports name it TimeLimitSeconds.
        "Parameters": {"TimeLimitSeconds": str(seconds), "Events": [CUSTOMER_RETURNED]},
        "Transitions": {
            "Conditions": [_when(WAIT_COMPLETED, when_timed_out), _when(CUSTOMER_RETURNED, when_returned)],
            "Errors": [_on_error(NO_MATCHING_ERROR, on_error)],
        },
    }


def talk_to_lex_bot(identifier: str, text: str, alias_arn: str, *, then: str) -> Action:
    """A ConnectParticipantWithLexBot action whose every outcome continues to ``then``.

    The bot only greets and gathers context here; routing does not depend on the intent,
    so a timeout, an unmatched intent or an error all carry on to the same place.
    """
    return {
        "Identifier": identifier,
        "Type": CONNECT_PARTICIPANT_WITH_LEX_BOT,
        "Parameters": {"Text": text, "LexV2Bot": {"AliasArn": alias_arn}},
        "Transitions": {
            "NextAction": then,
            "Errors": [
                _on_error(INPUT_TIME_LIMIT_EXCEEDED, then),
                _on_error(NO_MATCHING_CONDITION, then),
                _on_error(NO_MATCHING_ERROR, then),
            ],
        },
    }


def disconnect(identifier: str) -> Action:
    """A DisconnectParticipant action: ends the chat. It has no transitions."""
    return {"Identifier": identifier, "Type": DISCONNECT_PARTICIPANT, "Parameters": {}, "Transitions": {}}


def flow_document(actions: list[Action], *, name: str, description: str) -> FlowDocument:
    """Assemble a document that starts at the first action, with console layout metadata."""
    positions = {
        action["Identifier"]: {
            "position": {
                "x": _GRID_ORIGIN + _GRID_X * (index % _GRID_COLUMNS),
                "y": _GRID_ORIGIN + _GRID_Y * (index // _GRID_COLUMNS),
            }
        }
        for index, action in enumerate(actions)
    }
    return {
        "Version": FLOW_LANGUAGE_VERSION,
        "StartAction": actions[0]["Identifier"],
        "Metadata": {
            "entryPointPosition": {"x": 0, "y": _GRID_ORIGIN},
            "ActionMetadata": positions,
            "name": name,
            "description": description,
        },
        "Actions": actions,
    }
