"""Checks of one action: its Parameters and Transitions, according to its type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from flows.action_types import OPTIONAL_ERRORS, PARAMETER_HINTS, ActionRule, expected_results
from flows.document import (
    CHECK_HOURS_OF_OPERATION,
    CONNECT_PARTICIPANT_WITH_LEX_BOT,
    EQUALS,
    EVENT_HOOKS,
    MAX_MESSAGE_LENGTH,
    MAX_WAIT_SECONDS,
    MESSAGE_PARTICIPANT,
    MIN_WAIT_SECONDS,
    UPDATE_CONTACT_ATTRIBUTES,
    UPDATE_CONTACT_EVENT_HOOKS,
    UPDATE_CONTACT_TARGET_QUEUE,
    WAIT,
    WAIT_EVENTS,
)
from flows.issues import FlowIssue, is_text, key_path, names, show

_TRANSITION_KEYS = ("NextAction", "Errors", "Conditions")
_TARGET_CONTACTS = ("Current", "Related")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


@dataclass
class FlowGraph:
    """The actions of a flow and the branches found between them so far."""

    identifiers: set[str] = field(default_factory=set)
    edges: dict[str, set[str]] = field(default_factory=dict)

    def add_edge(self, source: str | None, target: str) -> None:
        """Record a branch; branches of actions without a usable Identifier lead nowhere."""
        if source is not None:
            self.edges.setdefault(source, set()).add(target)


class ActionChecker:
    """Checks of one action's Parameters and Transitions, knowing its type."""

    def __init__(
        self,
        issues: list[FlowIssue],
        flow: FlowGraph,
        path: str,
        identifier: str | None,
        action_type: str | None,
    ) -> None:
        self.issues = issues
        self.flow = flow
        self.path = path
        self.identifier = identifier
        self.action_type = action_type

    def add(self, code: str, path: str, message: str) -> None:
        """Report an issue about this action."""
        self.issues.append(FlowIssue(code=code, path=path, message=message, action=self.identifier))

    # -- parameters ------------------------------------------------------------------

    def check_parameters(self, rule: ActionRule, parameters: dict[object, object]) -> None:
        base = f"{self.path}.Parameters"
        for key in parameters:
            if key not in rule.parameters:
                hint = PARAMETER_HINTS.get((str(self.action_type), str(key)))
                if hint is None:
                    allowed = names(rule.parameters) if rule.parameters else "none (use {})"
                    hint = f"remove it; {self.action_type} takes {allowed}"
                self.add("parameter-unknown", key_path(base, key), f"unknown parameter {show(key)}; {hint}")
        check = PARAMETER_CHECKS.get(str(self.action_type))
        if check is not None:
            check(self, parameters, base)

    def require(self, parameters: dict[object, object], name: str, base: str, what: str) -> bool:
        """Whether ``name`` is present; reports it missing (saying ``what`` it is) otherwise."""
        if name in parameters:
            return True
        self.add("parameter-missing", f"{base}.{name}", f"{self.action_type} needs {name}: {what}")
        return False

    def check_text(self, value: object, path: str) -> None:
        if not is_text(value):
            self.add("text-invalid", path, f"the text must be a non-empty string, found {show(value)}")
        elif isinstance(value, str) and len(value) > MAX_MESSAGE_LENGTH:
            self.add(
                "text-too-long",
                path,
                f"the text is {len(value)} characters long; shorten it to at most {MAX_MESSAGE_LENGTH} "
                "(the longest chat message)",
            )

    def check_reference(self, value: object, path: str, what: str) -> None:
        if not is_text(value):
            self.add("parameter-invalid", path, f"{what} must be a non-empty string, found {show(value)}")

    # -- transitions -----------------------------------------------------------------

    def check_transitions(
        self, rule: ActionRule | None, transitions: dict[object, object], parameters: dict[object, object]
    ) -> None:
        base = f"{self.path}.Transitions"
        for key in transitions:
            if key not in _TRANSITION_KEYS:
                self.add(
                    "transition-unknown-key",
                    key_path(base, key),
                    f"unknown key {show(key)} in Transitions; use only {', '.join(_TRANSITION_KEYS)}",
                )
        if rule is not None and rule.next_action == "none":
            for key in _TRANSITION_KEYS:
                if transitions.get(key) not in (None, [], ""):
                    self.add(
                        "terminal-transitions",
                        f"{base}.{key}",
                        f"{self.action_type} ends the flow and cannot branch; remove {key} "
                        '(use "Transitions": {})',
                    )
            return
        self._check_next_action(rule, transitions, base)
        self._check_errors(rule, transitions.get("Errors", []), f"{base}.Errors")
        self._check_conditions(rule, transitions.get("Conditions", []), f"{base}.Conditions", parameters)

    def check_target(self, target: object, path: str) -> None:
        if not isinstance(target, str) or not target:
            self.add(
                "next-action-invalid",
                path,
                f"NextAction must be the Identifier of an action, found {show(target)}",
            )
        elif target not in self.flow.identifiers:
            self.add(
                "next-action-unknown",
                path,
                f"NextAction {show(target)} names no action in this flow; point it at an existing "
                "Identifier or add that action",
            )
        else:
            self.flow.add_edge(self.identifier, target)

    def _check_next_action(
        self, rule: ActionRule | None, transitions: dict[object, object], base: str
    ) -> None:
        if "NextAction" in transitions:
            target = transitions["NextAction"]
            # Console exports write "" for the unused success branch of e.g. TransferContactToQueue.
            if not (target == "" and rule is not None and rule.next_action == "optional"):
                self.check_target(target, f"{base}.NextAction")
        elif rule is not None and rule.next_action == "required":
            self.add(
                "next-action-missing",
                f"{base}.NextAction",
                f"{self.action_type} does not end the flow, so it needs a NextAction; "
                "add one naming the action that follows",
            )

    def _check_errors(self, rule: ActionRule | None, errors: object, base: str) -> None:
        if not isinstance(errors, list):
            self.add("errors-invalid", base, f"Errors must be a list, found {show(errors)}")
            return
        seen: set[str] = set()
        allowed = (set(rule.errors) | OPTIONAL_ERRORS.get(str(self.action_type), set())) if rule else set()
        for index, entry in enumerate(errors):
            path = f"{base}[{index}]"
            if not isinstance(entry, dict):
                self.add("errors-invalid", path, f"each error branch must be an object, found {show(entry)}")
                continue
            for key in entry:
                if key not in ("ErrorType", "NextAction"):
                    self.add(
                        "transition-unknown-key",
                        key_path(path, key),
                        f"unknown key {show(key)} in an error branch; use only ErrorType and NextAction",
                    )
            error_type = entry.get("ErrorType")
            if not isinstance(error_type, str):
                self.add(
                    "errors-invalid",
                    f"{path}.ErrorType",
                    f"ErrorType must be a string, found {show(error_type)}",
                )
            elif rule is not None and error_type not in allowed:
                expected = names(allowed) if allowed else "none"
                self.add(
                    "error-type-unknown",
                    f"{path}.ErrorType",
                    f"{self.action_type} cannot raise {show(error_type)}; its error types are {expected}",
                )
            elif error_type in seen:
                self.add(
                    "error-duplicate",
                    f"{path}.ErrorType",
                    f"{error_type} already has a branch; keep one branch per error type",
                )
            if isinstance(error_type, str):
                seen.add(error_type)
            self.check_target(entry.get("NextAction"), f"{path}.NextAction")
        for missing in sorted(rule.errors - seen) if rule else ():
            self.add(
                "error-missing",
                base,
                f'no branch for error {missing}; add {{"ErrorType": "{missing}", "NextAction": ...}} '
                "(an apology message, then disconnect, is the usual choice)",
            )

    def _check_conditions(
        self, rule: ActionRule | None, conditions: object, base: str, parameters: dict[object, object]
    ) -> None:
        if not isinstance(conditions, list):
            self.add("conditions-invalid", base, f"Conditions must be a list, found {show(conditions)}")
            return
        if rule is not None and rule.conditions == "none":
            if conditions:
                self.add(
                    "conditions-not-allowed",
                    base,
                    f"{self.action_type} has no results to branch on; remove Conditions and use NextAction",
                )
            return
        expected = expected_results(str(self.action_type), parameters) if rule else None
        seen: set[str] = set()
        for index, entry in enumerate(conditions):
            path = f"{base}[{index}]"
            if not isinstance(entry, dict):
                self.add("conditions-invalid", path, f"each condition must be an object, found {show(entry)}")
                continue
            for key in entry:
                if key not in ("NextAction", "Condition"):
                    self.add(
                        "transition-unknown-key",
                        key_path(path, key),
                        f"unknown key {show(key)} in a condition; use only NextAction and Condition",
                    )
            self.check_target(entry.get("NextAction"), f"{path}.NextAction")
            operand = self._condition_operand(entry.get("Condition"), f"{path}.Condition")
            if operand is None:
                continue
            if expected is not None and operand not in expected[0]:
                self.add(
                    "condition-unknown",
                    f"{path}.Condition.Operands[0]",
                    f"{self.action_type} never results in {show(operand)} here; "
                    f"its results are {names(expected[0])}",
                )
            elif operand in seen:
                self.add(
                    "condition-duplicate",
                    f"{path}.Condition.Operands[0]",
                    f"{show(operand)} already has a condition; keep one per result",
                )
            seen.add(operand)
        for missing in sorted(expected[1] - seen) if expected else ():
            self.add(
                "condition-missing",
                base,
                f"no condition for result {missing!r}; add a condition with Operator 'Equals' and "
                f'Operands ["{missing}"]',
            )

    def _condition_operand(self, condition: object, path: str) -> str | None:
        if not isinstance(condition, dict):
            self.add(
                "conditions-invalid",
                path,
                f'Condition must be an object like {{"Operator": "Equals", "Operands": ["..."]}}, '
                f"found {show(condition)}",
            )
            return None
        for key in condition:
            if key not in ("Operator", "Operands"):
                self.add(
                    "transition-unknown-key",
                    key_path(path, key),
                    f"unknown key {show(key)} in Condition; use only Operator and Operands",
                )
        if condition.get("Operator") != EQUALS:
            self.add(
                "condition-operator",
                f"{path}.Operator",
                f"only the 'Equals' operator is supported here, found {show(condition.get('Operator'))}",
            )
        operands = condition.get("Operands")
        if not isinstance(operands, list) or len(operands) != 1 or not isinstance(operands[0], str):
            self.add(
                "condition-operands",
                f"{path}.Operands",
                f"Operands must be a list of exactly one string, found {show(operands)}",
            )
            return None
        return operands[0]


