"""The start-chat Lambda: its own role and log group, the Powertools layer, the lambdas/ folder as code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from . import names
from .function_basics import depend_on_role_policy, own_log_group_and_role
from .lambda_bundle import lambda_code

LAMBDAS_DIR = Path(__file__).resolve().parent.parent / "lambdas"
RUNTIME = lambda_.Runtime.PYTHON_3_14


def powertools_parameter_name() -> str:
    """The public SSM parameter holding the ARN of the Powertools layer of exactly the version the tests
    run with, for this runtime and arm64 (Powertools publishes one in every Region it serves)."""
    return f"/aws/service/powertools/python/arm64/{RUNTIME.name}/{version('aws-lambda-powertools')}"


def pinned_powertools_layer_arn() -> str:
    """That layer's ARN as a dynamic reference, resolved by CloudFormation at deploy: synth stays offline."""
    return f"{{{{resolve:ssm:{powertools_parameter_name()}}}}}"


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
        bundled_packages: Sequence[str] = (),
    ) -> None:
        """`environment`: the handler's settings (lambdas.start_chat.environment.lambda_environment);
        `powertools_layer_arn` None: the public layer of the pinned Powertools version;
        `bundled_packages`: pure-Python distributions the layer lacks, copied into the asset."""
        self._bundled_packages = tuple(bundled_packages)
        super().__init__(scope, construct_id)
        # Our own role: it may write to its own log group and start chats.
        log_group, role = own_log_group_and_role(
            self,
            logs_id="FunctionLogs",
            role_id="FunctionRole",
            log_retention_days=log_retention_days,
            description="start-chat Lambda: its log group, X-Ray, and StartChatContact on one flow",
        )
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
            code=lambda_code(LAMBDAS_DIR, self._bundled_packages),
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
        depend_on_role_policy(function, role)
        return function
