"""The triage conversation, one turn at a time: a Lex V2 event in, the hook's response out.

Pure logic (no I/O). Intent and slot names are the bot definition's (``bots.triage``; a unit test
keeps the two equal, since this package is deployed without ``bots/``).
"""

from __future__ import annotations

from typing import Final

from .interactive import list_picker, quick_reply
from .lex_event import DialogAction, Intent, LexEvent, LexResponse, Message, SessionState, Slot
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
    state = event.session_state
    attributes = dict(state.session_attributes)
    intent = state.intent or Intent(name=FALLBACK)
    if intent.name == TRIAGE:
        return _triage(intent, attributes, script)
    if intent.name == WELCOME_BACK:
        question = quick_reply(script.return_question, (script.same_issue, script.new_issue))
        return LexResponse(
            session_state=SessionState(
                session_attributes=attributes, dialog_action=DialogAction(type="ElicitIntent")
            ),
            messages=[_payload(question)],
        )
    if intent.name == SAME_ISSUE:
        return _close(intent, attributes, script.back_to_agent)
    if intent.name == NEW_ISSUE:
        # Switch intents: the rest of the conversation is a fresh triage.
        attributes.pop(script.topic_attribute, None)
        attributes[ASKS_ATTRIBUTE] = "0"
        return _ask_topic(Intent(name=TRIAGE, slots={TOPIC_SLOT: None}), attributes, script)
    attributes[script.topic_attribute] = script.unmatched_topic
    return _close(intent, attributes, script.unmatched_handoff)


def _triage(intent: Intent, attributes: dict[str, str], script: Script) -> LexResponse:
    topic = _topic(intent)
    if topic is not None and intent.confirmation_state == "Confirmed":
        attributes[script.topic_attribute] = topic
        return _close(intent, attributes, script.handoff.replace("{Topic}", topic))
    if topic is not None and intent.confirmation_state == "None":
        question = quick_reply(script.confirm_question.replace("{Topic}", topic), (script.yes, script.no))
        return LexResponse(
            session_state=SessionState(
                session_attributes=attributes, intent=intent, dialog_action=DialogAction(type="ConfirmIntent")
            ),
            messages=[_payload(question)],
        )
    # No topic yet, free text that is no topic, or a "no" to the confirmation.
    cleared = intent.model_copy(
        update={"slots": {**intent.slots, TOPIC_SLOT: None}, "confirmation_state": "None"}
    )
    if int(attributes.get(ASKS_ATTRIBUTE, "0")) >= MAX_ASKS:
        attributes[script.topic_attribute] = script.unmatched_topic
        return _close(cleared, attributes, script.unmatched_handoff)
    return _ask_topic(cleared, attributes, script)


def _ask_topic(intent: Intent, attributes: dict[str, str], script: Script) -> LexResponse:
    asks = int(attributes.get(ASKS_ATTRIBUTE, "0"))
    title = script.topic_question if asks == 0 else script.retry_question
    attributes[ASKS_ATTRIBUTE] = str(asks + 1)
    return LexResponse(
        session_state=SessionState(
            session_attributes=attributes,
            intent=intent,
            dialog_action=DialogAction(type="ElicitSlot", slot_to_elicit=TOPIC_SLOT),
        ),
        messages=[_payload(list_picker(title, script.topic_subtitle, script.topics))],
    )


def _close(intent: Intent, attributes: dict[str, str], text: str) -> LexResponse:
    return LexResponse(
        session_state=SessionState(
            session_attributes=attributes,
            intent=intent.model_copy(update={"state": "Fulfilled"}),
            dialog_action=DialogAction(type="Close"),
        ),
        messages=[Message(content_type="PlainText", content=text)],
    )


def _topic(intent: Intent) -> str | None:
    slot: Slot | None = intent.slots.get(TOPIC_SLOT)
    if slot is None or slot.value is None:
        return None
    return slot.value.interpreted_value or None


def _payload(content: str) -> Message:
    return Message(content_type="CustomPayload", content=content)
