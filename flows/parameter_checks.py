"""Per-type checks of an action's Parameters (the unknown-parameter check is the action checker's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from flows.document import (
    AGENT_ID,
    ALIAS_ARN,
    ATTRIBUTES,
    CHECK_HOURS_OF_OPERATION,
    CONNECT_PARTICIPANT_WITH_LEX_BOT,
    EVENT_HOOK_NAMES,
    EVENT_HOOKS,
    EVENTS,
    HOURS_OF_OPERATION_ID,
    INITIAL_MESSAGE,
    LEX_INITIALIZATION_DATA,
    LEX_SESSION_ATTRIBUTES,
    LEX_TIMEOUT_SECONDS,
    LEX_V2_BOT,
    MESSAGE_PARTICIPANT,
    QUEUE_ID,
    TARGET_CONTACT,
    TEXT,
    TIME_LIMIT_SECONDS,
    UPDATE_CONTACT_ATTRIBUTES,
    UPDATE_CONTACT_EVENT_HOOKS,
    UPDATE_CONTACT_TARGET_QUEUE,
    WAIT,
    WAIT_EVENTS,
)
from flows.issues import is_text, key_path, names, show
from flows.wait_time import WaitTimeError, wait_seconds

if TYPE_CHECKING:  # The checker calls these checks, so it can only be imported for typing.
    from flows.action_checks import ActionChecker

_TARGET_CONTACTS = ("Current", "Related")


def _check_message(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if context.require(parameters, TEXT, base, "the message to send"):
        context.check_text(parameters[TEXT], f"{base}.{TEXT}")


def _check_event_hooks(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if not context.require(
        parameters, EVENT_HOOKS, base, 'one hook, e.g. {"CustomerRemaining": "<flow ARN>"}'
    ):
        return
    hooks = parameters[EVENT_HOOKS]
    path = f"{base}.{EVENT_HOOKS}"
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
        if name not in EVENT_HOOK_NAMES:
            context.add(
                "hook-unknown",
                key_path(path, name),
                f"unknown event hook {show(name)}; use one of {names(EVENT_HOOK_NAMES)}",
            )
        if not is_text(target):
            context.add(
                "hook-invalid",
                key_path(path, name),
                f"the hook must name a flow (its ARN or ID), found {show(target)}",
            )


def _check_target_queue(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    present = [name for name in (QUEUE_ID, AGENT_ID) if name in parameters]
    if not present:
        context.require(parameters, QUEUE_ID, base, "the queue ARN (or AgentId for an agent queue)")
    elif len(present) > 1:
        context.add(
            "queue-target-invalid",
            base,
            "QueueId and AgentId are both set; keep only the one that names where the contact goes",
        )
    for name in present:
        context.check_reference(parameters[name], f"{base}.{name}", name)


def _check_attributes(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    if context.require(parameters, ATTRIBUTES, base, "an object of attribute names to string values"):
        attributes = parameters[ATTRIBUTES]
        path = f"{base}.{ATTRIBUTES}"
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
    if context.require(parameters, TARGET_CONTACT, base, '"Current" (or "Related")'):
        target = parameters[TARGET_CONTACT]
        if target not in _TARGET_CONTACTS:
            context.add(
                "parameter-invalid",
                f"{base}.{TARGET_CONTACT}",
                f'TargetContact must be "Current" or "Related", found {show(target)}',
            )


def _check_hours(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    # Optional: without it the target queue's hours are checked.
    if HOURS_OF_OPERATION_ID in parameters:
        context.check_reference(
            parameters[HOURS_OF_OPERATION_ID], f"{base}.{HOURS_OF_OPERATION_ID}", HOURS_OF_OPERATION_ID
        )


def _check_wait(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    try:
        wait_seconds(parameters)
    except WaitTimeError as error:
        context.add(error.code, f"{base}.{TIME_LIMIT_SECONDS}", str(error))
    if EVENTS not in parameters:
        return
    events = parameters[EVENTS]
    path = f"{base}.{EVENTS}"
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


def _check_lex_bot(context: ActionChecker, parameters: dict[object, object], base: str) -> None:
    # The bot speaks first when the flow hands it an initial message; otherwise the step's Text opens.
    if LEX_INITIALIZATION_DATA in parameters:
        _check_initial_message(
            context, parameters[LEX_INITIALIZATION_DATA], f"{base}.{LEX_INITIALIZATION_DATA}"
        )
        if TEXT in parameters:
            context.check_text(parameters[TEXT], f"{base}.{TEXT}")
    elif context.require(
        parameters, TEXT, base, "the first message the bot step sends (or LexInitilizationData)"
    ):
        context.check_text(parameters[TEXT], f"{base}.{TEXT}")
    if context.require(parameters, LEX_V2_BOT, base, '{"AliasArn": "<Lex V2 bot alias ARN>"}'):
        bot = parameters[LEX_V2_BOT]
        if not isinstance(bot, dict) or not is_text(bot.get(ALIAS_ARN)):
            context.add(
                "lex-bot-invalid",
                f"{base}.{LEX_V2_BOT}",
                f'LexV2Bot must be {{"AliasArn": "<bot alias ARN>"}}, found {show(bot)}',
            )
    session = parameters.get(LEX_SESSION_ATTRIBUTES, {})
    if not isinstance(session, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in session.items()
    ):
        context.add(
            "parameter-invalid",
            f"{base}.{LEX_SESSION_ATTRIBUTES}",
            f"LexSessionAttributes must be an object of strings, found {show(session)}",
        )
    if LEX_TIMEOUT_SECONDS in parameters and not isinstance(parameters[LEX_TIMEOUT_SECONDS], dict):
        context.add(
            "parameter-invalid",
            f"{base}.{LEX_TIMEOUT_SECONDS}",
            f'LexTimeoutSeconds must be an object like {{"Text": "300"}}, found '
            f"{show(parameters[LEX_TIMEOUT_SECONDS])}",
        )


def _check_initial_message(context: ActionChecker, data: object, path: str) -> None:
    if not isinstance(data, dict) or set(data) != {INITIAL_MESSAGE} or not is_text(data[INITIAL_MESSAGE]):
        context.add(
            "parameter-invalid",
            path,
            f'LexInitilizationData must be {{"InitialMessage": "<what the bot hears>"}}, found {show(data)}',
        )
    else:
        context.check_text(data[INITIAL_MESSAGE], f"{path}.{INITIAL_MESSAGE}")


ParameterCheck = Callable[["ActionChecker", dict[object, object], str], None]

PARAMETER_CHECKS: Final[dict[str, ParameterCheck]] = {
    MESSAGE_PARTICIPANT: _check_message,
    UPDATE_CONTACT_EVENT_HOOKS: _check_event_hooks,
    UPDATE_CONTACT_TARGET_QUEUE: _check_target_queue,
    UPDATE_CONTACT_ATTRIBUTES: _check_attributes,
    CHECK_HOURS_OF_OPERATION: _check_hours,
    WAIT: _check_wait,
    CONNECT_PARTICIPANT_WITH_LEX_BOT: _check_lex_bot,
}
