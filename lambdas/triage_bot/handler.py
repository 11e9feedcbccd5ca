"""Lambda entry point (``triage_bot.handler.lambda_handler``): wiring only, the turns live in dialog.py."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from .dialog import next_turn
from .lex_event import parse_event
from .settings import Settings, get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service=os.getenv("POWERTOOLS_SERVICE_NAME") or "triage-bot")


@logger.inject_lambda_context(log_event=False, clear_state=True)
def _handle(event: dict[str, Any], context: LambdaContext, settings: Settings) -> dict[str, Any]:
    lex_event = parse_event(event)
    intent = lex_event["sessionState"].get("intent")
    response = next_turn(lex_event, settings.script)
    # The customer's words are theirs: log which intent and what happens next, never the transcript.
    logger.info(
        "bot turn",
        extra={
            "intent": intent["name"] if intent else None,
            "next": response["sessionState"].get("dialogAction", {}).get("type"),
            "session_id": lex_event["sessionId"],
        },
    )
    return dict(response)


def lambda_handler(
    event: dict[str, Any], context: LambdaContext, *, settings: Settings | None = None
) -> dict[str, Any]:
    """Answer a Lex V2 code hook event with the next turn of the triage conversation.

    Lambda passes only the event and context; a host running the hook in-process (the sandbox, tests)
    passes its own ``settings``. Left out: settings parsed once from ``os.environ``.
    """
    return _handle(event, context, settings or get_settings())


def configure_output(*, log_level: str) -> None:
    """Set the hook's log level for the whole process.

    In Lambda the function's configuration decides (POWERTOOLS_LOG_LEVEL); a host running the hook
    in-process (the sandbox) calls this instead of writing ``os.environ``.
    """
    logger.setLevel(log_level)
