"""The public `POST /chats` REST API: a request model, throttling, access logs, errors in the API's shape."""

from __future__ import annotations

import json
from typing import get_args

from aws_cdk import Acknowledgment, RemovalPolicy, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from lambdas.start_chat.models import (
    MAX_CLIENT_TOKEN_LENGTH,
    MAX_CONTACT_ID_LENGTH,
    MAX_CONTINUATION_TOKEN_LENGTH,
    MAX_MESSAGE_LENGTH,
    MessagingContentType,
)

from .log_retention import retention

STAGE_NAME = "v1"

# A coarse first line of defence at the gateway; the Lambda's model has the exact limits and names
# every failing field, so nothing here may be stricter than it. Lengths are the Lambda's own, except the
# display name's: the Lambda measures it after trimming whitespace, which a JSON schema cannot do.
_NULL = apigw.JsonSchemaType.NULL


def _string(max_length: int) -> apigw.JsonSchema:
    return apigw.JsonSchema(type=[apigw.JsonSchemaType.STRING, _NULL], max_length=max_length)


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
        "InitialMessage": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.OBJECT, _NULL], properties={"Content": _string(MAX_MESSAGE_LENGTH)}
        ),
        # No duplicates allowed: more items than content types is always an error.
        "SupportedMessagingContentTypes": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.ARRAY, _NULL],
            items=apigw.JsonSchema(type=apigw.JsonSchemaType.STRING),
            max_items=len(get_args(MessagingContentType)),
        ),
        "ChatDurationInMinutes": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.INTEGER, apigw.JsonSchemaType.NULL]
        ),
        "PersistentChat": apigw.JsonSchema(
            type=[apigw.JsonSchemaType.OBJECT, _NULL],
            properties={
                "SourceContactId": _string(MAX_CONTACT_ID_LENGTH),
                "ContinuationToken": _string(MAX_CONTINUATION_TOKEN_LENGTH),
            },
        ),
        "ClientToken": _string(MAX_CLIENT_TOKEN_LENGTH),
    },
)

# Answers API Gateway gives before the Lambda runs, in the same error shape as the Lambda's:
# construct id → (type, status (None: API Gateway's own), error code, message).
GATEWAY_RESPONSES: dict[str, tuple[apigw.ResponseType, str | None, str, str]] = {
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
    "WafFiltered": (apigw.ResponseType.WAF_FILTERED, "403", "REQUEST_BLOCKED", "This request was refused."),
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
GATEWAY_RESPONSE_CORS = {
    "Access-Control-Allow-Origin": "method.request.header.Origin",
    "Access-Control-Expose-Headers": "'Retry-After'",
    "Vary": "'Origin'",
}


def _error_template(code: str, message: str) -> dict[str, str]:
    return {"application/json": json.dumps({"error": {"code": code, "message": message}})}


class StartChatRestApi(Construct):
    """A regional REST API whose one resource, `/chats`, proxies POST and preflight to the handler.

    Attributes: `api`, `url` (the full `.../chats` URL), `stage_arn`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        handler: lambda_.IFunction,
        rate_limit: float,
        burst_limit: int,
        log_retention_days: int,
        create_account: bool,
    ) -> None:
        """`rate_limit`, `burst_limit`: the stage's throttling, requests per second across all callers;
        `create_account`: also create the account-wide API Gateway settings with a CloudWatch Logs role."""
        super().__init__(scope, construct_id)
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=retention(log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.api = apigw.RestApi(
            self,
            "Api",
            description="Start-chat API for the Amazon Connect chat widget",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # AWS::ApiGateway::Account is a per-account, per-Region singleton: two stacks owning it fight.
            cloud_watch_role=create_account,
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN if create_account else None,
            deploy_options=_stage_options(rate_limit, burst_limit, access_logs),
        )
        self._chats_resource(handler)
        for construct_id, (response_type, status, code, message) in GATEWAY_RESPONSES.items():
            retry = {"Retry-After": "'5'"} if status == "429" else {}
            self.api.add_gateway_response(
                construct_id,
                type=response_type,
                status_code=status,
                response_headers={**GATEWAY_RESPONSE_CORS, **retry},
                templates=_error_template(code, message),
            )
        self._acknowledge_public_access(create_account)
        self.url = f"{self.api.url}chats"
        self.stage_arn = self.api.deployment_stage.stage_arn

    def _chats_resource(self, handler: lambda_.IFunction) -> None:
        model = self.api.add_model("StartChatRequest", content_type="application/json", schema=REQUEST_SCHEMA)
        validator = self.api.add_request_validator(
            "RequestValidator", validate_request_body=True, validate_request_parameters=True
        )
        integration = apigw.LambdaIntegration(handler, proxy=True)
        chats = self.api.root.add_resource("chats")
        chats.add_method(
            "POST",
            integration,
            request_models={"application/json": model},
            request_validator=validator,
        )
        # Preflight goes to the Lambda too: it answers only origins on the allow-list.
        chats.add_method("OPTIONS", integration)

    def _acknowledge_public_access(self, create_account: bool) -> None:
        for method in self.api.methods:
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
        if not create_account:
            return
        Validations.of(self.api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="The account-level role API Gateway needs for execution logs; AWS keeps this policy "
                "to exactly the log actions it uses.",
            )
        )


def _stage_options(rate_limit: float, burst_limit: int, access_logs: logs.LogGroup) -> apigw.StageOptions:
    return apigw.StageOptions(
        stage_name=STAGE_NAME,
        throttling_rate_limit=rate_limit,
        throttling_burst_limit=burst_limit,
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
    )