# -- per-type parameter checks ---------------------------------------------------------


def _check_message(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if context.require(parameters, "Text", base, "the message to send"):
        context.check_text(parameters["Text"], f"{base}.Text")


def _check_event_hooks(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if not context.require(
        parameters, "EventHooks", base, 'one hook, e.g. {"CustomerRemaining": "<flow ARN>"}'
    ):
        return
    hooks = parameters["EventHooks"]
    path = f"{base}.EventHooks"
    if not isinstance(hooks, dict):
        context.add("hook-invalid", path, f"EventHooks must be an object, found {show(hooks)}")
        return
    if len(hooks) != 1:
        context.add(
            "hook-count",
            path,
            f"EventHooks holds {len(hooks)} hooks; the service takes exactly one per action, "
            "so use one UpdateContactEventHooks action per hook",
        )
    for name, target in hooks.items():
        if name not in EVENT_HOOKS:
            context.add(
                "hook-unknown",
                key_path(path, name),
                f"unknown event hook {show(name)}; use one of {names(EVENT_HOOKS)}",
            )
        if not is_text(target):
            context.add(
                "hook-invalid",
                key_path(path, name),
                f"the hook must name a flow (its ARN or ID), found {show(target)}",
            )


def _check_target_queue(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    present = [name for name in ("QueueId", "AgentId") if name in parameters]
    if not present:
        context.require(parameters, "QueueId", base, "the queue ARN (or AgentId for an agent queue)")
    elif len(present) > 1:
        context.add(
            "queue-target-invalid",
            base,
            "QueueId and AgentId are both set; keep only the one that names where the contact goes",
        )
    for name in present:
        context.check_reference(parameters[name], f"{base}.{name}", name)


def _check_attributes(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if context.require(parameters, "Attributes", base, "an object of attribute names to string values"):
        attributes = parameters["Attributes"]
        path = f"{base}.Attributes"
        if not isinstance(attributes, dict) or not attributes:
            context.add(
                "attributes-invalid",
                path,
                f"Attributes must be a non-empty object of strings, found {show(attributes)}",
            )
        else:
            for name, value in attributes.items():
                if not is_text(name) or not isinstance(value, str):
                    context.add(
                        "attributes-invalid",
                        key_path(path, name),
                        f"attribute names must be non-empty strings and values strings, found "
                        f"{show(name)}: {show(value)}",
                    )
    if context.require(parameters, "TargetContact", base, '"Current" (or "Related")'):
        target = parameters["TargetContact"]
        if target not in _TARGET_CONTACTS:
            context.add(
                "parameter-invalid",
                f"{base}.TargetContact",
                f'TargetContact must be "Current" or "Related", found {show(target)}',
            )


def _check_hours(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    # Optional: without it the target queue's hours are checked.
    if "HoursOfOperationId" in parameters:
        context.check_reference(
            parameters["HoursOfOperationId"], f"{base}.HoursOfOperationId", "HoursOfOperationId"
        )


def _check_wait(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if context.require(parameters, "TimeLimitSeconds", base, 'the time to wait, as a string like "900"'):
        _check_wait_time(context, parameters["TimeLimitSeconds"], f"{base}.TimeLimitSeconds")
    if "Events" not in parameters:
        return
    events = parameters["Events"]
    path = f"{base}.Events"
    if not isinstance(events, list):
        context.add(
            "wait-events-invalid",
            path,
            f'Events must be a list like ["CustomerReturned"], found {show(events)}',
        )
        return
    seen: set[str] = set()
    for index, event in enumerate(events):
        if not isinstance(event, str) or event not in WAIT_EVENTS:
            context.add(
                "wait-event-unknown",
                f"{path}[{index}]",
                f"unknown Wait event {show(event)}; use {names(WAIT_EVENTS)}",
            )
        elif event in seen:
            context.add("wait-events-invalid", f"{path}[{index}]", f"{event} is listed twice; list it once")
        else:
            seen.add(event)


def _check_wait_time(context: ActionChecker, value: object, path: str) -> None:
    if isinstance(value, str) and value.startswith("$."):
        return  # A JSONPath reference is resolved when the flow runs.
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        context.add(
            "wait-time-invalid",
            path,
            f'TimeLimitSeconds must be a string of whole seconds like "900", found {show(value)}',
        )
        return
    # Compare lengths first: int() refuses very long digit strings.
    if len(value.lstrip("0")) > len(str(MAX_WAIT_SECONDS)) or not (
        MIN_WAIT_SECONDS <= int(value) <= MAX_WAIT_SECONDS
    ):
        context.add(
            "wait-time-range",
            path,
            f"TimeLimitSeconds is {show(value)}; it must be between {MIN_WAIT_SECONDS} and "
            f"{MAX_WAIT_SECONDS} (7 days)",
        )


def _check_lex_bot(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if context.require(parameters, "Text", base, "the first message the bot step sends"):
        context.check_text(parameters["Text"], f"{base}.Text")
    if context.require(parameters, "LexV2Bot", base, '{"AliasArn": "<Lex V2 bot alias ARN>"}'):
        bot = parameters["LexV2Bot"]
        if not isinstance(bot, dict) or not is_text(bot.get("AliasArn")):
            context.add(
                "lex-bot-invalid",
                f"{base}.LexV2Bot",
                f'LexV2Bot must be {{"AliasArn": "<bot alias ARN>"}}, found {show(bot)}',
            )
    session = parameters.get("LexSessionAttributes", {})
    if not isinstance(session, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in session.items()
    ):
        context.add(
            "parameter-invalid",
            f"{base}.LexSessionAttributes",
            f"LexSessionAttributes must be an object of strings, found {show(session)}",
        )
    if "LexTimeoutSeconds" in parameters and not isinstance(parameters["LexTimeoutSeconds"], dict):
        context.add(
            "parameter-invalid",
            f"{base}.LexTimeoutSeconds",
            f'LexTimeoutSeconds must be an object like {{"Text": "300"}}, found '
            f"{show(parameters['LexTimeoutSeconds'])}",
        )


PARAMETER_CHECKS: Final = {
    MESSAGE_PARTICIPANT: _check_message,
    UPDATE_CONTACT_EVENT_HOOKS: _check_event_hooks,
    UPDATE_CONTACT_TARGET_QUEUE: _check_target_queue,
    UPDATE_CONTACT_ATTRIBUTES: _check_attributes,
    CHECK_HOURS_OF_OPERATION: _check_hours,
    WAIT: _check_wait,
    CONNECT_PARTICIPANT_WITH_LEX_BOT: _check_lex_bot,
}
