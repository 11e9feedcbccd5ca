"""The Amazon Connect instance (created, or an existing one), its flow logs, approved origins and bot."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Fn, RemovalPolicy
from aws_cdk import aws_connect as connect
from aws_cdk import aws_logs as logs
from constructs import Construct

from flows import arns

from .log_retention import retention


class ConnectInstance(Construct):
    """A chat-only instance, or a reference to the user's own; origins and bot registered with it.

    Attributes: `instance_arn`, `instance_id`, `lex_association` (the bot's registration, None
    when nothing was registered: flows that use the bot must be created after it).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        existing_instance_arn: str | None,
        alias: str | None,
        log_retention_days: int,
        approved_origins: Sequence[str],
        lex_bot_alias_arn: str | None,
    ) -> None:
        """`approved_origins`: the websites to register with the instance (none: register nothing)."""
        super().__init__(scope, construct_id)
        self.instance_arn: str
        self.instance_id: str
        if existing_instance_arn is None:
            self.instance_arn, self.instance_id = self._create(alias, log_retention_days)
        else:
            self.instance_arn = existing_instance_arn
            self.instance_id = arns.last_id(existing_instance_arn)
        self._approve(approved_origins)
        # With an existing instance the bot is registered by its owner (Flows → Amazon Lex in the console):
        # associating it again would fail, and deleting the stack would unregister it.
        self.lex_association: connect.CfnIntegrationAssociation | None = None
        if lex_bot_alias_arn is not None and existing_instance_arn is None:
            self.lex_association = connect.CfnIntegrationAssociation(
                self,
                "LexBot",
                instance_id=self.instance_arn,
                integration_type="LEX_BOT",
                integration_arn=lex_bot_alias_arn,
            )

    def _create(self, alias: str | None, log_retention_days: int) -> tuple[str, str]:
        """Creates the instance and its flow-log group; returns the instance's ARN and id."""
        # The alias is the login URL (https://ALIAS.my.connect.aws), unique worldwide: unless one is
        # configured, derive it from the account and region so the default deploys anywhere.
        instance_alias = alias or Fn.sub("chat-${AWS::AccountId}-${AWS::Region}")
        instance = connect.CfnInstance(
            self,
            "Instance",
            identity_management_type="CONNECT_MANAGED",
            instance_alias=instance_alias,
            # Chat needs no flag: it is always on. Calls stay off in a chat-only contact center.
            attributes=connect.CfnInstance.AttributesProperty(
                inbound_calls=False, outbound_calls=False, contactflow_logs=True
            ),
        )
        # Connect writes flow logs (with contact attributes) here; left to itself it keeps them forever.
        logs.LogGroup(
            self,
            "FlowLogs",
            log_group_name=f"/aws/connect/{instance_alias}",
            retention=retention(log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        return instance.attr_arn, instance.attr_id

    def _approve(self, origins: Sequence[str]) -> None:
        # One after the other: Connect throttles bursts of instance configuration calls.
        previous: Construct | None = None
        for index, origin in enumerate(origins):
            approved = connect.CfnApprovedOrigin(
                self, f"ApprovedOrigin{index}", instance_id=self.instance_arn, origin=origin
            )
            if previous is not None:
                approved.node.add_dependency(previous)
            previous = approved
