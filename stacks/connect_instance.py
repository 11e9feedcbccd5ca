"""The Amazon Connect instance (created, or an existing one), its flow logs, approved origins and bot."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Acknowledgment, CfnResource, Fn, RemovalPolicy, Stack, Validations
from aws_cdk import aws_connect as connect
from aws_cdk import aws_logs as logs
from constructs import Construct

from flows import arns

from . import names
from .log_retention import retention

# The construct id prefix of the function behind CDK's LogRetention (aws-logs/lib/log-retention.ts).
LOG_RETENTION_PROVIDER = "LogRetention"


class ConnectInstance(Construct):
    """A chat-only instance, or a reference to the user's own; origins and bot registered with it.

    Attributes: `instance_arn`, `instance_id`, `lex_association` (the bot's registration, None
    when nothing was registered: flows that use the bot must be created after it); for a created instance
    `flow_logs` (the flow-log retention, after which the group exists) and `flow_log_group_name`.
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
        self.flow_logs: logs.LogRetention | None = None
        self.flow_log_group_name: str | None = None
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
        instance_alias = alias or Fn.sub(names.DEFAULT_INSTANCE_ALIAS)
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
        # Connect creates /aws/connect/ALIAS itself when flow logging is on, and keeps its logs (with
        # contact attributes) forever. A LogGroup resource would race it and, once a rolled-back or deleted
        # deployment has left the group behind, fail the next deploy with AlreadyExists; CDK's LogRetention
        # creates the group only if it is missing and sets the retention either way, after the instance.
        self.flow_log_group_name = f"/aws/connect/{instance_alias}"
        flow_logs = logs.LogRetention(
            self,
            "FlowLogRetention",
            log_group_name=self.flow_log_group_name,
            retention=retention(log_retention_days),
            removal_policy=RemovalPolicy.RETAIN,
        )
        flow_logs.node.add_dependency(instance)
        self.flow_logs = flow_logs
        self._review_log_retention_provider()
        return instance.attr_arn, instance.attr_id

    def _review_log_retention_provider(self) -> None:
        # LogRetention's function is one per stack, a direct child of it, with CDK's own role.
        stack = Stack.of(self)
        provider = next(c for c in stack.node.children if c.node.id.startswith(LOG_RETENTION_PROVIDER))
        # CDK makes the function depend on the role it already references (cfn-lint W3005);
        # the dependency on the role's policy is the one that matters.
        policy = provider.node.find_child("ServiceRole").node.find_child("DefaultPolicy").node.default_child
        function = provider.node.default_child
        assert isinstance(policy, CfnResource) and isinstance(function, CfnResource)
        function.add_override("DependsOn", [stack.get_logical_id(policy)])
        Validations.of(provider).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AWSLambdaBasicExecutionRole]",
                reason="CDK's LogRetention function writes its own logs with the AWS-managed basic Lambda "
                "execution policy, which AWS keeps to exactly those log actions.",
            ),
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="CDK's LogRetention function sets a retention on a log group Connect names and may "
                "create itself, so its ARN cannot be granted before the instance exists.",
            ),
        )

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
