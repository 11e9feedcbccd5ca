"""The code hook's contract with the bot definition and with its environment."""

from __future__ import annotations

import json

import pytest

from bots import build_triage_bot, code_hook_script, triage
from lambdas.triage_bot import dialog
from lambdas.triage_bot.environment import ENV_SCRIPT, code_hook_environment
from lambdas.triage_bot.interactive import list_picker, quick_reply
from lambdas.triage_bot.settings import SettingsError, load_settings

pytestmark = pytest.mark.unit


def test_the_hook_names_the_intents_and_slot_of_the_bot_definition() -> None:
    # The hook is deployed without bots/, so it keeps its own copy of these names: they must agree.
    bot = build_triage_bot()
    names = {intent.name for intent in bot.intents}
    assert {dialog.TRIAGE, dialog.WELCOME_BACK, dialog.SAME_ISSUE, dialog.NEW_ISSUE, dialog.FALLBACK} == names
    assert (dialog.TRIAGE, dialog.WELCOME_BACK) == (triage.TRIAGE, triage.WELCOME_BACK)
    assert (dialog.SAME_ISSUE, dialog.NEW_ISSUE) == (triage.SAME_ISSUE, triage.NEW_ISSUE)
    assert dialog.TOPIC_SLOT == triage.TOPIC_SLOT


def test_the_script_round_trips_through_the_environment() -> None:
    settings = load_settings(code_hook_environment(code_hook_script()))
    assert settings.script.to_json() == code_hook_script()
    # A Lambda environment holds at most 4 KB in all.
    assert len(code_hook_environment(code_hook_script())[ENV_SCRIPT]) < 4096


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {ENV_SCRIPT: "{}"},
        {ENV_SCRIPT: "not json"},
        {ENV_SCRIPT: "[]"},
        {ENV_SCRIPT: json.dumps({**code_hook_script(), "yes": ""})},
        {ENV_SCRIPT: json.dumps({**code_hook_script(), "topics": []})},
        {ENV_SCRIPT: json.dumps({**code_hook_script(), "extra": "x"})},
    ],
)
def test_a_missing_or_broken_script_is_named(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=ENV_SCRIPT):
        load_settings(environ)


def test_interactive_messages_carry_a_title_a_client_can_fall_back_to() -> None:
    picker = json.loads(list_picker("Pick", "one", ("a", "b")))
    assert picker == {
        "templateType": "ListPicker",
        "version": "1.0",
        "data": {
            "content": {"title": "Pick", "subtitle": "one", "elements": [{"title": "a"}, {"title": "b"}]}
        },
    }
    reply = json.loads(quick_reply("Sure?", ("Yes", "No")))
    assert reply["templateType"] == "QuickReply"
    assert reply["data"]["content"] == {"title": "Sure?", "elements": [{"title": "Yes"}, {"title": "No"}]}
