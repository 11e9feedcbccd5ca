"""What the validator reports: issue codes, the issue type, the error, message helpers."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from flows.document import (
    FLOW_LANGUAGE_VERSION,
    MAX_ACTIONS,
    MAX_CONTENT_LENGTH,
    MAX_IDENTIFIER_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_WAIT_SECONDS,
    MIN_WAIT_SECONDS,
)

ISSUE_CODES: Final[Mapping[str, str]] = {
    "not-an-object": "the document is a JSON object",
    "legacy-format": "the document is flow language, not an old console export ({'modules': ...})",
    "not-json": "the document holds only values JSON can represent",
    "content-too-large": f"the serialized document is at most {MAX_CONTENT_LENGTH} characters",
    "document-unknown-key": "top-level keys are Version, StartAction, Metadata and Actions only",
    "version": f"Version is {FLOW_LANGUAGE_VERSION!r}",
    "metadata-invalid": "Metadata, when present, is an object",
    "start-action-missing": "StartAction is a non-empty string",
    "start-action-unknown": "StartAction names an action of the flow",
    "actions-invalid": "Actions is a list",
    "actions-empty": "Actions has at least one action",
    "actions-too-many": f"Actions has at most {MAX_ACTIONS} actions",
    "action-not-object": "each action is an object",
    "action-unknown-key": "action keys are Identifier, Type, Parameters and Transitions only",
    "identifier-missing": "each action has a non-empty string Identifier",
    "identifier-too-long": f"an Identifier is at most {MAX_IDENTIFIER_LENGTH} characters",
    "identifier-characters": "an Identifier has none of % : ( \\ / ) = $ , ; [ ] { }",
    "identifier-duplicate": "Identifiers are unique",
    "type-missing": "each action has a string Type",
    "type-unknown": "Type is one of the action types the chat flows use",
    "parameters-invalid": "Parameters is an object (empty when the action takes none)",
    "parameter-unknown": "an action has only the parameters its type takes",
    "parameter-missing": "the action type's required parameters are present",
    "parameter-invalid": "a parameter has the type and value its action expects",
    "text-invalid": "a message Text is a non-empty string",
    "text-too-long": f"a message Text is at most {MAX_MESSAGE_LENGTH} characters",
    "hook-invalid": "EventHooks is an object whose value is a flow ARN (non-empty string)",
    "hook-count": "EventHooks holds exactly one hook per action",
    "hook-unknown": "the hook name is one the service knows",
    "queue-target-invalid": "UpdateContactTargetQueue sets either QueueId or AgentId, not both",
    "attributes-invalid": "UpdateContactAttributes.Attributes is a non-empty object of strings",
    "lex-bot-invalid": "ConnectParticipantWithLexBot.LexV2Bot is an object with a non-empty AliasArn",
    "wait-time-invalid": "Wait.TimeLimitSeconds is a string of whole seconds (or a $. reference)",
    "wait-time-range": f"Wait.TimeLimitSeconds is between {MIN_WAIT_SECONDS} and {MAX_WAIT_SECONDS}",
    "wait-events-invalid": "Wait.Events is a list of distinct event names",
    "wait-event-unknown": "Wait.Events names only events the service knows",
    "transitions-invalid": "Transitions is an object",
    "transition-unknown-key": "transitions, error and condition entries hold only their documented keys",
    "terminal-transitions": "DisconnectParticipant has no transitions",
    "next-action-missing": "an action that does not end the flow has a NextAction",
    "next-action-invalid": "a NextAction is a non-empty string",
    "next-action-unknown": "a NextAction names an action of the flow",
    "errors-invalid": "Transitions.Errors is a list of {ErrorType, NextAction} objects",
    "error-type-unknown": "an ErrorType is one the action type can raise",
    "error-duplicate": "each ErrorType appears once per action",
    "error-missing": "every error the action can raise has a branch",
    "conditions-invalid": "Transitions.Conditions is a list of {NextAction, Condition} objects",
    "conditions-not-allowed": "only action types with results have Conditions",
    "condition-operator": "a condition's Operator is 'Equals'",
    "condition-operands": "a condition's Operands is a list of exactly one string",
    "condition-unknown": "a condition operand is a result the action can have",
    "condition-duplicate": "each condition operand appears once per action",
    "condition-missing": "every result the action must branch on has a condition",
    "unreachable": "every action can be reached from StartAction",
    "no-ending": "from every action some path leads to the end of the flow",
}
"""Every issue code the validator can report, with the rule it stands for."""


@dataclass(frozen=True)
class FlowIssue:
    """One problem found in a flow document.

    ``code`` is stable (a key of :data:`ISSUE_CODES`); ``path`` locates the value, like
    ``Actions[3].Transitions.Errors[0].NextAction`` (empty for the document itself);
    ``action`` is the Identifier of the action concerned, when there is one;
    ``message`` says what is wrong and how to fix it.
    """

    code: str
    path: str
    message: str
    action: str | None = None

    def __str__(self) -> str:
        location = self.path or "document"
        if self.action is not None:
            return f"action {self.action!r} at {location}: {self.message}"
        return f"{location}: {self.message}"


class FlowValidationError(ValueError):
    """Raised by :func:`check_flow` with every issue found, in ``issues``."""

    def __init__(self, issues: Sequence[FlowIssue]) -> None:
        self.issues: tuple[FlowIssue, ...] = tuple(issues)
        listing = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"invalid flow ({len(self.issues)} issue(s)):\n{listing}")


_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlevel = 2
_short.maxlist = _short.maxdict = 4


def show(value: object) -> str:
    """A short, safe rendering of any value for a message."""
    return _short.repr(value)


def key_path(base: str, key: object) -> str:
    """Extend a JSON path with a key: ``a.b`` for names, ``a['x y']`` otherwise."""
    if isinstance(key, str) and key.isidentifier():
        return f"{base}.{key}" if base else key
    return f"{base}[{show(key)}]"


def is_text(value: object) -> bool:
    """A string with something other than whitespace in it."""
    return isinstance(value, str) and value.strip() != ""


def names(values: Iterable[object]) -> str:
    """Values as a sorted, comma-separated list, for messages."""
    return ", ".join(sorted(str(value) for value in values))
