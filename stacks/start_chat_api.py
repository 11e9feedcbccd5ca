"""The public start-chat endpoint: REST API Gateway → start-chat Lambda → Amazon Connect StartChatContact."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from aws_cdk import Acknowledgment, CfnOutput, CfnResource, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from lambdas.start_chat.environment import lambda_environment

from . import names
from .config import DeploymentConfig
from .log_retention import retention

LAMBDAS_DIR = Path(__file__).resolve().parent.parent / "lambdas"
RUNTIME = lambda_.Runtime.PYTHON_3_14
STAGE_NAME = "v1"


def powertools_layer_arn() -> str:
    """The public Powertools layer of exactly the version the tests run with, for this runtime and arm64.

    Powertools publishes each layer's ARN as a public SSM parameter in every region it serves;
    CloudFormation resolves it at deploy time, so synth stays offline.
    """
    pinned = version("aws-lambda-powertools")
    return f"{{{{resolve:ssm:/aws/service/powertools/python/arm64/{RUNTIME.name}/{pinned}}}}}"


# A coarse first line of defence at the gateway; the Lambda's model has the exact limits and names
# every failing field, so nothing here may be stricter than it.
REQUEST_SCHEMA = apigw.JsonSchema(
    schema=apigw.JsonSchemaVersion.DRAFT4,
    title="StartChatRequest",
    type=apigw.JsonSchemaType.OBJECT,
    required=["ParticipantDetails"],
    properties={
        "ParticipantDetails": apigw.JsonSchema(
            type=apigw.JsonSchemaType.OBJECT,
            required=["DisplayName"],
            properties={"DisplayName": apigw.JsonSchema(type=apigw.JsonSchemaType.STRING, min_length=1)},
        ),
        # Optional fields may be null: the Lambda reads null as absent.
        "Attributes": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.OBJECT, apigw.JsonSchemaType.NULL],
            additional_properties=apigw.JsonSchema(type=apigw.JsonSchemaType.STRING),
        ),
        "InitialMessage": apigw.JsonSchema(type=[apigw.JsonSchemaType.OBJECT, apigw.JsonSchemaType.NULL]),
        "SupportedMessagingContentTypes": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.ARRAY, apigw.JsonSchemaType.NULL],
            items=apigw.JsonSchema(type=apigw.JsonSchemaType.STRING),
        ),
        "ChatDurationInMinutes": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.INTEGER, apigw.JsonSchemaType.NULL]
        ),
        "PersistentChat": apigw.JsonSchema(type=[apigw.JsonSchemaType.OBJECT, apigw.JsonSchemaType.NULL]),
        "ClientToken": apigw.JsonSchema(type=[apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL]),
    },
)


def _error_template(code: str, message: str) -> dict[str, str]:
    return {"application/json": json.dumps({"error": {"code": code, "message": message}})}


class StartChatApi(Construct):
    """REST API with WAF and throttling in front of the start-chat Lambda, pinned to one instance and flow."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeploymentConfig,
        instance_arn: str,
        instance_id: str,
        contact_flow_arn: str,
        contact_flow_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = self._function(config, instance_id, contact_flow_id)
        self.function.add_to_role_policy(
            iam.PolicyStatement(
                sid="StartChatInOneFlow",
                actions=["connect:StartChatContact"],
                resources=[instance_arn, contact_flow_arn],
            )
        )
        self.api = self._api(config)
        self._web_acl(config)
        self.url = f"{self.api.url}chats"
        CfnOutput(
            Stack.of(self), names.OUTPUT_API_URL, value=self.url, description="POST here to start a chat"
        )

    def _function(self, config: DeploymentConfig, instance_id: str, contact_flow_id: str) -> lambda_.Function:
        log_group = logs.LogGroup(
            self,
            "FunctionLogs",
            retention=retention(config.log_retention_days),
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
        powertools = lambda_.LayerVersion.from_layer_version_arn(
            self, "Powertools", config.powertools_layer_arn or powertools_layer_arn()
        )
        function = lambda_.Function(
            self,
            "Function",
            description="Starts Amazon Connect chats for the website widget",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=names.LAMBDA_HANDLER,
            code=lambda_.Code.from_asset(
                str(LAMBDAS_DIR),
                exclude=["**/__pycache__", "*.pyc", "**/openapi.json", "**/.mypy_cache"],
            ),
            layers=[powertools],
            role=role,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            memory_size=512,
            timeout=Duration.seconds(20),
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                **lambda_environment(
                    instance_id=instance_id,
                    contact_flow_id=contact_flow_id,
                    allowed_origins=config.allowed_origins,
                    allowed_attributes=config.allowed_attributes,
                    chat_duration_minutes=config.chat_duration_minutes,
                    enable_attachments=config.enable_attachments,
                    enable_markdown=config.enable_markdown,
                ),
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
        Validations.of(role).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.",
            )
        )
        return function

    def _api(self, config: DeploymentConfig) -> apigw.RestApi:
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=retention(config.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        api = apigw.RestApi(
            self,
            "Api",
            description="Start-chat API for the Amazon Connect chat widget",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=True,
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                throttling_rate_limit=config.api_rate_limit,
                throttling_burst_limit=config.api_burst_limit,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=False,
                ),
            ),
        )
        model = api.add_model("StartChatRequest", content_type="application/json", schema=REQUEST_SCHEMA)
        validator = api.add_request_validator(
            "RequestValidator", validate_request_body=True, validate_request_parameters=True
        )
        integration = apigw.LambdaIntegration(self.function, proxy=True)
        chats = api.root.add_resource("chats")
        chats.add_method(
            "POST",
            integration,
            request_models={"application/json": model},
            request_validator=validator,
        )
        # Preflight goes to the Lambda too: it answers only origins on the allow-list.
        chats.add_method("OPTIONS", integration)
        self._gateway_responses(api)

        for method in (m for m in api.methods):
            Validations.of(method).acknowledge(
                Acknowledgment(
                    id="AwsSolutions-APIG4",
                    reason="A public website widget calls this; protected by WAF, throttling and an origin "
                    "allow-list, and it can only start chats in the one pinned flow.",
                ),
                Acknowledgment(
                    id="AwsSolutions-COG4",
                    reason="Website visitors are anonymous: there is no user pool to authorize against.",
                ),
            )
        Validations.of(api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="The account-level role API Gateway needs for execution logs; AWS keeps this policy "
                "to exactly the log actions it uses.",
            )
        )
        return api

    def _gateway_responses(self, api: apigw.RestApi) -> None:
        # Answers API Gateway gives before the Lambda runs, in the same error shape as the Lambda's.
        responses = {
            "BadRequestBody": (
                apigw.ResponseType.BAD_REQUEST_BODY,
                "400",
                "VALIDATION_ERROR",
                "The request body does not match the API's schema: a JSON object with "
                "ParticipantDetails.DisplayName, optional fields of the documented types.",
            ),
            "Throttled": (
                apigw.ResponseType.THROTTLED,
                "429",
                "THROTTLED",
                "Too many chats are starting right now. Please try again in a moment.",
            ),
            "WafFiltered": (
                apigw.ResponseType.WAF_FILTERED,
                "403",
                "REQUEST_BLOCKED",
                "This request was refused.",
            ),
            "Default4xx": (apigw.ResponseType.DEFAULT_4_XX, None, "BAD_REQUEST", "The request was refused."),
            "Default5xx": (
                apigw.ResponseType.DEFAULT_5_XX,
                None,
                "CHAT_SERVICE_UNAVAILABLE",
                "Chat is unavailable right now. Please try again later.",
            ),
        }
        # Echoing the Origin on these fixed error bodies lets the widget read them (and Retry-After);
        # they carry no data, and successful answers still come only to allowed origins.
        cors = {
            "Access-Control-Allow-Origin": "method.request.header.Origin",
            "Access-Control-Expose-Headers": "'Retry-After'",
            "Vary": "'Origin'",
        }
        for construct_id, (response_type, status, code, message) in responses.items():
            retry = {"Retry-After": "'5'"} if status == "429" else {}
            api.add_gateway_response(
                construct_id,
                type=response_type,
                status_code=status,
                response_headers={**cors, **retry},
                templates=_error_template(code, message),
            )

    def _web_acl(self, config: DeploymentConfig) -> None:
        def visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
            return wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
            )

        def managed(
            priority: int, name: str, overrides: list[str] | None = None
        ) -> wafv2.CfnWebACL.RuleProperty:
            return wafv2.CfnWebACL.RuleProperty(
                name=name,
                priority=priority,
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS",
                        name=name,
                        rule_action_overrides=[
                            wafv2.CfnWebACL.RuleActionOverrideProperty(
                                name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                            )
                            for rule in overrides or []
                        ]
                        or None,
                    )
                ),
                visibility_config=visibility(name),
            )

        rate_limit = wafv2.CfnWebACL.RuleProperty(
            name="RateLimitPerIp",
            priority=0,
            action=wafv2.CfnWebACL.RuleActionProperty(
                block=wafv2.CfnWebACL.BlockActionProperty(
                    custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                        response_code=429,
                        custom_response_body_key="throttled",
                        response_headers=[
                            wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Retry-After", value="60")
                        ],
                    )
                )
            ),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    aggregate_key_type="IP", limit=config.waf_rate_limit_per_ip, evaluation_window_sec=300
                )
            ),
            visibility_config=visibility("RateLimitPerIp"),
        )
        acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            description="Start-chat API: per-IP rate limit and AWS managed protections",
            visibility_config=visibility("StartChatApi"),
            custom_response_bodies={
                "throttled": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=json.dumps(
                        {
                            "error": {
                                "code": "THROTTLED",
                                "message": "Too many requests. Try again in a minute.",
                            }
                        }
                    ),
                )
            },
            rules=[
                rate_limit,
                managed(1, "AWSManagedRulesAmazonIpReputationList"),
                # Bodies may carry up to 32 KB of contact attributes, above this group's 8 KB body rule;
                # the Lambda enforces the real size limits.
                managed(2, "AWSManagedRulesCommonRuleSet", overrides=["SizeRestrictions_BODY"]),
                managed(3, "AWSManagedRulesKnownBadInputsRuleSet"),
            ],
        )
        wafv2.CfnWebACLAssociation(
            self,
            "WebAclAssociation",
            resource_arn=self.api.deployment_stage.stage_arn,
            web_acl_arn=acl.attr_arn,
        )
