"""The triage conversation, one turn at a time: a Lex V2 event in, the hook's response out.

Pure logic (no I/O). Intent and slot names are the bot definition's (``bots.triage``; a unit test
keeps the two equal, since this package is deployed without ``bots/``).
"""

from __future__ import annotations

from typing import Final

from .interactive import list_picker, quick_reply
from .lex_event import DialogAction, Intent, LexEvent, LexResponse, Message
from .settings import Script

TRIAGE: Final = "Triage"
WELCOME_BACK: Final = "WelcomeBack"
SAME_ISSUE: Final = "SameIssue"
NEW_ISSUE: Final = "NewIssue"
FALLBACK: Final = "FallbackIntent"
TOPIC_SLOT: Final = "Topic"

ASKS_ATTRIBUTE: Final = "topicAsks"
"""Session attribute: how many times the topic list was shown (the second miss hands off)."""
MAX_ASKS: Final = 2


def next_turn(event: LexEvent, script: Script) -> LexResponse:
    """What the bot does after the customer's latest message."""
    state = event["sessionState"]
    attributes = dict(state["sessionAttributes"])
    intent = state.get("intent") or _intent(FALLBACK)
    name = intent["name"]
    if name == TRIAGE:
        return _triage(intent, attributes, script)
    if name == WELCOME_BACK:
        question = quick_reply(script.return_question, (script.same_issue, script.new_issue))
        return _respond(attributes, None, {"type": "ElicitIntent"}, _payload(question))
    if name == SAME_ISSUE:
        return _close(intent, attributes, script.back_to_agent)
    if name == NEW_ISSUE:
        # Switch intents: the rest of the conversation is a fresh triage.
        attributes.pop(script.topic_attribute, None)
        attributes[ASKS_ATTRIBUTE] = "0"
        return _ask_topic(_intent(TRIAGE, {TOPIC_SLOT: None}), attributes, script)
    attributes[script.topic_attribute] = script.unmatched_topic
    return _close(intent, attributes, script.unmatched_handoff)


def _triage(intent: Intent, attributes: dict[str, str], script: Script) -> LexResponse:
    topic = _topic(intent)
    if topic is not None and intent["confirmationState"] == "Confirmed":
        attributes[script.topic_attribute] = topic
        return _close(intent, attributes, script.handoff.replace("{Topic}", topic))
    if topic is not None and intent["confirmationState"] == "None":
        question = quick_reply(script.confirm_question.replace("{Topic}", topic), (script.yes, script.no))
        return _respond(attributes, intent, {"type": "ConfirmIntent"}, _payload(question))
    # No topic yet, free text that is no topic, or a "no" to the confirmation.
    cleared: Intent = {**intent, "slots": {**intent["slots"], TOPIC_SLOT: None}, "confirmationState": "None"}
    if int(attributes.get(ASKS_ATTRIBUTE, "0")) >= MAX_ASKS:
        attributes[script.topic_attribute] = script.unmatched_topic
        return _close(cleared, attributes, script.unmatched_handoff)
    return _ask_topic(cleared, attributes, script)


def _ask_topic(intent: Intent, attributes: dict[str, str], script: Script) -> LexResponse:
    asks = int(attributes.get(ASKS_ATTRIBUTE, "0"))
    title = script.topic_question if asks == 0 else script.retry_question
    attributes[ASKS_ATTRIBUTE] = str(asks + 1)
    picker = list_picker(title, script.topic_subtitle, script.topics)
    return _respond(attributes, intent, {"type": "ElicitSlot", "slotToElicit": TOPIC_SLOT}, _payload(picker))


def _close(intent: Intent, attributes: dict[str, str], text: str) -> LexResponse:
    message: Message = {"contentType": "PlainText", "content": text}
    return _respond(attributes, {**intent, "state": "Fulfilled"}, {"type": "Close"}, message)


def _respond(
    attributes: dict[str, str], intent: Intent | None, action: DialogAction, message: Message
) -> LexResponse:
    response: LexResponse = {
        "sessionState": {"sessionAttributes": attributes, "dialogAction": action},
        "messages": [message],
    }
    if intent is not None:
        response["sessionState"]["intent"] = intent
    return response


def _intent(name: str, slots: dict[str, None] | None = None) -> Intent:
    return {"name": name, "slots": dict(slots or {}), "state": "InProgress", "confirmationState": "None"}


def _topic(intent: Intent) -> str | None:
    slot = intent["slots"].get(TOPIC_SLOT)
    if slot is None:
        return None
    return slot.get("value", {}).get("interpretedValue") or None


def _payload(content: str) -> Message:
    return {"contentType": "CustomPayload", "content": content}
