"""A structural validator for Amazon Connect Flow language documents.

There is no public JSON Schema for the flow language and the service only validates a
flow when it is published, so this module checks, before deploy, what publishing would
reject and what would make a chat flow wrong (a dangling branch, an uncovered error, a
Wait without its timeout branch...). It accepts any value and never raises: garbage in
gives a list of issues out.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Mapping

from flows.action_checks import ActionChecker
from flows.action_types import RULES_BY_TYPE, ActionRule
from flows.document import (
    ACTIONS,
    FLOW_LANGUAGE_VERSION,
    FORBIDDEN_IDENTIFIER_CHARACTERS,
    IDENTIFIER,
    MAX_ACTIONS,
    MAX_CONTENT_LENGTH,
    MAX_IDENTIFIER_LENGTH,
    MESSAGE_PARTICIPANT,
    METADATA,
    PARAMETERS,
    START_ACTION,
    TRANSITIONS,
    TYPE,
    VERSION,
    FlowDocument,
)
from flows.issues import ISSUE_CODES, FlowIssue, FlowValidationError, key_path, names, show
from flows.transitions import targets

__all__ = ["ISSUE_CODES", "FlowIssue", "FlowValidationError", "check_flow", "validate_flow"]

_DOCUMENT_KEYS = (VERSION, START_ACTION, METADATA, ACTIONS)
_ACTION_KEYS = (IDENTIFIER, TYPE, PARAMETERS, TRANSITIONS)


class _FlowChecker:
    """Collects issues for one document; every check tolerates any value."""

    def __init__(self) -> None:
        self.issues: list[FlowIssue] = []
        self.identifiers: set[str] = set()
        # Identifier -> Type, for actions of a known type (the first of duplicates).
        self.types: dict[str, str] = {}

    def add(self, code: str, path: str, message: str, action: str | None = None) -> None:
        self.issues.append(FlowIssue(code=code, path=path, message=message, action=action))

    # -- document --------------------------------------------------------------------

    def check(self, document: object) -> list[FlowIssue]:
        if not isinstance(document, dict):
            self.add(
                "not-an-object",
                "",
                f"a flow must be a JSON object with Version, StartAction and Actions, not {show(document)}",
            )
            return self.issues
        if "modules" in document and "Actions" not in document:
            self.add(
                "legacy-format",
                "modules",
                "this is an old console export ({'modules': ..., 'version': '1'}), not flow language; "
                "open it in the flow designer, save, and export it again (or rebuild it with flows/)",
            )
            return self.issues
        for key in document:
            if key not in _DOCUMENT_KEYS:
                self.add(
                    "document-unknown-key",
                    key_path("", key),
                    f"unknown top-level key {show(key)}; keep only {', '.join(_DOCUMENT_KEYS)}",
                )
        version = document.get(VERSION)
        if version != FLOW_LANGUAGE_VERSION:
            self.add(
                "version",
                "Version",
                f"Version must be {FLOW_LANGUAGE_VERSION!r}, found {show(version)}; "
                f'set "Version": "{FLOW_LANGUAGE_VERSION}"',
            )
        if METADATA in document and not isinstance(document[METADATA], dict):
            self.add(
                "metadata-invalid",
                "Metadata",
                f"Metadata must be an object, found {show(document[METADATA])}; use {{}} or remove it",
            )
        actions = self._actions_list(document.get(ACTIONS, None), ACTIONS in document)
        self._collect_identifiers(actions)
        self._check_start_action(document.get(START_ACTION), START_ACTION in document)
        for index, action in enumerate(actions):
            self._check_action(index, action)
        self._check_graph(document.get(START_ACTION), actions)
        self._check_size(document)
        return self.issues

    def _actions_list(self, actions: object, present: bool) -> list[object]:
        if not isinstance(actions, list):
            found = f"found {show(actions)}" if present else "it is missing"
            self.add("actions-invalid", "Actions", f"Actions must be a list of actions, {found}")
            return []
        if not actions:
            self.add("actions-empty", "Actions", "Actions is empty; a flow needs at least one action")
        elif len(actions) > MAX_ACTIONS:
            self.add(
                "actions-too-many",
                "Actions",
                f"the flow has {len(actions)} actions, more than the {MAX_ACTIONS} allowed; "
                "split it into several flows",
            )
        return actions

    def _collect_identifiers(self, actions: list[object]) -> None:
        for index, action in enumerate(actions):
            if not isinstance(action, dict):
                continue
            identifier = action.get(IDENTIFIER)
            path = f"Actions[{index}].Identifier"
            if not isinstance(identifier, str) or not identifier:
                found = show(identifier) if IDENTIFIER in action else "none"
                self.add(
                    "identifier-missing",
                    path,
                    f"every action needs a non-empty string Identifier (found {found}); give it a unique one",
                )
                continue
            if len(identifier) > MAX_IDENTIFIER_LENGTH:
                self.add(
                    "identifier-too-long",
                    path,
                    f"the Identifier is {len(identifier)} characters long; shorten it to at most "
                    f"{MAX_IDENTIFIER_LENGTH}",
                    identifier,
                )
            bad = sorted(set(identifier) & FORBIDDEN_IDENTIFIER_CHARACTERS)
            if bad:
                self.add(
                    "identifier-characters",
                    path,
                    f"the Identifier contains {' '.join(bad)}; use letters, digits, '-' or '_' instead",
                    identifier,
                )
            if identifier in self.identifiers:
                self.add(
                    "identifier-duplicate",
                    path,
                    "another action already has this Identifier; rename one of them so each is unique",
                    identifier,
                )
            self.identifiers.add(identifier)

    def _check_start_action(self, start: object, present: bool) -> None:
        if not isinstance(start, str) or not start:
            found = show(start) if present else "it is missing"
            self.add(
                "start-action-missing",
                "StartAction",
                f"StartAction must be the Identifier of the first action ({found})",
            )
        elif start not in self.identifiers:
            self.add(
                "start-action-unknown",
                "StartAction",
                f"StartAction {show(start)} names no action; set it to the Identifier of the first action",
            )

    # -- one action ------------------------------------------------------------------

    def _check_action(self, index: int, action: object) -> None:
        path = f"Actions[{index}]"
        if not isinstance(action, dict):
            self.add("action-not-object", path, f"an action must be an object, found {show(action)}")
            return
        raw_identifier = action.get(IDENTIFIER)
        identifier = raw_identifier if isinstance(raw_identifier, str) and raw_identifier else None
        for key in action:
            if key not in _ACTION_KEYS:
                self.add(
                    "action-unknown-key",
                    key_path(path, key),
                    f"unknown action key {show(key)}; an action has only {', '.join(_ACTION_KEYS)}",
                    identifier,
                )
        action_type = action.get(TYPE)
        rule = self._rule(path, action_type, identifier)
        context = ActionChecker(
            self.issues, self.identifiers, path, identifier, action_type if rule else None
        )
        parameters = action.get(PARAMETERS)
        if not isinstance(parameters, dict):
            found = show(parameters) if PARAMETERS in action else "it is missing"
            self.add(
                "parameters-invalid",
                f"{path}.Parameters",
                f"Parameters must be an object ({found}); use {{}} when the action takes none",
                identifier,
            )
        elif rule is not None:
            context.check_parameters(rule, parameters)
        transitions = action.get(TRANSITIONS)
        if not isinstance(transitions, dict):
            found = show(transitions) if TRANSITIONS in action else "it is missing"
            self.add(
                "transitions-invalid",
                f"{path}.Transitions",
                f"Transitions must be an object ({found}); use {{}} for an action that ends the flow",
                identifier,
            )
        else:
            context.check_transitions(rule, transitions, parameters if isinstance(parameters, dict) else {})

    def _rule(self, path: str, action_type: object, identifier: str | None) -> ActionRule | None:
        """The rule of a known action type (recording the action's type); None after reporting the type."""
        if not isinstance(action_type, str) or not action_type:
            self.add(
                "type-missing",
                f"{path}.Type",
                f"the action needs a Type such as {MESSAGE_PARTICIPANT!r} (found {show(action_type)})",
                identifier,
            )
            return None
        if action_type not in RULES_BY_TYPE:
            self.add(
                "type-unknown",
                f"{path}.Type",
                f"unknown action Type {show(action_type)}; use one of {names(RULES_BY_TYPE)}",
                identifier,
            )
            return None
        if identifier is not None:
            self.types.setdefault(identifier, action_type)
        return RULES_BY_TYPE[action_type]

    # -- whole flow ------------------------------------------------------------------

    def _check_graph(self, start: object, actions: list[object]) -> None:
        if not isinstance(start, str) or start not in self.identifiers:
            return
        edges = self._edges(actions)
        reached = _closure({start}, edges)
        for index, identifier in _identified(actions):
            if identifier not in reached:
                self.add(
                    "unreachable",
                    f"Actions[{index}]",
                    "no path from StartAction leads to this action; connect a branch to it or remove it",
                    identifier,
                )
        if self.issues:
            return  # A broken branch would also look like a dead end; report the cause only.
        backwards: dict[str, set[str]] = {}
        for source, following in edges.items():
            for target in following:
                backwards.setdefault(target, set()).add(source)
        ending = {identifier for identifier, kind in self.types.items() if RULES_BY_TYPE[kind].leaves_flow}
        can_end = _closure(ending, backwards)
        for index, identifier in _identified(actions):
            if identifier not in can_end:
                self.add(
                    "no-ending",
                    f"Actions[{index}]",
                    "every path from this action loops forever; route a branch to a DisconnectParticipant "
                    "or TransferContactToQueue action",
                    identifier,
                )

    def _edges(self, actions: list[object]) -> dict[str, set[str]]:
        """Identifier -> the actions it branches to (an action that ends the flow branches nowhere)."""
        edges: dict[str, set[str]] = {}
        for index, identifier in _identified(actions):
            action = actions[index]
            kind = action.get(TYPE) if isinstance(action, dict) else None
            rule = RULES_BY_TYPE.get(kind) if isinstance(kind, str) else None
            if rule is None or rule.next_action != "none":
                following = {target for target in targets(action) if target in self.identifiers}
                edges.setdefault(identifier, set()).update(following)
        return edges

    def _check_size(self, document: FlowDocument) -> None:
        try:
            size = len(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
        except (TypeError, ValueError, RecursionError):
            self.add(
                "not-json",
                "",
                "the document holds values JSON cannot represent; use only objects, lists, strings, "
                "numbers, booleans and null",
            )
            return
        if size > MAX_CONTENT_LENGTH:
            self.add(
                "content-too-large",
                "",
                f"the flow is {size} characters as JSON, more than the {MAX_CONTENT_LENGTH} CloudFormation "
                "accepts; shorten texts or split the flow",
            )


def _identified(actions: list[object]) -> Iterator[tuple[int, str]]:
    """(index, Identifier) of each action that has a usable Identifier."""
    for index, action in enumerate(actions):
        identifier = action.get(IDENTIFIER) if isinstance(action, dict) else None
        if isinstance(identifier, str) and identifier:
            yield index, identifier


def _closure(start: set[str], edges: Mapping[str, set[str]]) -> set[str]:
    """Every node reachable from ``start`` along ``edges`` (``start`` included)."""
    reached = set(start)
    pending = deque(start)
    while pending:
        for target in edges.get(pending.popleft(), ()):
            if target not in reached:
                reached.add(target)
                pending.append(target)
    return reached


def validate_flow(document: object) -> list[FlowIssue]:
    """Check a flow-language document and return every issue found (empty when valid).

    Accepts any value (a parsed JSON document, or anything else) and never raises.
    """
    try:
        return _FlowChecker().check(document)
    except RecursionError:
        # Only pathological nesting gets here (reprlib and json are depth-bounded otherwise).
        return [FlowIssue("not-json", "", "the document is nested too deeply to check; simplify it")]


def check_flow(document: FlowDocument) -> FlowDocument:
    """Return ``document`` unchanged when it is valid; raise :class:`FlowValidationError` otherwise."""
    issues = validate_flow(document)
    if issues:
        raise FlowValidationError(issues)
    return document
