"""A bot that speaks first, then hands off: the steps both chat flows add when they use the triage bot."""

from __future__ import annotations

from typing import Final

from flows import actions
from flows.document import LEX_SESSION_ATTRIBUTES_PATH, Action
from flows.params import BotStep

SET_TOPIC: Final = "set-topic"


def bot_actions(bot: BotStep, identifier: str, *, then: str, when_back: str | None = None) -> list[Action]:
    """The bot step, then the topic copied to a contact attribute, then ``then``.

    ``when_back``: where the bot's ``back_to_agent_intent`` leads (the disconnect flow's agent queue).
    """
    topic_reference = f"{LEX_SESSION_ATTRIBUTES_PATH}{bot.topic_attribute}"
    when_intent = dict.fromkeys(bot.handoff_intents, SET_TOPIC)
    if bot.back_to_agent_intent is not None and when_back is not None:
        when_intent[bot.back_to_agent_intent] = when_back
    return [
        actions.bot_speaks_first(
            identifier, bot.alias_arn, bot.initial_message, when_intent=when_intent, otherwise=then
        ),
        # A failed copy loses only the label the agent would have seen: queue the chat anyway.
        actions.set_attribute(SET_TOPIC, bot.topic_attribute, topic_reference, then=then, on_error=then),
    ]
