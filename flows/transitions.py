"""Where a flow goes next: the one reading of StartAction and Transitions.

The validator (to find unreachable actions and endless loops), the sandbox's flow engine
(to run a flow) and the tests (to walk the built flows) all follow branches with these
functions, so they cannot disagree on what a document means.

Every function accepts any value, because a document may not have been validated (the
validator reads broken ones on purpose): a branch that is missing or malformed is simply
not there, and the answer is ``None`` (or nothing).
"""

from __future__ import annotations

from collections.abc import Iterator

from flows.document import (
    ACTIONS,
    CONDITION,
    CONDITIONS,
    EQUALS,
    ERROR_TYPE,
    ERRORS,
    IDENTIFIER,
    NEXT_ACTION,
    NO_MATCHING_ERROR,
    OPERANDS,
    OPERATOR,
    START_ACTION,
    TRANSITIONS,
    Action,
)


def start_action(document: object) -> str | None:
    """The Identifier a flow starts at."""
    return _name(document.get(START_ACTION)) if isinstance(document, dict) else None


def actions_by_id(document: object) -> dict[str, Action]:
    """A document's actions by Identifier; the first of duplicates wins, malformed actions are left out."""
    found: dict[str, Action] = {}
    actions = document.get(ACTIONS) if isinstance(document, dict) else None
    for action in actions if isinstance(actions, list) else ():
        identifier = action.get(IDENTIFIER) if isinstance(action, dict) else None
        if isinstance(identifier, str) and identifier:
            found.setdefault(identifier, action)
    return found


def next_action(action: object) -> str | None:
    """The success branch; ``None`` when the action has none, so the flow ends there.

    Console exports write ``""`` for an unused success branch (TransferContactToQueue's): none too.
    """
    return _name(_transitions(action).get(NEXT_ACTION))


def condition_branch(action: object, result: str) -> str | None:
    """The branch taken when the action's result is ``result`` (a condition ``Equals result``)."""
    for operand, target in _conditions(action):
        if operand == result:
            return target
    return None


def error_branch(action: object, error_type: str) -> str | None:
    """The branch for exactly this error type."""
    for name, target in _errors(action):
        if name == error_type:
            return target
    return None


def on_error(action: object, error_type: str) -> str | None:
    """Where an error goes: its own branch, else the NoMatchingError branch, which catches every error."""
    return error_branch(action, error_type) or error_branch(action, NO_MATCHING_ERROR)


def targets(action: object) -> list[str]:
    """Every action this one can branch to, in document order (success, errors, conditions)."""
    found = [target for _, target in _errors(action)] + [target for _, target in _conditions(action)]
    success = next_action(action)
    return ([success] if success is not None else []) + found


def _transitions(action: object) -> dict[object, object]:
    transitions = action.get(TRANSITIONS) if isinstance(action, dict) else None
    return transitions if isinstance(transitions, dict) else {}


def _entries(action: object, key: str) -> Iterator[dict[object, object]]:
    entries = _transitions(action).get(key)
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict):
            yield entry


def _errors(action: object) -> Iterator[tuple[object, str]]:
    for entry in _entries(action, ERRORS):
        target = _name(entry.get(NEXT_ACTION))
        if target is not None:
            yield entry.get(ERROR_TYPE), target


def _conditions(action: object) -> Iterator[tuple[object, str]]:
    """(operand, target) of each condition; only 'Equals' with one operand has a meaning here."""
    for entry in _entries(action, CONDITIONS):
        target = _name(entry.get(NEXT_ACTION))
        condition = entry.get(CONDITION)
        if target is None:
            continue
        if isinstance(condition, dict) and condition.get(OPERATOR) == EQUALS:
            operands = condition.get(OPERANDS)
            if isinstance(operands, list) and len(operands) == 1:
                yield operands[0], target
                continue
        # Still a branch (the graph reaches its target), but no result can select it.
        yield None, target


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
