"""Checks of one action: its Parameters and Transitions, according to its type."""

from __future__ import annotations

from collections.abc import Set

from flows.action_types import OPTIONAL_ERRORS, PARAMETER_HINTS, ActionRule, expected_results
from flows.document import (
    CONDITION,
    CONDITIONS,
    EQUALS,
    ERROR_TYPE,
    ERRORS,
    MAX_MESSAGE_LENGTH,
    NEXT_ACTION,
    OPERANDS,
    OPERATOR,
)
from flows.issues import FlowIssue, is_text, key_path, names, show
from flows.parameter_checks import PARAMETER_CHECKS

_TRANSITION_KEYS = (NEXT_ACTION, ERRORS, CONDITIONS)


class ActionChecker:
    """Checks of one action's Parameters and Transitions, knowing its type."""

    def __init__(
        self,
        issues: list[FlowIssue],
        identifiers: Set[str],
        path: str,
        identifier: str | None,
        action_type: str | None,
    ) -> None:
        self.issues = issues
        self.identifiers = identifiers
        self.path = path
        self.identifier = identifier
        self.action_type = action_type

    def add(self, code: str, path: str, message: str) -> None:
        """Report an issue about this action."""
        self.issues.append(FlowIssue(code=code, path=path, message=message, action=self.identifier))

    # -- parameters ------------------------------------------------------------------

    def check_parameters(self, rule: ActionRule, parameters: dict[object, object]) -> None:
        """Unknown parameters, then the checks of the action's type."""
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
        """A message text: non-empty, and short enough for one chat message."""
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
        """An ARN or id (not parsed: it may be a CloudFormation token)."""
        if not is_text(value):
            self.add("parameter-invalid", path, f"{what} must be a non-empty string, found {show(value)}")

    # -- transitions -----------------------------------------------------------------

    def check_transitions(
        self, rule: ActionRule | None, transitions: dict[object, object], parameters: dict[object, object]
    ) -> None:
        """NextAction, Errors and Conditions, against what the action's type can do."""
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
        self._check_errors(rule, transitions.get(ERRORS, []), f"{base}.{ERRORS}")
        self._check_conditions(rule, transitions.get(CONDITIONS, []), f"{base}.{CONDITIONS}", parameters)

    def check_target(self, target: object, path: str) -> None:
        """A branch target names an action of the flow."""
        if not isinstance(target, str) or not target:
            self.add(
                "next-action-invalid",
                path,
                f"NextAction must be the Identifier of an action, found {show(target)}",
            )
        elif target not in self.identifiers:
            self.add(
                "next-action-unknown",
                path,
                f"NextAction {show(target)} names no action in this flow; point it at an existing "
                "Identifier or add that action",
            )

    def _check_next_action(
        self, rule: ActionRule | None, transitions: dict[object, object], base: str
    ) -> None:
        if NEXT_ACTION in transitions:
            target = transitions[NEXT_ACTION]
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
                if key not in (ERROR_TYPE, NEXT_ACTION):
                    self.add(
                        "transition-unknown-key",
                        key_path(path, key),
                        f"unknown key {show(key)} in an error branch; use only ErrorType and NextAction",
                    )
            error_type = entry.get(ERROR_TYPE)
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
            self.check_target(entry.get(NEXT_ACTION), f"{path}.NextAction")
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
                if key not in (NEXT_ACTION, CONDITION):
                    self.add(
                        "transition-unknown-key",
                        key_path(path, key),
                        f"unknown key {show(key)} in a condition; use only NextAction and Condition",
                    )
            self.check_target(entry.get(NEXT_ACTION), f"{path}.NextAction")
            operand = self._condition_operand(entry.get(CONDITION), f"{path}.Condition")
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
            if key not in (OPERATOR, OPERANDS):
                self.add(
                    "transition-unknown-key",
                    key_path(path, key),
                    f"unknown key {show(key)} in Condition; use only Operator and Operands",
                )
        if condition.get(OPERATOR) != EQUALS:
            self.add(
                "condition-operator",
                f"{path}.Operator",
                f"only the 'Equals' operator is supported here, found {show(condition.get(OPERATOR))}",
            )
        operands = condition.get(OPERANDS)
        if not isinstance(operands, list) or len(operands) != 1 or not isinstance(operands[0], str):
            self.add(
                "condition-operands",
                f"{path}.Operands",
                f"Operands must be a list of exactly one string, found {show(operands)}",
            )
            return None
        return operands[0]
