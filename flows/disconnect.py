"""The disconnect flow: wait for the customer to come back, then queue again or end."""

from __future__ import annotations

from typing import Final

from flows import actions
from flows.bot_steps import bot_actions
from flows.document import AGENT_ARN_REFERENCE, FlowDocument, flow_to_json
from flows.params import DisconnectFlowParams
from flows.validator import check_flow

# Action identifiers: stable, so the sandbox, tests and console reviewers can refer to them.
CONTINUE_PROMPT: Final = "continue-prompt"
WAIT_FOR_CUSTOMER: Final = "wait-for-customer"
SET_WORKING_QUEUE: Final = "set-working-queue"
TRANSFER_TO_QUEUE: Final = "transfer-to-queue"
TIMEOUT_MESSAGE: Final = "timeout-message"
APOLOGIZE: Final = "apologize"
DISCONNECT: Final = "disconnect"
RETURN_BOT: Final = "return-bot"
SET_PREVIOUS_AGENT: Final = "set-previous-agent"
TRANSFER_TO_AGENT: Final = "transfer-to-agent"


def build_disconnect_flow(params: DisconnectFlowParams) -> FlowDocument:
    """Build the disconnect flow as a flow-language document (a plain dict).

    It runs when the agent or bot has left and only the customer remains:
    continue prompt -> Wait (``wait_seconds``, event CustomerReturned) ->
    on CustomerReturned: [the return bot: same issue -> the previous agent's queue, else its topic]
    -> set working queue -> transfer to queue;
    on WaitCompleted: timeout message -> disconnect.
    Any error, or a full queue, sends the apology and disconnects.
    The result is checked with :func:`flows.validator.check_flow` before it is returned.
    """
    bot = params.return_bot
    flow_actions = [
        actions.send_message(
            CONTINUE_PROMPT, params.effective_continue_message, then=WAIT_FOR_CUSTOMER, on_error=APOLOGIZE
        ),
        actions.wait_for_customer(
            WAIT_FOR_CUSTOMER,
            params.wait_seconds,
            when_returned=SET_WORKING_QUEUE if bot is None else RETURN_BOT,
            when_timed_out=TIMEOUT_MESSAGE,
            on_error=APOLOGIZE,
        ),
    ]
    if bot is not None:
        flow_actions += bot_actions(bot, RETURN_BOT, then=SET_WORKING_QUEUE, when_back=SET_PREVIOUS_AGENT)
        flow_actions += [
            # Same issue: the previous agent's own queue; no such agent, or a full queue: the chat queue.
            actions.set_agent_queue(
                SET_PREVIOUS_AGENT, AGENT_ARN_REFERENCE, then=TRANSFER_TO_AGENT, on_error=SET_WORKING_QUEUE
            ),
            actions.transfer_to_queue(
                TRANSFER_TO_AGENT, at_capacity=SET_WORKING_QUEUE, on_error=SET_WORKING_QUEUE
            ),
        ]
    flow_actions += [
        actions.set_working_queue(
            SET_WORKING_QUEUE, params.queue_arn, then=TRANSFER_TO_QUEUE, on_error=APOLOGIZE
        ),
        actions.transfer_to_queue(TRANSFER_TO_QUEUE, at_capacity=APOLOGIZE, on_error=APOLOGIZE),
        # The customer is probably gone: if the goodbye fails, end the chat anyway.
        actions.send_message(TIMEOUT_MESSAGE, params.timeout_message, then=DISCONNECT, on_error=DISCONNECT),
        actions.send_message(APOLOGIZE, params.error_message, then=DISCONNECT, on_error=DISCONNECT),
        actions.disconnect(DISCONNECT),
    ]
    document = actions.flow_document(
        flow_actions,
        name="Chat disconnect flow",
        description="Waits for the customer to return after the agent left; queues again or ends the chat.",
    )
    return check_flow(document)


def disconnect_flow_json(params: DisconnectFlowParams, *, indent: int | None = 2) -> str:
    """The disconnect flow as stable JSON text (see :func:`flows.document.flow_to_json`)."""
    return flow_to_json(build_disconnect_flow(params), indent=indent)
