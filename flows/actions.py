"""Constructors for the flow-language actions the chat flows are made of.

Each function returns one action dict with every branch the action type can take,
so a builder cannot forget an error path: the caller must name a target for each.
"""

from __future__ import annotations

from flows.document import (
    ACTIONS,
    AGENT_ID,
    ALIAS_ARN,
    ATTRIBUTES,
    CHECK_HOURS_OF_OPERATION,
    CONDITION,
    CONDITIONS,
    CONNECT_PARTICIPANT_WITH_LEX_BOT,
    CUSTOMER_RETURNED,
    DISCONNECT_PARTICIPANT,
    EQUALS,
    ERROR_TYPE,
    ERRORS,
    EVENT_HOOKS,
    EVENTS,
    FLOW_LANGUAGE_VERSION,
    HOURS_OF_OPERATION_ID,
    IDENTIFIER,
    IN_HOURS,
    INITIAL_MESSAGE,
    INPUT_TIME_LIMIT_EXCEEDED,
    LEX_INITIALIZATION_DATA,
    LEX_V2_BOT,
    MESSAGE_PARTICIPANT,
    METADATA,
    NEXT_ACTION,
    NO_MATCHING_CONDITION,
    NO_MATCHING_ERROR,
    OPERANDS,
    OPERATOR,
    OUT_OF_HOURS,
    PARAMETERS,
    QUEUE_AT_CAPACITY,
    QUEUE_ID,
    START_ACTION,
    TARGET_CONTACT,
    TEXT,
    TIME_LIMIT_SECONDS,
    TRANSFER_CONTACT_TO_QUEUE,
    TRANSITIONS,
    TYPE,
    UPDATE_CONTACT_ATTRIBUTES,
    UPDATE_CONTACT_EVENT_HOOKS,
    UPDATE_CONTACT_TARGET_QUEUE,
    VERSION,
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
    return {NEXT_ACTION: target, ERROR_TYPE: error_type}


def _when(operand: str, target: str) -> dict[str, object]:
    return {NEXT_ACTION: target, CONDITION: {OPERATOR: EQUALS, OPERANDS: [operand]}}


def send_message(identifier: str, text: str, *, then: str, on_error: str) -> Action:
    """A MessageParticipant action that sends ``text`` to the customer."""
    return {
        IDENTIFIER: identifier,
        TYPE: MESSAGE_PARTICIPANT,
        PARAMETERS: {TEXT: text},
        TRANSITIONS: {NEXT_ACTION: then, ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def set_event_hook(identifier: str, hook: str, flow_arn: str, *, then: str, on_error: str) -> Action:
    """An UpdateContactEventHooks action that sets exactly one hook to a flow."""
    return {
        IDENTIFIER: identifier,
        TYPE: UPDATE_CONTACT_EVENT_HOOKS,
        PARAMETERS: {EVENT_HOOKS: {hook: flow_arn}},
        TRANSITIONS: {NEXT_ACTION: then, ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def check_hours(
    identifier: str, hours_arn: str, *, when_open: str, when_closed: str, on_error: str
) -> Action:
    """A CheckHoursOfOperation action branching on the given hours of operation."""
    return {
        IDENTIFIER: identifier,
        TYPE: CHECK_HOURS_OF_OPERATION,
        PARAMETERS: {HOURS_OF_OPERATION_ID: hours_arn},
        TRANSITIONS: {
            CONDITIONS: [_when(IN_HOURS, when_open), _when(OUT_OF_HOURS, when_closed)],
            ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)],
        },
    }


def set_working_queue(identifier: str, queue_arn: str, *, then: str, on_error: str) -> Action:
    """An UpdateContactTargetQueue action that makes ``queue_arn`` the contact's queue."""
    return {
        IDENTIFIER: identifier,
        TYPE: UPDATE_CONTACT_TARGET_QUEUE,
        PARAMETERS: {QUEUE_ID: queue_arn},
        TRANSITIONS: {NEXT_ACTION: then, ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def transfer_to_queue(identifier: str, *, at_capacity: str, on_error: str) -> Action:
    """A TransferContactToQueue action; on success the contact leaves the flow for the queue."""
    return {
        IDENTIFIER: identifier,
        TYPE: TRANSFER_CONTACT_TO_QUEUE,
        PARAMETERS: {},
        TRANSITIONS: {
            ERRORS: [_on_error(QUEUE_AT_CAPACITY, at_capacity), _on_error(NO_MATCHING_ERROR, on_error)]
        },
    }


def wait_for_customer(
    identifier: str, seconds: int, *, when_returned: str, when_timed_out: str, on_error: str
) -> Action:
    """A Wait action that ends when the customer sends a message or ``seconds`` pass."""
    return {
        IDENTIFIER: identifier,
        TYPE: WAIT,
        # The service wants the time limit as a string; real exports name it TimeLimitSeconds.
        PARAMETERS: {TIME_LIMIT_SECONDS: str(seconds), EVENTS: [CUSTOMER_RETURNED]},
        TRANSITIONS: {
            CONDITIONS: [_when(WAIT_COMPLETED, when_timed_out), _when(CUSTOMER_RETURNED, when_returned)],
            ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)],
        },
    }


def talk_to_lex_bot(identifier: str, text: str, alias_arn: str, *, then: str) -> Action:
    """A ConnectParticipantWithLexBot action whose every outcome continues to ``then``.

    The bot only greets and gathers context here; routing does not depend on the intent,
    so a timeout, an unmatched intent or an error all carry on to the same place.
    """
    return {
        IDENTIFIER: identifier,
        TYPE: CONNECT_PARTICIPANT_WITH_LEX_BOT,
        PARAMETERS: {TEXT: text, LEX_V2_BOT: {ALIAS_ARN: alias_arn}},
        TRANSITIONS: {
            NEXT_ACTION: then,
            ERRORS: [
                _on_error(INPUT_TIME_LIMIT_EXCEEDED, then),
                _on_error(NO_MATCHING_CONDITION, then),
                _on_error(NO_MATCHING_ERROR, then),
            ],
        },
    }


def bot_speaks_first(
    identifier: str, alias_arn: str, initial_message: str, *, when_intent: dict[str, str], otherwise: str
) -> Action:
    """A ConnectParticipantWithLexBot action that hands the bot ``initial_message`` so it opens the talk.

    The contact goes to ``when_intent[name]`` when the bot ends with intent ``name``; any other intent
    (NoMatchingCondition), a timeout or an error goes to ``otherwise``.
    """
    return {
        IDENTIFIER: identifier,
        TYPE: CONNECT_PARTICIPANT_WITH_LEX_BOT,
        PARAMETERS: {
            LEX_V2_BOT: {ALIAS_ARN: alias_arn},
            LEX_INITIALIZATION_DATA: {INITIAL_MESSAGE: initial_message},
        },
        TRANSITIONS: {
            CONDITIONS: [_when(intent, target) for intent, target in when_intent.items()],
            ERRORS: [
                _on_error(INPUT_TIME_LIMIT_EXCEEDED, otherwise),
                _on_error(NO_MATCHING_CONDITION, otherwise),
                _on_error(NO_MATCHING_ERROR, otherwise),
            ],
        },
    }


def set_attribute(identifier: str, name: str, value: str, *, then: str, on_error: str) -> Action:
    """An UpdateContactAttributes action setting one attribute of the current contact."""
    return {
        IDENTIFIER: identifier,
        TYPE: UPDATE_CONTACT_ATTRIBUTES,
        PARAMETERS: {ATTRIBUTES: {name: value}, TARGET_CONTACT: "Current"},
        TRANSITIONS: {NEXT_ACTION: then, ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def set_agent_queue(identifier: str, agent: str, *, then: str, on_error: str) -> Action:
    """An UpdateContactTargetQueue action that makes an agent's own queue the contact's queue."""
    return {
        IDENTIFIER: identifier,
        TYPE: UPDATE_CONTACT_TARGET_QUEUE,
        PARAMETERS: {AGENT_ID: agent},
        TRANSITIONS: {NEXT_ACTION: then, ERRORS: [_on_error(NO_MATCHING_ERROR, on_error)]},
    }


def disconnect(identifier: str) -> Action:
    """A DisconnectParticipant action: ends the chat. It has no transitions."""
    return {IDENTIFIER: identifier, TYPE: DISCONNECT_PARTICIPANT, PARAMETERS: {}, TRANSITIONS: {}}


def flow_document(actions: list[Action], *, name: str, description: str) -> FlowDocument:
    """Assemble a document that starts at the first action, with console layout metadata."""
    positions = {
        action[IDENTIFIER]: {
            "position": {
                "x": _GRID_ORIGIN + _GRID_X * (index % _GRID_COLUMNS),
                "y": _GRID_ORIGIN + _GRID_Y * (index // _GRID_COLUMNS),
            }
        }
        for index, action in enumerate(actions)
    }
    return {
        VERSION: FLOW_LANGUAGE_VERSION,
        START_ACTION: actions[0][IDENTIFIER],
        METADATA: {
            "entryPointPosition": {"x": 0, "y": _GRID_ORIGIN},
            "ActionMetadata": positions,
            "name": name,
            "description": description,
        },
        ACTIONS: actions,
    }
