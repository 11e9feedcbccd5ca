"""The flow validator: one broken flow per rule, valid variants, and how issues read."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from flows import (
    DisconnectFlowParams,
    FlowIssue,
    FlowValidationError,
    InboundFlowParams,
    build_disconnect_flow,
    build_inbound_flow,
    check_flow,
    validate_flow,
)
from flows.cli import EXAMPLE_DISCONNECT_FLOW_ARN, EXAMPLE_HOURS_ARN, EXAMPLE_LEX_ALIAS_ARN, EXAMPLE_QUEUE_ARN
from flows.validator import ISSUE_CODES

pytestmark = pytest.mark.unit

Doc = dict[str, Any]


def inbound() -> Doc:
    """Inbound flow with the Lex step: greeting, set-disconnect-flow, check-hours, closed-message,
    lex-bot, set-working-queue, transfer-to-queue, apologize, disconnect (Actions[0..8])."""
    return build_inbound_flow(
        InboundFlowParams(
            queue_arn=EXAMPLE_QUEUE_ARN,
            hours_of_operation_arn=EXAMPLE_HOURS_ARN,
            disconnect_flow_arn=EXAMPLE_DISCONNECT_FLOW_ARN,
            lex_bot_alias_arn=EXAMPLE_LEX_ALIAS_ARN,
        )
    )


def disconnect() -> Doc:
    """Disconnect flow: continue-prompt, wait-for-customer, set-working-queue, transfer-to-queue,
    timeout-message, apologize, disconnect (Actions[0..6])."""
    return build_disconnect_flow(DisconnectFlowParams(queue_arn=EXAMPLE_QUEUE_ARN))


def with_attributes() -> Doc:
    """Inbound flow with a valid UpdateContactAttributes action 'remember-channel' at Actions[1]."""
    document = inbound()
    document["Actions"][0]["Transitions"]["NextAction"] = "remember-channel"
    document["Actions"].insert(
        1,
        {
            "Identifier": "remember-channel",
            "Type": "UpdateContactAttributes",
            "Parameters": {"Attributes": {"channel": "web"}, "TargetContact": "Current"},
            "Transitions": {
                "NextAction": "set-disconnect-flow",
                "Errors": [{"NextAction": "apologize", "ErrorType": "NoMatchingError"}],
            },
        },
    )
    return document


def message(identifier: str, then: str, on_error: str) -> Doc:
    return {
        "Identifier": identifier,
        "Type": "MessageParticipant",
        "Parameters": {"Text": "hello"},
        "Transitions": {
            "NextAction": then,
            "Errors": [{"NextAction": on_error, "ErrorType": "NoMatchingError"}],
        },
    }


def looping() -> Doc:
    """Two messages that only ever lead to each other: no way out of the flow."""
    return {
        "Version": "2019-10-30",
        "StartAction": "a",
        "Actions": [message("a", "b", "b"), message("b", "a", "a")],
    }


def act(document: Doc, identifier: str) -> Doc:
    return next(action for action in document["Actions"] if action["Identifier"] == identifier)


def rename(document: Doc, old: str, new: str) -> None:
    """Rename an action and every reference to it."""
    if document["StartAction"] == old:
        document["StartAction"] = new
    for action in document["Actions"]:
        if action["Identifier"] == old:
            action["Identifier"] = new
        transitions = action["Transitions"]
        if transitions.get("NextAction") == old:
            transitions["NextAction"] = new
        for branch in transitions.get("Errors", []) + transitions.get("Conditions", []):
            if branch["NextAction"] == old:
                branch["NextAction"] = new


def wait_condition(operand: str, then: str) -> Doc:
    return {"NextAction": then, "Condition": {"Operator": "Equals", "Operands": [operand]}}


@dataclass(frozen=True)
class Broken:
    """A flow that breaks one rule, and the issue the validator must report for it."""

    code: str
    path: str
    action: str | None
    make: Callable[[], object]
    fragment: str = ""
    alone: bool = True  # False when breaking the rule necessarily breaks another one too


def changed(base: Callable[[], Doc], change: Callable[[Doc], object]) -> Callable[[], Doc]:
    def make() -> Doc:
        document = base()
        change(document)
        return document

    return make


BROKEN: dict[str, Broken] = {
    # document
    "not an object": Broken("not-an-object", "", None, lambda: ["Version", "2019-10-30"], "JSON object"),
    "legacy export": Broken(
        "legacy-format", "modules", None, lambda: {"modules": [], "version": "1"}, "old console export"
    ),
    "not JSON": Broken(
        "not-json", "", None, changed(disconnect, lambda d: d.__setitem__("Metadata", {"tags": {1, 2}}))
    ),
    "too large": Broken(
        "content-too-large",
        "",
        None,
        changed(disconnect, lambda d: d["Metadata"].__setitem__("description", "x" * 256_001)),
        "more than the 256000",
    ),
    "unknown top-level key": Broken(
        "document-unknown-key", "Comment", None, changed(disconnect, lambda d: d.__setitem__("Comment", "hi"))
    ),
    "wrong version": Broken(
        "version",
        "Version",
        None,
        changed(disconnect, lambda d: d.__setitem__("Version", "2020-01-01")),
        "2019-10-30",
    ),
    "missing version": Broken("version", "Version", None, changed(disconnect, lambda d: d.pop("Version"))),
    "metadata not an object": Broken(
        "metadata-invalid", "Metadata", None, changed(disconnect, lambda d: d.__setitem__("Metadata", []))
    ),
    "no start action": Broken(
        "start-action-missing", "StartAction", None, changed(disconnect, lambda d: d.pop("StartAction"))
    ),
    "start action names nothing": Broken(
        "start-action-unknown",
        "StartAction",
        None,
        changed(disconnect, lambda d: d.__setitem__("StartAction", "nowhere")),
        "'nowhere'",
    ),
    "actions not a list": Broken(
        "actions-invalid",
        "Actions",
        None,
        changed(disconnect, lambda d: d.__setitem__("Actions", {})),
        alone=False,
    ),
    "no actions": Broken(
        "actions-empty",
        "Actions",
        None,
        changed(disconnect, lambda d: d.__setitem__("Actions", [])),
        alone=False,
    ),
    "251 actions": Broken(
        "actions-too-many",
        "Actions",
        None,
        changed(
            disconnect,
            lambda d: d["Actions"].extend(
                {
                    "Identifier": f"end-{n}",
                    "Type": "DisconnectParticipant",
                    "Parameters": {},
                    "Transitions": {},
                }
                for n in range(244)
            ),
        ),
        "251 actions",
        alone=False,
    ),
    # actions
    "action not an object": Broken(
        "action-not-object", "Actions[7]", None, changed(disconnect, lambda d: d["Actions"].append("oops"))
    ),
    "unknown action key": Broken(
        "action-unknown-key",
        "Actions[0].Comment",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0].__setitem__("Comment", "hi")),
    ),
    "no identifier": Broken(
        "identifier-missing",
        "Actions[6].Identifier",
        None,
        changed(disconnect, lambda d: d["Actions"][6].pop("Identifier")),
        alone=False,
    ),
    "identifier too long": Broken(
        "identifier-too-long",
        "Actions[5].Identifier",
        "a" * 51,
        changed(disconnect, lambda d: rename(d, "apologize", "a" * 51)),
        "51 characters",
    ),
    "identifier with a colon": Broken(
        "identifier-characters",
        "Actions[5].Identifier",
        "apolog:ize",
        changed(disconnect, lambda d: rename(d, "apologize", "apolog:ize")),
        "contains :",
    ),
    "identifier with braces": Broken(
        "identifier-characters",
        "Actions[5].Identifier",
        "{apologize}",
        changed(disconnect, lambda d: rename(d, "apologize", "{apologize}")),
        "contains { }",
    ),
    "duplicate identifier": Broken(
        "identifier-duplicate",
        "Actions[5].Identifier",
        "timeout-message",
        changed(disconnect, lambda d: d["Actions"][5].__setitem__("Identifier", "timeout-message")),
        alone=False,
    ),
    "no type": Broken(
        "type-missing",
        "Actions[0].Type",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0].pop("Type")),
    ),
    "unknown type": Broken(
        "type-unknown",
        "Actions[0].Type",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0].__setitem__("Type", "PlayPrompt")),
        "'PlayPrompt'",
    ),
    "no parameters": Broken(
        "parameters-invalid",
        "Actions[6].Parameters",
        "disconnect",
        changed(disconnect, lambda d: d["Actions"][6].pop("Parameters")),
    ),
    # parameters
    "Wait with the documented TimeoutSeconds": Broken(
        "parameter-unknown",
        "Actions[1].Parameters.TimeoutSeconds",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"].__setitem__("TimeoutSeconds", "900")),
        "TimeLimitSeconds",
    ),
    "transfer with parameters": Broken(
        "parameter-unknown",
        "Actions[3].Parameters.QueueId",
        "transfer-to-queue",
        changed(disconnect, lambda d: d["Actions"][3]["Parameters"].__setitem__("QueueId", "queue")),
        "UpdateContactTargetQueue",
    ),
    "message without Text": Broken(
        "parameter-missing",
        "Actions[0].Parameters.Text",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0]["Parameters"].pop("Text")),
    ),
    "Wait without TimeLimitSeconds": Broken(
        "parameter-missing",
        "Actions[1].Parameters.TimeLimitSeconds",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"].pop("TimeLimitSeconds")),
    ),
    "set queue without QueueId": Broken(
        "parameter-missing",
        "Actions[2].Parameters.QueueId",
        "set-working-queue",
        changed(disconnect, lambda d: d["Actions"][2].__setitem__("Parameters", {})),
    ),
    "empty QueueId": Broken(
        "parameter-invalid",
        "Actions[2].Parameters.QueueId",
        "set-working-queue",
        changed(disconnect, lambda d: d["Actions"][2]["Parameters"].__setitem__("QueueId", "")),
    ),
    "bad TargetContact": Broken(
        "parameter-invalid",
        "Actions[1].Parameters.TargetContact",
        "remember-channel",
        changed(
            with_attributes, lambda d: d["Actions"][1]["Parameters"].__setitem__("TargetContact", "Other")
        ),
        '"Current" or "Related"',
    ),
    "blank message": Broken(
        "text-invalid",
        "Actions[0].Parameters.Text",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0]["Parameters"].__setitem__("Text", "  ")),
    ),
    "message too long": Broken(
        "text-too-long",
        "Actions[0].Parameters.Text",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0]["Parameters"].__setitem__("Text", "x" * 1025)),
        "1025 characters",
    ),
    "hook without a flow": Broken(
        "hook-invalid",
        "Actions[1].Parameters.EventHooks.CustomerRemaining",
        "set-disconnect-flow",
        changed(
            inbound,
            lambda d: d["Actions"][1]["Parameters"]["EventHooks"].__setitem__("CustomerRemaining", ""),
        ),
    ),
    "two hooks in one action": Broken(
        "hook-count",
        "Actions[1].Parameters.EventHooks",
        "set-disconnect-flow",
        changed(
            inbound,
            lambda d: d["Actions"][1]["Parameters"]["EventHooks"].__setitem__("CustomerQueue", "flow"),
        ),
        "exactly one",
    ),
    "unknown hook": Broken(
        "hook-unknown",
        "Actions[1].Parameters.EventHooks.CustomerLeft",
        "set-disconnect-flow",
        changed(
            inbound, lambda d: d["Actions"][1]["Parameters"].__setitem__("EventHooks", {"CustomerLeft": "f"})
        ),
        "CustomerRemaining",
    ),
    "QueueId and AgentId": Broken(
        "queue-target-invalid",
        "Actions[2].Parameters",
        "set-working-queue",
        changed(disconnect, lambda d: d["Actions"][2]["Parameters"].__setitem__("AgentId", "agent")),
    ),
    "non-string attribute": Broken(
        "attributes-invalid",
        "Actions[1].Parameters.Attributes.channel",
        "remember-channel",
        changed(
            with_attributes, lambda d: d["Actions"][1]["Parameters"]["Attributes"].__setitem__("channel", 1)
        ),
    ),
    "Lex bot without alias": Broken(
        "lex-bot-invalid",
        "Actions[4].Parameters.LexV2Bot",
        "lex-bot",
        changed(inbound, lambda d: d["Actions"][4]["Parameters"].__setitem__("LexV2Bot", {"AliasArn": ""})),
    ),
    "numeric wait time": Broken(
        "wait-time-invalid",
        "Actions[1].Parameters.TimeLimitSeconds",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"].__setitem__("TimeLimitSeconds", 900)),
        "string of whole seconds",
    ),
    "wait over 7 days": Broken(
        "wait-time-range",
        "Actions[1].Parameters.TimeLimitSeconds",
        "wait-for-customer",
        changed(
            disconnect, lambda d: d["Actions"][1]["Parameters"].__setitem__("TimeLimitSeconds", "604801")
        ),
        "between 1 and 604800",
    ),
    "zero wait": Broken(
        "wait-time-range",
        "Actions[1].Parameters.TimeLimitSeconds",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"].__setitem__("TimeLimitSeconds", "0")),
    ),
    "event listed twice": Broken(
        "wait-events-invalid",
        "Actions[1].Parameters.Events[1]",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"]["Events"].append("CustomerReturned")),
        "listed twice",
    ),
    "unknown wait event": Broken(
        "wait-event-unknown",
        "Actions[1].Parameters.Events[1]",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"]["Events"].append("AgentReturned")),
    ),
    # transitions
    "no transitions": Broken(
        "transitions-invalid",
        "Actions[6].Transitions",
        "disconnect",
        changed(disconnect, lambda d: d["Actions"][6].pop("Transitions")),
    ),
    "unknown transition key": Broken(
        "transition-unknown-key",
        "Actions[0].Transitions.Default",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0]["Transitions"].__setitem__("Default", "disconnect")),
    ),
    "unknown key in an error branch": Broken(
        "transition-unknown-key",
        "Actions[0].Transitions.Errors[0].Note",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0]["Transitions"]["Errors"][0].__setitem__("Note", "x")),
    ),
    "disconnect that branches": Broken(
        "terminal-transitions",
        "Actions[6].Transitions.NextAction",
        "disconnect",
        changed(disconnect, lambda d: d["Actions"][6]["Transitions"].__setitem__("NextAction", "apologize")),
    ),
    "message without NextAction": Broken(
        "next-action-missing",
        "Actions[4].Transitions.NextAction",
        "timeout-message",
        changed(disconnect, lambda d: d["Actions"][4]["Transitions"].pop("NextAction")),
    ),
    "NextAction not a string": Broken(
        "next-action-invalid",
        "Actions[4].Transitions.NextAction",
        "timeout-message",
        changed(disconnect, lambda d: d["Actions"][4]["Transitions"].__setitem__("NextAction", 6)),
    ),
    "NextAction names nothing": Broken(
        "next-action-unknown",
        "Actions[4].Transitions.NextAction",
        "timeout-message",
        changed(disconnect, lambda d: d["Actions"][4]["Transitions"].__setitem__("NextAction", "hang-up")),
        "'hang-up'",
    ),
    "error branch names nothing": Broken(
        "next-action-unknown",
        "Actions[0].Transitions.Errors[0].NextAction",
        "continue-prompt",
        changed(
            disconnect, lambda d: d["Actions"][0]["Transitions"]["Errors"][0].__setitem__("NextAction", "x")
        ),
    ),
    "condition names nothing": Broken(
        "next-action-unknown",
        "Actions[1].Transitions.Conditions[0].NextAction",
        "wait-for-customer",
        changed(
            disconnect,
            lambda d: d["Actions"][1]["Transitions"]["Conditions"][0].__setitem__("NextAction", "x"),
        ),
        alone=False,
    ),
    "Errors not a list": Broken(
        "errors-invalid",
        "Actions[4].Transitions.Errors",
        "timeout-message",
        changed(disconnect, lambda d: d["Actions"][4]["Transitions"].__setitem__("Errors", {})),
    ),
    "error type not a string": Broken(
        "errors-invalid",
        "Actions[0].Transitions.Errors[0].ErrorType",
        "continue-prompt",
        changed(
            disconnect, lambda d: d["Actions"][0]["Transitions"]["Errors"][0].__setitem__("ErrorType", None)
        ),
        alone=False,
    ),
    "error the action cannot raise": Broken(
        "error-type-unknown",
        "Actions[0].Transitions.Errors[1].ErrorType",
        "continue-prompt",
        changed(
            disconnect,
            lambda d: d["Actions"][0]["Transitions"]["Errors"].append(
                {"NextAction": "apologize", "ErrorType": "QueueAtCapacity"}
            ),
        ),
        "NoMatchingError",
    ),
    "error branch twice": Broken(
        "error-duplicate",
        "Actions[3].Transitions.Errors[2].ErrorType",
        "transfer-to-queue",
        changed(
            disconnect,
            lambda d: d["Actions"][3]["Transitions"]["Errors"].append(
                {"NextAction": "disconnect", "ErrorType": "NoMatchingError"}
            ),
        ),
    ),
    "message without NoMatchingError": Broken(
        "error-missing",
        "Actions[0].Transitions.Errors",
        "continue-prompt",
        changed(disconnect, lambda d: d["Actions"][0]["Transitions"].__setitem__("Errors", [])),
        "NoMatchingError",
    ),
    "transfer without QueueAtCapacity": Broken(
        "error-missing",
        "Actions[3].Transitions.Errors",
        "transfer-to-queue",
        changed(disconnect, lambda d: d["Actions"][3]["Transitions"]["Errors"].pop(0)),
        "QueueAtCapacity",
    ),
    "Lex without InputTimeLimitExceeded": Broken(
        "error-missing",
        "Actions[4].Transitions.Errors",
        "lex-bot",
        changed(inbound, lambda d: d["Actions"][4]["Transitions"]["Errors"].pop(0)),
        "InputTimeLimitExceeded",
    ),
    "Conditions not a list": Broken(
        "conditions-invalid",
        "Actions[2].Transitions.Conditions",
        "check-hours",
        changed(inbound, lambda d: d["Actions"][2]["Transitions"].__setitem__("Conditions", "True")),
        alone=False,
    ),
    "Condition not an object": Broken(
        "conditions-invalid",
        "Actions[1].Transitions.Conditions[2].Condition",
        "wait-for-customer",
        changed(
            disconnect,
            lambda d: d["Actions"][1]["Transitions"]["Conditions"].append({"NextAction": "disconnect"}),
        ),
    ),
    "conditions on a message": Broken(
        "conditions-not-allowed",
        "Actions[0].Transitions.Conditions",
        "continue-prompt",
        changed(
            disconnect,
            lambda d: d["Actions"][0]["Transitions"].__setitem__(
                "Conditions", [wait_condition("x", "disconnect")]
            ),
        ),
    ),
    "operator other than Equals": Broken(
        "condition-operator",
        "Actions[1].Transitions.Conditions[0].Condition.Operator",
        "wait-for-customer",
        changed(
            disconnect,
            lambda d: d["Actions"][1]["Transitions"]["Conditions"][0]["Condition"].__setitem__(
                "Operator", "NumberGreaterThan"
            ),
        ),
        "'Equals'",
    ),
    "two operands": Broken(
        "condition-operands",
        "Actions[1].Transitions.Conditions[0].Condition.Operands",
        "wait-for-customer",
        changed(
            disconnect,
            lambda d: d["Actions"][1]["Transitions"]["Conditions"][0]["Condition"]["Operands"].append("x"),
        ),
        "exactly one string",
        alone=False,
    ),
    "operand not a string": Broken(
        "condition-operands",
        "Actions[2].Transitions.Conditions[0].Condition.Operands",
        "check-hours",
        changed(
            inbound,
            lambda d: d["Actions"][2]["Transitions"]["Conditions"][0]["Condition"].__setitem__(
                "Operands", [True]
            ),
        ),
        alone=False,
    ),
    "Wait condition for an event it does not listen to": Broken(
        "condition-unknown",
        "Actions[1].Transitions.Conditions[1].Condition.Operands[0]",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Parameters"].__setitem__("Events", [])),
        "'CustomerReturned'",
    ),
    "hours condition other than True/False": Broken(
        "condition-unknown",
        "Actions[2].Transitions.Conditions[2].Condition.Operands[0]",
        "check-hours",
        changed(
            inbound,
            lambda d: d["Actions"][2]["Transitions"]["Conditions"].append(
                wait_condition("Maybe", "disconnect")
            ),
        ),
    ),
    "WaitCompleted twice": Broken(
        "condition-duplicate",
        "Actions[1].Transitions.Conditions[2].Condition.Operands[0]",
        "wait-for-customer",
        changed(
            disconnect,
            lambda d: d["Actions"][1]["Transitions"]["Conditions"].append(
                wait_condition("WaitCompleted", "disconnect")
            ),
        ),
    ),
    "Wait without WaitCompleted": Broken(
        "condition-missing",
        "Actions[1].Transitions.Conditions",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Transitions"]["Conditions"].pop(0)),
        "'WaitCompleted'",
        alone=False,
    ),
    "Wait listening for CustomerReturned without its condition": Broken(
        "condition-missing",
        "Actions[1].Transitions.Conditions",
        "wait-for-customer",
        changed(disconnect, lambda d: d["Actions"][1]["Transitions"]["Conditions"].pop(1)),
        "'CustomerReturned'",
        alone=False,
    ),
    "hours check without False": Broken(
        "condition-missing",
        "Actions[2].Transitions.Conditions",
        "check-hours",
        changed(inbound, lambda d: d["Actions"][2]["Transitions"]["Conditions"].pop(1)),
        "'False'",
        alone=False,
    ),
    # the flow as a graph
    "orphan action": Broken(
        "unreachable",
        "Actions[7]",
        "orphan",
        changed(disconnect, lambda d: d["Actions"].append(message("orphan", "disconnect", "disconnect"))),
        "no path from StartAction",
    ),
    "endless loop": Broken("no-ending", "Actions[0]", "a", looping, "loops forever"),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_broken_flow_is_rejected_with_the_right_issue(case: Broken) -> None:
    issues = validate_flow(case.make())

    matching = [issue for issue in issues if issue.code == case.code and issue.path == case.path]
    assert matching, f"expected {case.code} at {case.path!r}, got {[(i.code, i.path) for i in issues]}"
    assert matching[0].action == case.action
    assert case.fragment in matching[0].message
    if case.alone:
        assert {issue.code for issue in issues} == {case.code}


def test_every_rule_has_a_broken_example() -> None:
    assert {case.code for case in BROKEN.values()} == set(ISSUE_CODES)


def test_every_reported_code_is_a_documented_rule() -> None:
    for case in BROKEN.values():
        assert {issue.code for issue in validate_flow(case.make())} <= set(ISSUE_CODES)


def test_base_flows_are_valid() -> None:
    for make in (inbound, disconnect, with_attributes):
        assert validate_flow(make()) == []


# -- valid variants the validator must accept ----------------------------------------------


def _transfer_with_empty_next_action(document: Doc) -> None:
    # The console writes "" for the success branch of a transfer, which it never takes.
    act(document, "transfer-to-queue")["Transitions"]["NextAction"] = ""


def _wait_for_bot(document: Doc) -> None:
    wait = act(document, "wait-for-customer")
    wait["Parameters"]["Events"].append("BotParticipantDisconnected")
    wait["Transitions"]["Conditions"].append(wait_condition("BotParticipantDisconnected", "disconnect"))
    wait["Transitions"]["Errors"].append({"NextAction": "disconnect", "ErrorType": "ParticipantNotFound"})


def _lex_with_intent_condition(document: Doc) -> None:
    act(document, "lex-bot")["Transitions"]["Conditions"] = [
        wait_condition("TalkToAgent", "set-working-queue")
    ]


VALID_VARIANTS: dict[str, Callable[[], Doc]] = {
    "no metadata": changed(disconnect, lambda d: d.pop("Metadata")),
    "dynamic wait time": changed(
        disconnect,
        lambda d: act(d, "wait-for-customer")["Parameters"].__setitem__(
            "TimeLimitSeconds", "$.Attributes.wait"
        ),
    ),
    "wait of 7 days": changed(
        disconnect,
        lambda d: act(d, "wait-for-customer")["Parameters"].__setitem__("TimeLimitSeconds", "604800"),
    ),
    "transfer with empty NextAction": changed(disconnect, _transfer_with_empty_next_action),
    "wait for a bot too": changed(disconnect, _wait_for_bot),
    "hours of the queue": changed(inbound, lambda d: act(d, "check-hours").__setitem__("Parameters", {})),
    "agent queue": changed(
        disconnect, lambda d: act(d, "set-working-queue").__setitem__("Parameters", {"AgentId": "agent-arn"})
    ),
    "disconnect with empty lists": changed(
        disconnect,
        lambda d: act(d, "disconnect").__setitem__("Transitions", {"Errors": [], "Conditions": []}),
    ),
    "lex intent condition": changed(inbound, _lex_with_intent_condition),
    "attributes": with_attributes,
    "each hook name": changed(
        inbound,
        lambda d: act(d, "set-disconnect-flow")["Parameters"].__setitem__(
            "EventHooks", {"DefaultAgentUI": "f"}
        ),
    ),
}


@pytest.mark.parametrize("make", VALID_VARIANTS.values(), ids=VALID_VARIANTS.keys())
def test_valid_variant_is_accepted(make: Callable[[], Doc]) -> None:
    assert validate_flow(make()) == []


# -- how issues read ---------------------------------------------------------------------


def test_issue_names_action_path_and_fix() -> None:
    document = disconnect()
    document["Actions"][4]["Transitions"]["NextAction"] = "hang-up"

    [issue] = validate_flow(document)

    assert issue == FlowIssue(
        code="next-action-unknown",
        path="Actions[4].Transitions.NextAction",
        message=issue.message,
        action="timeout-message",
    )
    assert str(issue).startswith("action 'timeout-message' at Actions[4].Transitions.NextAction: ")
    assert "point it at an existing Identifier" in str(issue)


def test_document_level_issue_reads_without_an_action() -> None:
    [issue] = validate_flow(42)

    assert str(issue).startswith("document: a flow must be a JSON object")


def test_check_flow_returns_a_valid_document_unchanged() -> None:
    document = disconnect()

    assert check_flow(document) is document


def test_check_flow_raises_with_every_issue() -> None:
    document = disconnect()
    document["Version"] = "1"
    document["Actions"][0]["Parameters"]["Text"] = ""

    with pytest.raises(FlowValidationError) as raised:
        check_flow(document)

    assert [issue.code for issue in raised.value.issues] == ["version", "text-invalid"]
    assert "2 issue(s)" in str(raised.value)
    assert "action 'continue-prompt' at Actions[0].Parameters.Text" in str(raised.value)


def test_validation_does_not_modify_the_document() -> None:
    document = BROKEN["two hooks in one action"].make()
    before = copy.deepcopy(document)

    validate_flow(document)

    assert document == before


def test_long_values_are_shortened_in_messages() -> None:
    document = disconnect()
    document["Actions"][0]["Type"] = "X" * 5000

    [issue] = validate_flow(document)

    assert len(issue.message) < 600
