"""What each action type of the chat flows takes, and how it may branch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from flows.document import (
    AGENT_ID,
    ATTRIBUTES,
    CHECK_HOURS_OF_OPERATION,
    CONNECT_PARTICIPANT_WITH_LEX_BOT,
    DISCONNECT_PARTICIPANT,
    EVENT_HOOKS,
    EVENTS,
    HOURS_OF_OPERATION_ID,
    IN_HOURS,
    INPUT_TIME_LIMIT_EXCEEDED,
    LEX_INITIALIZATION_DATA,
    LEX_SESSION_ATTRIBUTES,
    LEX_TIMEOUT_SECONDS,
    LEX_V2_BOT,
    MESSAGE_PARTICIPANT,
    NO_MATCHING_CONDITION,
    NO_MATCHING_ERROR,
    OUT_OF_HOURS,
    PARTICIPANT_NOT_FOUND,
    QUEUE_AT_CAPACITY,
    QUEUE_ID,
    TARGET_CONTACT,
    TEXT,
    TIME_LIMIT_SECONDS,
    TRANSFER_CONTACT_TO_QUEUE,
    UPDATE_CONTACT_ATTRIBUTES,
    UPDATE_CONTACT_EVENT_HOOKS,
    UPDATE_CONTACT_TARGET_QUEUE,
    WAIT,
    WAIT_COMPLETED,
    WAIT_EVENTS,
)


@dataclass(frozen=True)
class ActionRule:
    """What one action type takes and how it may branch."""

    parameters: frozenset[str]
    errors: frozenset[str]
    next_action: Literal["required", "optional", "none"] = "required"
    # "none": no conditions; "results": operands from expected_results; "any": free (Lex intents)
    conditions: Literal["none", "results", "any"] = "none"
    # Success takes the contact out of this flow (disconnected, or placed in a queue).
    leaves_flow: bool = False


_ONLY_NO_MATCHING_ERROR = frozenset({NO_MATCHING_ERROR})

RULES_BY_TYPE: Final[Mapping[str, ActionRule]] = {
    MESSAGE_PARTICIPANT: ActionRule(frozenset({TEXT}), _ONLY_NO_MATCHING_ERROR),
    UPDATE_CONTACT_EVENT_HOOKS: ActionRule(frozenset({EVENT_HOOKS}), _ONLY_NO_MATCHING_ERROR),
    UPDATE_CONTACT_TARGET_QUEUE: ActionRule(frozenset({QUEUE_ID, AGENT_ID}), _ONLY_NO_MATCHING_ERROR),
    UPDATE_CONTACT_ATTRIBUTES: ActionRule(frozenset({ATTRIBUTES, TARGET_CONTACT}), _ONLY_NO_MATCHING_ERROR),
    TRANSFER_CONTACT_TO_QUEUE: ActionRule(
        frozenset(),
        frozenset({QUEUE_AT_CAPACITY, NO_MATCHING_ERROR}),
        next_action="optional",
        leaves_flow=True,
    ),
    CHECK_HOURS_OF_OPERATION: ActionRule(
        frozenset({HOURS_OF_OPERATION_ID}),
        _ONLY_NO_MATCHING_ERROR,
        next_action="optional",
        conditions="results",
    ),
    WAIT: ActionRule(
        frozenset({TIME_LIMIT_SECONDS, EVENTS}),
        _ONLY_NO_MATCHING_ERROR,
        next_action="optional",
        conditions="results",
    ),
    CONNECT_PARTICIPANT_WITH_LEX_BOT: ActionRule(
        frozenset({TEXT, LEX_V2_BOT, LEX_SESSION_ATTRIBUTES, LEX_INITIALIZATION_DATA, LEX_TIMEOUT_SECONDS}),
        frozenset({INPUT_TIME_LIMIT_EXCEEDED, NO_MATCHING_CONDITION, NO_MATCHING_ERROR}),
        next_action="optional",
        conditions="any",
    ),
    DISCONNECT_PARTICIPANT: ActionRule(frozenset(), frozenset(), next_action="none", leaves_flow=True),
}

# Errors an action may branch on without being required to (Wait raises ParticipantNotFound
# only when it waits for a bot participant).
OPTIONAL_ERRORS: Final[Mapping[str, frozenset[str]]] = {WAIT: frozenset({PARTICIPANT_NOT_FOUND})}


PARAMETER_HINTS: Final[Mapping[tuple[str, str], str]] = {
    # The reference docs name it TimeoutSeconds; real exports and the service use TimeLimitSeconds.
    (WAIT, "TimeoutSeconds"): f"rename it to {TIME_LIMIT_SECONDS}, the name the service uses",
    (MESSAGE_PARTICIPANT, "PromptId"): "chat supports only Text; send the words as Text instead",
    (MESSAGE_PARTICIPANT, "SSML"): "chat supports only Text; send the words as Text instead",
    (MESSAGE_PARTICIPANT, "Media"): "chat supports only Text; send the words as Text instead",
    (TRANSFER_CONTACT_TO_QUEUE, QUEUE_ID): "set the queue with an UpdateContactTargetQueue action before it",
}


def expected_results(action_type: str, parameters: dict[object, object]) -> tuple[set[str], set[str]] | None:
    """(allowed, required) condition operands of an action, or None when any is allowed."""
    if action_type == CHECK_HOURS_OF_OPERATION:
        return {IN_HOURS, OUT_OF_HOURS}, {IN_HOURS, OUT_OF_HOURS}
    if action_type == WAIT:
        events = parameters.get(EVENTS, [])
        # WaitCompleted is always required, and so is every event the Wait listens for.
        listed = {event for event in events if isinstance(event, str)} if isinstance(events, list) else set()
        results = {WAIT_COMPLETED} | (listed & WAIT_EVENTS)
        return results, results
    return None
