"""The one stack: the Connect contact center (new or existing), its chat flows and the start-chat API."""

from __future__ import annotations

from typing import Any

from aws_cdk import Annotations, CfnOutput, Stack
from constructs import Construct

from . import names
from .chat_flows import ChatFlows
from .config import DeploymentConfig
from .contact_center import ContactCenter
from .start_chat_api import StartChatApi


class ConnectChatStack(Stack):
    """Everything a website needs for Amazon Connect chat, built from one DeploymentConfig."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: DeploymentConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        if not config.allowed_origins:
            Annotations.of(self).add_warning_v2(
                "connect-chat:no-origins",
                "allowedOrigins is empty: no website can start a chat from a browser. "
                "Deploy with -c 'allowedOrigins=[\"https://www.example.com\"]'.",
            )
        self.contact_center = ContactCenter(self, "ContactCenter", config=config)
        hours_arn = self.contact_center.hours_of_operation_arn
        assert hours_arn is not None  # the config requires it with an existing queue
        self.flows = ChatFlows(
            self,
            "Flows",
            config=config,
            instance_arn=self.contact_center.instance_arn,
            queue_arn=self.contact_center.queue_arn,
            hours_of_operation_arn=hours_arn,
            lex_association=self.contact_center.lex_association,
        )
        # contactFlowId (existing instance only) routes chats through a flow of the user's own instead.
        if config.contact_flow_id is not None:
            flow_id = config.contact_flow_id
            flow_arn = f"{self.contact_center.instance_arn}/contact-flow/{flow_id}"
        else:
            flow_id = self.flows.inbound_flow_id
            flow_arn = self.flows.inbound_flow_arn
        self.api = StartChatApi(
            self,
            "StartChatApi",
            config=config,
            instance_arn=self.contact_center.instance_arn,
            instance_id=self.contact_center.instance_id,
            contact_flow_arn=flow_arn,
            contact_flow_id=flow_id,
        )
        CfnOutput(self, names.OUTPUT_INBOUND_FLOW_ID, value=flow_id, description="The flow chats start in")
