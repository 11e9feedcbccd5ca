"""The triage bot the project ships: it asks what the chat is about, confirms, and hands off.

Conversation (the code hook Lambda, ``lambdas/triage_bot``, writes every turn):

- **Triage**: a ListPicker of :data:`TOPICS`; the pick (it comes back as the element's title,
  a value of the ``Topic`` slot type) is confirmed with a QuickReply; yes hands off with the topic
  in the session attribute :data:`TOPIC_ATTRIBUTE`, which the inbound flow copies to a contact
  attribute the agent sees. Free text that is no topic gets the list once more, then a hand-off
  with :data:`UNMATCHED_TOPIC`.
- **WelcomeBack** (the disconnect flow, when the customer returns): a QuickReply "same issue or
  something new?"; **SameIssue** ends the bot (the flow goes back to the previous agent),
  **NewIssue** switches to Triage.

The flows start each conversation with an initial message the bot recognises
(:data:`TRIAGE_START`, :data:`RETURN_START`) so the bot speaks first.
"""

from __future__ import annotations

from typing import Final

from bots.model import (
    FALLBACK_INTENT,
    FALLBACK_PARENT_SIGNATURE,
    BotDefinition,
    Intent,
    Slot,
    SlotType,
    SlotValue,
)
from bots.validator import check_bot
from flows.params import BotStep

BOT_NAME: Final = "ChatTriage"
LOCALE_ID: Final = "en_US"

# Intent, slot and slot type names: the flows branch on intent names, the code hook reads slots.
TRIAGE: Final = "Triage"
WELCOME_BACK: Final = "WelcomeBack"
SAME_ISSUE: Final = "SameIssue"
NEW_ISSUE: Final = "NewIssue"
TOPIC_SLOT: Final = "Topic"
TOPIC_SLOT_TYPE: Final = "Topic"

TOPIC_ATTRIBUTE: Final = "topic"
"""Session attribute (and contact attribute) holding the chosen topic."""
UNMATCHED_TOPIC: Final = "Not sure"
"""The topic handed off when the customer's words matched no topic twice."""

TRIAGE_START: Final = "I need help"
"""What the inbound flow sends the bot first (LexInitilizationData), so it opens with the list."""
RETURN_START: Final = "I am back"
"""What the disconnect flow sends the bot first when the customer returns."""

TOPICS: Final = (
    SlotValue("Billing and payments", ("billing", "payment", "invoice", "refund", "charge")),
    SlotValue("Orders and delivery", ("order", "delivery", "shipping", "parcel", "tracking")),
    SlotValue("Technical problem", ("technical", "bug", "error", "not working", "broken")),
    SlotValue("My account", ("account", "sign in", "login", "password", "profile")),
    SlotValue("Something else", ("other", "something different", "none of these")),
)

# What the bot says. The code hook receives these (and the topics) as its configuration.
TOPIC_QUESTION: Final = "What is your chat about?"
TOPIC_SUBTITLE: Final = "Pick the closest topic"
RETRY_QUESTION: Final = "Sorry, I didn't catch that. Which of these is closest?"
CONFIRM_QUESTION: Final = "So your question is about {Topic}. Is that right?"
YES: Final = "Yes"
NO: Final = "No"
HANDOFF: Final = "Thanks! I'm passing you to an agent who can help with {Topic}."
UNMATCHED_HANDOFF: Final = "No problem, I'm passing you to an agent who will sort it out with you."
RETURN_QUESTION: Final = "Welcome back! Is this about the same issue, or something new?"
SAME_ISSUE_TITLE: Final = "Same issue"
NEW_ISSUE_TITLE: Final = "Something new"
BACK_TO_AGENT: Final = "Got it, I'm getting you back to where you left off."


def build_triage_bot() -> BotDefinition:
    """The triage bot's definition, validated (:func:`bots.validator.check_bot`)."""
    topic = Slot(TOPIC_SLOT, TOPIC_SLOT_TYPE, TOPIC_QUESTION)
    intents = (
        Intent(
            TRIAGE,
            "Find out what the chat is about, confirm it, and hand off to an agent",
            (TRIAGE_START, "help", "hello", "hi", "I have a question", "{Topic}", "it is about {Topic}",
             "I have a question about {Topic}", "I need help with {Topic}"),
            slots=(topic,),
            confirmation_prompt=CONFIRM_QUESTION,
            declination_response=RETRY_QUESTION,
            closing_response=HANDOFF,
        ),
        Intent(
            WELCOME_BACK,
            "A customer returned to a chat the agent had left: same issue or something new?",
            (RETURN_START, "I'm back", "hello again", "I am here again"),
        ),
        Intent(
            SAME_ISSUE,
            "The returning customer continues with the same issue",
            (SAME_ISSUE_TITLE, "same", "the same", "same problem", "still the same thing"),
            closing_response=BACK_TO_AGENT,
        ),
        Intent(
            NEW_ISSUE,
            "The returning customer has something new: triage again",
            (NEW_ISSUE_TITLE, "new", "a new question", "something different now", "a different issue"),
        ),
        Intent(
            FALLBACK_INTENT,
            "Nothing else matched: hand off to an agent",
            (),
            closing_response=UNMATCHED_HANDOFF,
            parent_signature=FALLBACK_PARENT_SIGNATURE,
        ),
    )  # fmt: skip
    return check_bot(
        BotDefinition(
            name=BOT_NAME,
            description="Asks what a chat is about before an agent joins; welcomes returning customers",
            locale_id=LOCALE_ID,
            intents=intents,
            slot_types=(SlotType(TOPIC_SLOT_TYPE, TOPICS, "What a chat can be about"),),
            session_attribute_names=(TOPIC_ATTRIBUTE,),
        )
    )


def code_hook_script() -> dict[str, object]:
    """What the code hook says and offers, as the JSON object its settings parse (camelCase keys)."""
    return {
        "topics": [topic.value for topic in TOPICS],
        "topicQuestion": TOPIC_QUESTION,
        "topicSubtitle": TOPIC_SUBTITLE,
        "retryQuestion": RETRY_QUESTION,
        "confirmQuestion": CONFIRM_QUESTION,
        "yes": YES,
        "no": NO,
        "handoff": HANDOFF,
        "unmatchedHandoff": UNMATCHED_HANDOFF,
        "unmatchedTopic": UNMATCHED_TOPIC,
        "returnQuestion": RETURN_QUESTION,
        "sameIssue": SAME_ISSUE_TITLE,
        "newIssue": NEW_ISSUE_TITLE,
        "backToAgent": BACK_TO_AGENT,
        "topicAttribute": TOPIC_ATTRIBUTE,
    }


def flow_steps(alias_arn: str) -> tuple[BotStep, BotStep]:
    """The bot's steps in the inbound flow (triage) and in the disconnect flow (welcome back).

    ``alias_arn``: the bot alias the flows talk to (a CloudFormation token, or the sandbox's own ARN).
    """
    handoff = (TRIAGE, FALLBACK_INTENT)
    triage = BotStep(
        alias_arn=alias_arn,
        initial_message=TRIAGE_START,
        handoff_intents=handoff,
        topic_attribute=TOPIC_ATTRIBUTE,
    )
    welcome_back = BotStep(
        alias_arn=alias_arn,
        initial_message=RETURN_START,
        handoff_intents=handoff,
        topic_attribute=TOPIC_ATTRIBUTE,
        back_to_agent_intent=SAME_ISSUE,
    )
    return triage, welcome_back
