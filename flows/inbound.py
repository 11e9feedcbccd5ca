"""The inbound chat flow: greet, set the disconnect flow, check hours, queue."""

from __future__ import annotations

from typing import Final

from flows import actions
from flows.bot_steps import bot_actions
from flows.document import CUSTOMER_REMAINING, FlowDocument, flow_to_json
from flows.params import InboundFlowParams
from flows.validator import check_flow

# Action identifiers: stable, so the sandbox, tests and console reviewers can refer to them.
GREETING: Final = "greeting"
SET_DISCONNECT_FLOW: Final = "set-disconnect-flow"
CHECK_HOURS: Final = "check-hours"
CLOSED_MESSAGE: Final = "closed-message"
LEX_BOT: Final = "lex-bot"
TRIAGE_BOT: Final = "triage-bot"
SET_WORKING_QUEUE: Final = "set-working-queue"
TRANSFER_TO_QUEUE: Final = "transfer-to-queue"
APOLOGIZE: Final = "apologize"
DISCONNECT: Final = "disconnect"


def build_inbound_flow(params: InboundFlowParams) -> FlowDocument:
    """Build the inbound chat flow as a flow-language document (a plain dict).

    greeting -> set disconnect flow (CustomerRemaining) -> check hours
    (closed: closed message -> disconnect) -> [Lex bot, or the triage bot and its topic] ->
    set working queue -> transfer to queue. Any error, or a full queue, sends the apology and disconnects.
    The result is checked with :func:`flows.validator.check_flow` before it is returned.
    """
    after_open = SET_WORKING_QUEUE
    if params.lex_bot_alias_arn is not None:
        after_open = LEX_BOT
    elif params.triage_bot is not None:
        after_open = TRIAGE_BOT
    flow_actions = [
        actions.send_message(GREETING, params.greeting, then=SET_DISCONNECT_FLOW, on_error=APOLOGIZE),
        actions.set_event_hook(
            SET_DISCONNECT_FLOW,
            CUSTOMER_REMAINING,
            params.disconnect_flow_arn,
            then=CHECK_HOURS,
            on_error=APOLOGIZE,
        ),
        actions.check_hours(
            CHECK_HOURS,
            params.hours_of_operation_arn,
            when_open=after_open,
            when_closed=CLOSED_MESSAGE,
            on_error=APOLOGIZE,
        ),
        actions.send_message(CLOSED_MESSAGE, params.closed_message, then=DISCONNECT, on_error=APOLOGIZE),
    ]
    if params.lex_bot_alias_arn is not None:
        flow_actions.append(
            actions.talk_to_lex_bot(
                LEX_BOT, params.bot_prompt, params.lex_bot_alias_arn, then=SET_WORKING_QUEUE
            )
        )
    if params.triage_bot is not None:
        flow_actions += bot_actions(params.triage_bot, TRIAGE_BOT, then=SET_WORKING_QUEUE)
    flow_actions += [
        actions.set_working_queue(
            SET_WORKING_QUEUE, params.queue_arn, then=TRANSFER_TO_QUEUE, on_error=APOLOGIZE
        ),
        actions.transfer_to_queue(TRANSFER_TO_QUEUE, at_capacity=APOLOGIZE, on_error=APOLOGIZE),
        # If even the apology cannot be sent there is nothing left to say: just end the chat.
        actions.send_message(APOLOGIZE, params.error_message, then=DISCONNECT, on_error=DISCONNECT),
        actions.disconnect(DISCONNECT),
    ]
    document = actions.flow_document(
        flow_actions,
        name="Inbound chat flow",
        description="Greets the customer, sets the disconnect flow, checks hours and queues the chat.",
    )
    return check_flow(document)


def inbound_flow_json(params: InboundFlowParams, *, indent: int | None = 2) -> str:
    """The inbound chat flow as stable JSON text (see :func:`flows.document.flow_to_json`)."""
    return flow_to_json(build_inbound_flow(params), indent=indent)
