"""The inbound chat flow and the disconnect flow as Connect resources, built and validated by flows/."""

from __future__ import annotations

from aws_cdk import Fn, Stack
from aws_cdk import aws_connect as connect
from constructs import Construct

from flows.disconnect import build_disconnect_flow
from flows.document import FlowDocument
from flows.inbound import build_inbound_flow
from flows.params import BotStep, DisconnectFlowParams, InboundFlowParams


def flow_id_of(flow_arn: str) -> str:
    """The flow id (last part of arn:...:instance/ID/contact-flow/FLOW-ID) of a flow ARN token."""
    return Fn.select(3, Fn.split("/", flow_arn))


class ChatFlows(Construct):
    """Both flows are CONTACT_FLOW: Connect has no separate type for a disconnect flow.

    Attributes: `disconnect_flow_arn`, `inbound_flow_arn`, `inbound_flow_id`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instance_arn: str,
        queue_arn: str,
        hours_of_operation_arn: str,
        greeting: str,
        closed_message: str,
        disconnect_wait_seconds: int,
        continue_message: str | None,
        timeout_message: str,
        lex_bot_alias_arn: str | None,
        lex_association: Construct | None,
        triage_bot: BotStep | None = None,
        return_bot: BotStep | None = None,
    ) -> None:
        """`lex_association`: the bot's registration with the instance, created before the flows that use it;
        `triage_bot`, `return_bot`: the project's bot in the inbound and the disconnect flow (chatBot)."""
        super().__init__(scope, construct_id)
        self._instance_arn = instance_arn
        disconnect_flow = self._flow(
            "DisconnectFlow",
            "chat disconnect",
            "Runs when the agent has left: waits for the customer to come back, then re-queues",
            build_disconnect_flow(
                DisconnectFlowParams(
                    queue_arn=queue_arn,
                    wait_seconds=disconnect_wait_seconds,
                    continue_message=continue_message,
                    timeout_message=timeout_message,
                    return_bot=return_bot,
                )
            ),
        )
        inbound_flow = self._flow(
            "InboundFlow",
            "chat inbound",
            "Website chats: greet, set the disconnect flow, check hours, queue",
            build_inbound_flow(
                InboundFlowParams(
                    queue_arn=queue_arn,
                    hours_of_operation_arn=hours_of_operation_arn,
                    disconnect_flow_arn=disconnect_flow.attr_contact_flow_arn,
                    lex_bot_alias_arn=lex_bot_alias_arn,
                    greeting=greeting,
                    closed_message=closed_message,
                    triage_bot=triage_bot,
                )
            ),
        )
        if lex_association is not None:
            # Connect checks the bots a flow uses when it publishes it: register the bot first.
            inbound_flow.node.add_dependency(lex_association)
            disconnect_flow.node.add_dependency(lex_association)
        self.disconnect_flow_arn: str = disconnect_flow.attr_contact_flow_arn
        self.inbound_flow_arn: str = inbound_flow.attr_contact_flow_arn
        self.inbound_flow_id: str = flow_id_of(self.inbound_flow_arn)

    def _flow(
        self, construct_id: str, name: str, description: str, document: FlowDocument
    ) -> connect.CfnContactFlow:
        stack = Stack.of(self)
        return connect.CfnContactFlow(
            self,
            construct_id,
            instance_arn=self._instance_arn,
            name=f"{stack.stack_name} {name}",
            type="CONTACT_FLOW",
            description=description,
            content=stack.to_json_string(document),
        )
