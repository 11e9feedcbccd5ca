"""The code hook's environment: its one variable and the function that builds it.

The stack and the sandbox call :func:`code_hook_environment` with ``bots.triage.code_hook_script()``;
the hook parses it with ``triage_bot.settings.load_settings``: one contract, written once.
"""

import json
from collections.abc import Mapping
from typing import Final

ENV_SCRIPT: Final = "TRIAGE_SCRIPT"
"""A JSON object: what the bot says and offers (see ``triage_bot.settings.Script``)."""


def code_hook_environment(script: Mapping[str, object]) -> dict[str, str]:
    """The variables the code hook is deployed with."""
    return {ENV_SCRIPT: json.dumps(script, separators=(",", ":"), ensure_ascii=False)}
