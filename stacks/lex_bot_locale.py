"""A ``bots/`` definition as the ``BotLocales`` of an ``AWS::Lex::Bot`` (pure translation, no resources)."""

from __future__ import annotations

from aws_cdk import aws_lex as lex

from bots.model import BotDefinition, Intent, Slot, SlotType

# Lex asks again itself this often before the code hook decides; the hook re-asks on its own terms.
_SLOT_RETRIES = 1


def _say(text: str) -> list[lex.CfnBot.MessageGroupProperty]:
    return [
        lex.CfnBot.MessageGroupProperty(
            message=lex.CfnBot.MessageProperty(
                plain_text_message=lex.CfnBot.PlainTextMessageProperty(value=text)
            )
        )
    ]


def _slot(slot: Slot) -> lex.CfnBot.SlotProperty:
    return lex.CfnBot.SlotProperty(
        name=slot.name,
        slot_type_name=slot.slot_type,
        value_elicitation_setting=lex.CfnBot.SlotValueElicitationSettingProperty(
            slot_constraint="Required" if slot.required else "Optional",
            prompt_specification=lex.CfnBot.PromptSpecificationProperty(
                max_retries=_SLOT_RETRIES, message_groups_list=_say(slot.prompt), allow_interrupt=True
            ),
        ),
    )


def _intent(intent: Intent) -> lex.CfnBot.IntentProperty:
    confirmation = None
    if intent.confirmation_prompt is not None and intent.declination_response is not None:
        confirmation = lex.CfnBot.IntentConfirmationSettingProperty(
            prompt_specification=lex.CfnBot.PromptSpecificationProperty(
                max_retries=_SLOT_RETRIES, message_groups_list=_say(intent.confirmation_prompt)
            ),
            declination_response=lex.CfnBot.ResponseSpecificationProperty(
                message_groups_list=_say(intent.declination_response)
            ),
        )
    closing = None
    if intent.closing_response is not None:
        closing = lex.CfnBot.IntentClosingSettingProperty(
            closing_response=lex.CfnBot.ResponseSpecificationProperty(
                message_groups_list=_say(intent.closing_response)
            )
        )
    return lex.CfnBot.IntentProperty(
        name=intent.name,
        description=intent.description or None,
        parent_intent_signature=intent.parent_signature,
        sample_utterances=[lex.CfnBot.SampleUtteranceProperty(utterance=u) for u in intent.sample_utterances]
        or None,
        slots=[_slot(slot) for slot in intent.slots] or None,
        slot_priorities=[
            lex.CfnBot.SlotPriorityProperty(priority=index + 1, slot_name=slot.name)
            for index, slot in enumerate(intent.slots)
        ]
        or None,
        dialog_code_hook=lex.CfnBot.DialogCodeHookSettingProperty(enabled=intent.dialog_code_hook),
        fulfillment_code_hook=lex.CfnBot.FulfillmentCodeHookSettingProperty(
            enabled=intent.fulfillment_code_hook
        ),
        intent_confirmation_setting=confirmation,
        intent_closing_setting=closing,
    )


def _slot_type(slot_type: SlotType) -> lex.CfnBot.SlotTypeProperty:
    return lex.CfnBot.SlotTypeProperty(
        name=slot_type.name,
        description=slot_type.description or None,
        slot_type_values=[
            lex.CfnBot.SlotTypeValueProperty(
                sample_value=lex.CfnBot.SampleValueProperty(value=value.value),
                synonyms=[lex.CfnBot.SampleValueProperty(value=word) for word in value.synonyms] or None,
            )
            for value in slot_type.values
        ],
        # Only the listed values (and synonyms) fill the slot: anything else is unmatched free text.
        value_selection_setting=lex.CfnBot.SlotValueSelectionSettingProperty(
            resolution_strategy="TOP_RESOLUTION"
        ),
    )


def bot_locale(bot: BotDefinition) -> lex.CfnBot.BotLocaleProperty:
    """The definition's one locale, with its intents and slot types."""
    return lex.CfnBot.BotLocaleProperty(
        locale_id=bot.locale_id,
        nlu_confidence_threshold=bot.nlu_confidence_threshold,
        description=bot.description,
        intents=[_intent(intent) for intent in bot.intents],
        slot_types=[_slot_type(slot_type) for slot_type in bot.slot_types] or None,
    )
