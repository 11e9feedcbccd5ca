"""chatBot: the bot of bots/, its hook, version, alias, permission and registration; both flows use it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match

from bots import build_triage_bot, code_hook_script
from bots.triage import TOPIC_ATTRIBUTE, TOPICS
from lambdas.triage_bot.environment import code_hook_environment
from stacks import names
from stacks.config import ConfigError, load_config

from .conftest import EXISTING_INSTANCE_WITH_BOT, LEX_ALIAS_ARN, Synthesized

pytestmark = pytest.mark.infra


def alias_ref(synthesized: Synthesized) -> str:
    (alias_id,) = synthesized.resources("AWS::Lex::BotAlias")
    return alias_id


def flows_by_start(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    """Each flow's Content parsed, by StartAction; a GetAtt token reads as ``GetAtt:LOGICAL-ID.ATTRIBUTE``."""
    found = {}
    for flow in synthesized.resources("AWS::Connect::ContactFlow").values():
        parts = flow["Properties"]["Content"]["Fn::Join"][1]
        text = "".join(
            part if isinstance(part, str) else "GetAtt:" + ".".join(part["Fn::GetAtt"]) for part in parts
        )
        document = json.loads(text)
        found[document["StartAction"]] = document
    return found


def action(document: dict[str, Any], identifier: str) -> dict[str, Any]:
    return next(a for a in document["Actions"] if a["Identifier"] == identifier)


def test_the_bot_is_the_definition_of_bots(with_bot: Synthesized) -> None:
    definition = build_triage_bot()
    bot = with_bot.only("AWS::Lex::Bot")["Properties"]
    (locale,) = bot["BotLocales"]
    assert locale["LocaleId"] == definition.locale_id
    assert [intent["Name"] for intent in locale["Intents"]] == [intent.name for intent in definition.intents]
    (slot_type,) = locale["SlotTypes"]
    assert [value["SampleValue"]["Value"] for value in slot_type["SlotTypeValues"]] == [
        t.value for t in TOPICS
    ]
    assert slot_type["ValueSelectionSetting"] == {"ResolutionStrategy": "TOP_RESOLUTION"}
    assert bot["DataPrivacy"] == {"ChildDirected": False}
    assert bot["AutoBuildBotLocales"] is True
    triage = locale["Intents"][0]
    assert triage["DialogCodeHook"] == {"Enabled": True}
    assert triage["SlotPriorities"] == [{"Priority": 1, "SlotName": "Topic"}]
    fallback = next(i for i in locale["Intents"] if i["Name"] == "FallbackIntent")
    assert fallback["ParentIntentSignature"] == "AMAZON.FallbackIntent"


def test_a_version_and_an_alias_that_calls_the_code_hook(with_bot: Synthesized) -> None:
    (bot_id,) = with_bot.resources("AWS::Lex::Bot")
    (version_id,) = with_bot.resources("AWS::Lex::BotVersion")
    hook_id = next(
        k for k in with_bot.resources("AWS::Lambda::Function") if k.startswith("TriageBotCodeHook")
    )
    with_bot.template.has_resource_properties(
        "AWS::Lex::BotAlias",
        {
            "BotId": {"Fn::GetAtt": [bot_id, "Id"]},
            "BotVersion": {"Fn::GetAtt": [version_id, "BotVersion"]},
            "BotAliasLocaleSettings": [
                {
                    "LocaleId": "en_US",
                    "BotAliasLocaleSetting": {
                        "Enabled": True,
                        "CodeHookSpecification": {
                            "LambdaCodeHook": {
                                "CodeHookInterfaceVersion": "1.0",
                                "LambdaArn": {"Fn::GetAtt": [hook_id, "Arn"]},
                            }
                        },
                    },
                }
            ],
        },
    )


def test_only_the_alias_may_invoke_the_code_hook(with_bot: Synthesized) -> None:
    with_bot.template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "Principal": "lexv2.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": [alias_ref(with_bot), "Arn"]},
        },
    )


def test_the_code_hook_is_deployed_with_its_script(with_bot: Synthesized) -> None:
    with_bot.template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": names.CODE_HOOK_HANDLER,
            "Environment": {"Variables": Match.object_like(code_hook_environment(code_hook_script()))},
        },
    )


def test_the_bot_is_registered_with_the_instance_before_the_flows(with_bot: Synthesized) -> None:
    associations = with_bot.resources("AWS::Connect::IntegrationAssociation")
    (association_id, association), *others = associations.items()
    assert not others
    assert association["Properties"]["IntegrationType"] == "LEX_BOT"
    assert association["Properties"]["IntegrationArn"] == {"Fn::GetAtt": [alias_ref(with_bot), "Arn"]}
    for flow in with_bot.resources("AWS::Connect::ContactFlow").values():
        assert association_id in flow["DependsOn"]


def test_both_flows_talk_to_the_alias(with_bot: Synthesized) -> None:
    alias_arn = f"GetAtt:{alias_ref(with_bot)}.Arn"
    flows = flows_by_start(with_bot)
    triage = action(flows["greeting"], "triage-bot")
    assert triage["Type"] == "ConnectParticipantWithLexBot"
    assert triage["Parameters"]["LexV2Bot"] == {"AliasArn": alias_arn}
    topic = action(flows["greeting"], "set-topic")
    assert topic["Parameters"]["Attributes"] == {
        TOPIC_ATTRIBUTE: f"$.Lex.SessionAttributes.{TOPIC_ATTRIBUTE}"
    }
    welcome_back = action(flows["continue-prompt"], "return-bot")
    assert welcome_back["Parameters"]["LexV2Bot"] == {"AliasArn": alias_arn}


def test_without_chat_bot_there_is_no_bot(new_instance: Synthesized) -> None:
    assert new_instance.resources("AWS::Lex::Bot") == {}
    assert "ConnectParticipantWithLexBot" not in json.dumps(
        new_instance.resources("AWS::Connect::ContactFlow")
    )


def test_an_existing_instance_gets_the_bot_registered(synth: Any) -> None:
    synthesized = synth(EXISTING_INSTANCE_WITH_BOT)
    assert len(synthesized.resources("AWS::Connect::IntegrationAssociation")) == 1


def test_chat_bot_excludes_a_bot_of_your_own() -> None:
    with pytest.raises(ConfigError, match="chatBot and lexBotAliasArn"):
        load_config({"chatBot": True, "lexBotAliasArn": LEX_ALIAS_ARN})
