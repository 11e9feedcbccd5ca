"""The inbound chat flow and the disconnect flow as Amazon Connect resources, built by `flows/`."""

from __future__ import annotations

from aws_cdk import Fn, Stack
from aws_cdk import aws_connect as connect
from constructs import Construct

from flows.disconnect import build_disconnect_flow
from flows.inbound import build_inbound_flow
from flows.params import DisconnectFlowParams, InboundFlowParams
from flows.validator import check_flow

from .config import DeploymentConfig


def flow_id_of(flow_arn: str) -> str:
    """The flow id (last part of arn:...:instance/ID/contact-flow/FLOW-ID) of a flow ARN token."""
    return Fn.select(3, Fn.split("/", flow_arn))


class ChatFlows(Construct):
    """Both flows are CONTACT_FLOW: Connect has no separate type for a disconnect flow."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeploymentConfig,
        instance_arn: str,
        queue_arn: str,
        hours_of_operation_arn: str,
        lex_association: Construct | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        disconnect_doc = check_flow(
            build_disconnect_flow(
                DisconnectFlowParams(
                    queue_arn=queue_arn,
                    wait_seconds=config.disconnect_wait_seconds,
                    continue_message=config.continue_message,
                    timeout_message=config.timeout_message,
                )
            )
        )
        disconnect_flow = connect.CfnContactFlow(
            self,
            "DisconnectFlow",
            instance_arn=instance_arn,
            name=f"{stack.stack_name} chat disconnect",
            type="CONTACT_FLOW",
            description="Runs when the agent has left: waits for the customer to come back, then re-queues",
            content=stack.to_json_string(disconnect_doc),
        )
        inbound_doc = check_flow(
            build_inbound_flow(
                InboundFlowParams(
                    queue_arn=queue_arn,
                    hours_of_operation_arn=hours_of_operation_arn,
                    disconnect_flow_arn=disconnect_flow.attr_contact_flow_arn,
                    lex_bot_alias_arn=config.lex_bot_alias_arn,
                    greeting=config.greeting,
                    closed_message=config.closed_message,
                )
            )
        )
        inbound_flow = connect.CfnContactFlow(
            self,
            "InboundFlow",
            instance_arn=instance_arn,
            name=f"{stack.stack_name} chat inbound",
            type="CONTACT_FLOW",
            description="Website chats: greet, set the disconnect flow, check hours, queue",
            content=stack.to_json_string(inbound_doc),
        )
        if lex_association is not None:
            # Connect checks the bots a flow uses when it publishes it: register the bot first.
            inbound_flow.node.add_dependency(lex_association)
        self.disconnect_flow_arn: str = disconnect_flow.attr_contact_flow_arn
        self.inbound_flow_arn: str = inbound_flow.attr_contact_flow_arn
        self.inbound_flow_id: str = flow_id_of(self.inbound_flow_arn)
