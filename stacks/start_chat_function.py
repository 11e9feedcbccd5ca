"""The start-chat Lambda: its own role and log group, the Powertools layer, the lambdas/ folder as code."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from aws_cdk import Acknowledgment, CfnResource, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from . import names
from .log_retention import retention

LAMBDAS_DIR = Path(__file__).resolve().parent.parent / "lambdas"
RUNTIME = lambda_.Runtime.PYTHON_3_14


def pinned_powertools_layer_arn() -> str:
    """The public Powertools layer of exactly the version the tests run with, for this runtime and arm64.

    Powertools publishes each layer's ARN as a public SSM parameter in every region it serves;
    CloudFormation resolves it at deploy time, so synth stays offline.
    """
    pinned = version("aws-lambda-powertools")
    return f"{{{{resolve:ssm:/aws/service/powertools/python/arm64/{RUNTIME.name}/{pinned}}}}}"


class StartChatFunction(Construct):
    """The Lambda behind `POST /chats`; the stack grants it StartChatContact. Attribute: `function`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        environment: Mapping[str, str],
        log_retention_days: int,
        powertools_layer_arn: str | None,
    ) -> None:
        """`environment`: the handler's settings (lambdas.start_chat.environment.lambda_environment);
        `powertools_layer_arn` None: the public layer of the pinned Powertools version."""
        super().__init__(scope, construct_id)
        log_group = logs.LogGroup(
            self,
            "FunctionLogs",
            retention=retention(log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        # Our own role, so no AWS-managed policy: it may write to its own log group and start chats.
        role = iam.Role(
            self,
            "FunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="start-chat Lambda: its log group, X-Ray, and StartChatContact on one flow",
        )
        log_group.grant_write(role)
        Validations.of(role).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.",
            )
        )
        layer_arn = powertools_layer_arn or pinned_powertools_layer_arn()
        self.function = self._function(role, log_group, layer_arn, environment)

    def _function(
        self, role: iam.Role, log_group: logs.LogGroup, layer_arn: str, environment: Mapping[str, str]
    ) -> lambda_.Function:
        function = lambda_.Function(
            self,
            "Function",
            description="Starts Amazon Connect chats for the website widget",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=names.LAMBDA_HANDLER,
            code=lambda_.Code.from_asset(
                str(LAMBDAS_DIR),
                exclude=["triage_bot", "**/__pycache__", "*.pyc", "**/openapi.json", "**/.mypy_cache"],
            ),
            layers=[lambda_.LayerVersion.from_layer_version_arn(self, "Powertools", layer_arn)],
            role=role,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            memory_size=512,
            timeout=Duration.seconds(20),
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                **environment,
                "POWERTOOLS_SERVICE_NAME": names.SERVICE_NAME,
                "POWERTOOLS_METRICS_NAMESPACE": names.METRICS_NAMESPACE,
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        )
        # CDK makes the function depend on the role it already references (cfn-lint W3005);
        # the dependency on the role's policy is the one that matters.
        policy = role.node.find_child("DefaultPolicy").node.default_child
        cfn_function = function.node.default_child
        assert isinstance(policy, CfnResource) and isinstance(cfn_function, CfnResource)
        cfn_function.add_override("DependsOn", [Stack.of(self).get_logical_id(policy)])
        return function
