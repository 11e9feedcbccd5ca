"""The sandbox's triage bot: the definition of ``bots/`` and the code hook Lambda of ``lambdas/``,
configured exactly as the stack configures them (``chatBot``)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from aws_lambda_powertools.utilities.typing import LambdaContext as PowertoolsContext

from bots.triage import build_triage_bot, code_hook_script
from lambdas.triage_bot import handler
from lambdas.triage_bot.environment import code_hook_environment
from lambdas.triage_bot.settings import load_settings
from sandbox.bot_runtime.lex_runtime import CodeHook, LexRuntime
from sandbox.config import SandboxConfig
from sandbox.web.start_chat_route import LambdaContext

CODE_HOOK_NAME = "triage-bot"


def bot_alias_arn(config: SandboxConfig) -> str:
    """The local bot alias's ARN, in Lex V2's form (what the flows name)."""
    return f"arn:aws:lex:{config.region}:{config.account_id}:bot-alias/{config.bot_id}/{config.bot_alias_id}"


def code_hook() -> CodeHook:
    """The real hook handler, with the settings its deployed environment parses into."""
    settings = load_settings(code_hook_environment(code_hook_script()))
    handler.configure_output(log_level="WARNING")

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        context = LambdaContext(
            str(uuid.uuid4()),
            function_name=CODE_HOOK_NAME,
            invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{CODE_HOOK_NAME}",
            log_group_name=f"/aws/lambda/{CODE_HOOK_NAME}",
        )
        return handler.lambda_handler(event, cast(PowertoolsContext, context), settings=settings)

    return invoke


def triage_bot_runtime(config: SandboxConfig) -> LexRuntime:
    """The triage bot as the sandbox runs it."""
    return LexRuntime(build_triage_bot(), code_hook(), bot_id=config.bot_id, alias_id=config.bot_alias_id)
