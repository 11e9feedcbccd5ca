"""The start-chat API as synthesized: least privilege, throttling, WAF, validation, runtime."""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

import jsonschema
import pytest
from aws_cdk.assertions import Match

from lambdas.start_chat import environment
from stacks import names
from stacks.start_chat_function import RUNTIME

from .conftest import INSTANCE_ARN, NEW_INSTANCE, OWN_FLOW_ID, Synthesized

pytestmark = pytest.mark.infra


def test_function_may_only_start_chats_in_the_pinned_instance_and_flow(
    existing_instance: Synthesized,
) -> None:
    # Given an existing instance and the user's own inbound flow
    # Then the only Connect permission is StartChatContact on exactly that flow (its required resource)
    # and that instance's contacts (its optional resource: the past contact a persistent chat continues);
    # the bare instance ARN is neither, so it is not granted
    connect = [s for s in existing_instance.policy_statements() if "connect" in json.dumps(s.get("Action"))]
    assert connect == [
        {
            "Action": "connect:StartChatContact",
            "Effect": "Allow",
            "Resource": [f"{INSTANCE_ARN}/contact-flow/{OWN_FLOW_ID}", f"{INSTANCE_ARN}/contact/*"],
            "Sid": "StartChatInOneFlow",
        }
    ]


def test_created_flow_and_instance_are_the_ones_the_function_may_use(new_instance: Synthesized) -> None:
    connect = [s for s in new_instance.policy_statements() if s.get("Sid") == "StartChatInOneFlow"]
    assert len(connect) == 1
    flow_ids = list(new_instance.resources("AWS::Connect::ContactFlow"))
    inbound = next(i for i in flow_ids if "Inbound" in i)
    instance_id = next(iter(new_instance.resources("AWS::Connect::Instance")))
    assert connect[0]["Resource"] == [
        {"Fn::GetAtt": [inbound, "ContactFlowArn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [instance_id, "Arn"]}, "/contact/*"]]},
    ]


@pytest.mark.parametrize("fixture", ["new_instance", "existing_instance", "existing_with_lex"])
def test_no_wildcard_actions_and_no_managed_policy_on_the_function(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    synth: Synthesized = request.getfixturevalue(fixture)
    for statement in synth.policy_statements():
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions), statement
        if statement["Resource"] == "*":
            # X-Ray has no resource-level permissions, and CDK's LogRetention function sets the retention
            # of a log group Connect names itself; nothing else may use "*".
            assert set(actions) in (
                {"xray:PutTraceSegments", "xray:PutTelemetryRecords"},
                {"logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"},
            ), statement
    function_role = next(
        role
        for lid, role in synth.resources("AWS::IAM::Role").items()
        if lid.startswith("StartChatApiFunctionRole")
    )
    assert "ManagedPolicyArns" not in function_role["Properties"]


def test_function_runtime_architecture_code_and_environment(existing_instance: Synthesized) -> None:
    function = existing_instance.only("AWS::Lambda::Function")["Properties"]
    assert function["Runtime"] == RUNTIME.name == "python3.14"
    assert function["Architectures"] == ["arm64"]
    assert function["Handler"] == names.LAMBDA_HANDLER
    assert function["TracingConfig"] == {"Mode": "Active"}
    assert function["LoggingConfig"]["LogFormat"] == "JSON"
    # The public layer of exactly the Powertools version the tests run with, resolved at deploy time
    assert function["Layers"] == [
        f"{{{{resolve:ssm:/aws/service/powertools/python/arm64/python3.14/{version('aws-lambda-powertools')}}}}}"
    ]
    env = function["Environment"]["Variables"]
    assert env[environment.ENV_CONTACT_FLOW_ID] == OWN_FLOW_ID
    assert env[environment.ENV_INSTANCE_ID] == INSTANCE_ARN.rsplit("/", 1)[1]
    assert json.loads(env[environment.ENV_ALLOWED_ORIGINS]) == ["https://shop.example.org"]
    assert json.loads(env[environment.ENV_ALLOWED_ATTRIBUTES]) == ["customerName"]
    assert env[environment.ENV_CHAT_DURATION_MINUTES] == "1500"
    assert env[environment.ENV_ENABLE_ATTACHMENTS] == "false"
    assert env[environment.ENV_ENABLE_MARKDOWN] == "true"


def test_log_groups_have_retention(new_instance: Synthesized) -> None:
    groups = new_instance.resources("AWS::Logs::LogGroup")
    assert len(groups) == 2  # the function's and the API's access log
    # The instance's flow logs: a group Connect may create itself, so its retention is set, not created
    retention = new_instance.resources("Custom::LogRetention")
    assert len(retention) == 1
    retention_days = [g["Properties"]["RetentionInDays"] for g in [*groups.values(), *retention.values()]]
    assert set(retention_days) == {90}


def test_stage_throttling_logging_and_tracing(new_instance: Synthesized) -> None:
    new_instance.template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "StageName": "v1",
            "TracingEnabled": True,
            "AccessLogSetting": {"DestinationArn": Match.any_value(), "Format": Match.any_value()},
            "MethodSettings": [
                Match.object_like(
                    {
                        "HttpMethod": "*",
                        "ResourcePath": "/*",
                        "LoggingLevel": "ERROR",
                        "DataTraceEnabled": False,
                        "ThrottlingRateLimit": 4,
                        "ThrottlingBurstLimit": 6,
                    }
                )
            ],
        },
    )


def test_throttling_comes_from_config(synth: Any) -> None:
    result = synth({"apiRateLimit": 2, "apiBurstLimit": 3, "wafRateLimitPerIp": 50})
    settings = result.only("AWS::ApiGateway::Stage")["Properties"]["MethodSettings"][0]
    assert (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"]) == (2, 3)
    rules = result.only("AWS::WAFv2::WebACL")["Properties"]["Rules"]
    assert rules[0]["Statement"]["RateBasedStatement"]["Limit"] == 50


def test_post_validates_its_body_against_the_model(new_instance: Synthesized) -> None:
    methods = {
        m["Properties"]["HttpMethod"]: m["Properties"]
        for m in new_instance.resources("AWS::ApiGateway::Method").values()
    }
    assert set(methods) == {"POST", "OPTIONS"}
    post = methods["POST"]
    assert post["RequestValidatorId"] == {
        "Ref": next(iter(new_instance.resources("AWS::ApiGateway::RequestValidator")))
    }
    assert "application/json" in post["RequestModels"]
    assert post["Integration"]["Type"] == "AWS_PROXY"
    assert methods["OPTIONS"]["Integration"]["Type"] == "AWS_PROXY"  # preflight answered by the allow-list
    validator = new_instance.only("AWS::ApiGateway::RequestValidator")["Properties"]
    assert validator["ValidateRequestBody"] is True
    schema = new_instance.only("AWS::ApiGateway::Model")["Properties"]["Schema"]
    assert schema["required"] == ["ParticipantDetails"]
    assert schema["properties"]["ParticipantDetails"]["required"] == ["DisplayName"]


def test_gateway_errors_use_the_api_error_shape(new_instance: Synthesized) -> None:
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in new_instance.resources("AWS::ApiGateway::GatewayResponse").values()
    }
    assert {"BAD_REQUEST_BODY", "THROTTLED", "WAF_FILTERED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(responses)
    for response in responses.values():
        body = json.loads(response["ResponseTemplates"]["application/json"])
        assert set(body["error"]) == {"code", "message"}
    assert responses["THROTTLED"]["StatusCode"] == "429"
    assert responses["THROTTLED"]["ResponseParameters"]["gatewayresponse.header.Retry-After"] == "'5'"
    for response in responses.values():
        # Readable by the widget: the fixed error bodies echo the Origin and expose Retry-After.
        headers = response["ResponseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "method.request.header.Origin"
        assert headers["gatewayresponse.header.Access-Control-Expose-Headers"] == "'Retry-After'"


def test_waf_is_associated_with_the_stage_with_rate_and_managed_rules(new_instance: Synthesized) -> None:
    acl_id, acl = next(iter(new_instance.resources("AWS::WAFv2::WebACL").items()))
    assert acl["Properties"]["Scope"] == "REGIONAL"
    rules = acl["Properties"]["Rules"]
    rate = rules[0]
    assert rate["Statement"]["RateBasedStatement"] == {
        "AggregateKeyType": "IP",
        "EvaluationWindowSec": 300,
        "Limit": 100,
    }
    # Exhausting the stage's throttle (apiRateLimit per second, over WAF's 5-minute window) takes more
    # than 10 client IPs sending at the per-IP limit.
    stage = new_instance.only("AWS::ApiGateway::Stage")["Properties"]["MethodSettings"][0]
    assert stage["ThrottlingRateLimit"] * 300 / rate["Statement"]["RateBasedStatement"]["Limit"] > 10
    block = rate["Action"]["Block"]["CustomResponse"]
    assert block["ResponseCode"] == 429
    assert {"Name": "Retry-After", "Value": "60"} in block["ResponseHeaders"]
    body = acl["Properties"]["CustomResponseBodies"][block["CustomResponseBodyKey"]]
    assert json.loads(body["Content"])["error"]["code"] == "THROTTLED"
    managed = [r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in rules[1:4]]
    assert managed == [
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ]
    # Then our own: cross-site scripting in names and the body size (test_firewall.py)
    assert [r["Name"] for r in rules[4:]] == ["CrossSiteScriptingInNames", "BodyTooLarge"]
    association = new_instance.only("AWS::WAFv2::WebACLAssociation")["Properties"]
    assert association["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    stage_id = next(iter(new_instance.resources("AWS::ApiGateway::Stage")))
    assert stage_id in json.dumps(association["ResourceArn"])


def test_outputs_the_api_url(new_instance: Synthesized) -> None:
    url = json.dumps(new_instance.json["Outputs"][names.OUTPUT_API_URL]["Value"])
    assert "/chats" in url and "execute-api" in url


def test_empty_origin_list_warns_at_synth(defaults: Synthesized, new_instance: Synthesized) -> None:
    assert any("allowedOrigins is empty" in w for w in defaults.warnings)
    assert not any("allowedOrigins" in w for w in new_instance.warnings)


ACCEPTED_BY_THE_LAMBDA: list[dict[str, Any]] = [
    {"ParticipantDetails": {"DisplayName": "Ada"}},
    {
        "ParticipantDetails": {"DisplayName": "Ada", "Extra": 1},
        "Attributes": {"customerName": "Ada"},
        "InitialMessage": {"ContentType": "text/plain", "Content": "Hi"},
        "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
        "ChatDurationInMinutes": 60,
        "PersistentChat": {
            "RehydrationType": "ENTIRE_PAST_SESSION",
            "SourceContactId": "c-1",
            "ContinuationToken": "1800172800." + "A" * 43,  # lambdas/start_chat/continuation.py
        },
        "ClientToken": "t-1",
        "Username": "sent by the official widget",
    },
    {
        "ParticipantDetails": {"DisplayName": "Ada"},
        "Attributes": None,
        "InitialMessage": None,
        "SupportedMessagingContentTypes": None,
        "ChatDurationInMinutes": None,
        "PersistentChat": None,
        "ClientToken": None,
    },
]


@pytest.mark.parametrize("body", ACCEPTED_BY_THE_LAMBDA)
def test_gateway_model_is_never_stricter_than_the_lambda(
    new_instance: Synthesized, body: dict[str, Any]
) -> None:
    # Given bodies the Lambda accepts (see tests/handler), the gateway's model must let them through.
    schema = new_instance.only("AWS::ApiGateway::Model")["Properties"]["Schema"]
    jsonschema.Draft4Validator(schema).validate(body)


def test_gateway_model_refuses_what_can_never_be_a_chat(new_instance: Synthesized) -> None:
    schema = new_instance.only("AWS::ApiGateway::Model")["Properties"]["Schema"]
    validator = jsonschema.Draft4Validator(schema)
    for body in ([], {"ParticipantDetails": {}}, {"ParticipantDetails": {"DisplayName": 5}}):
        assert not validator.is_valid(body), body


def test_the_account_wide_api_gateway_settings_are_created_only_on_request(
    new_instance: Synthesized, synth: Any
) -> None:
    # A per-account, per-Region singleton: a second deployment must not take it over.
    assert new_instance.resources("AWS::ApiGateway::Account") == {}
    roles = json.dumps(new_instance.resources("AWS::IAM::Role"))
    assert "AmazonAPIGatewayPushToCloudWatchLogs" not in roles
    created = synth({**NEW_INSTANCE, "createApiGatewayAccount": True})
    account = created.only("AWS::ApiGateway::Account")
    assert account["DeletionPolicy"] == "Retain"
    assert "CloudWatchRoleArn" in account["Properties"]


@pytest.mark.parametrize(
    "body",
    [
        {"ParticipantDetails": {"DisplayName": "A"}, "ClientToken": "t" * 501},
        {"ParticipantDetails": {"DisplayName": "A"}, "InitialMessage": {"Content": "m" * 1025}},
        {"ParticipantDetails": {"DisplayName": "A"}, "PersistentChat": {"SourceContactId": "c" * 257}},
        {"ParticipantDetails": {"DisplayName": "A"}, "PersistentChat": {"ContinuationToken": "t" * 201}},
        {"ParticipantDetails": {"DisplayName": "A"}, "SupportedMessagingContentTypes": ["text/plain"] * 6},
    ],
    ids=lambda b: next(k for k in b if k != "ParticipantDetails"),
)
def test_gateway_model_refuses_fields_over_the_lambdas_limits(
    new_instance: Synthesized, body: dict[str, Any]
) -> None:
    schema = new_instance.only("AWS::ApiGateway::Model")["Properties"]["Schema"]
    assert not jsonschema.Draft4Validator(schema).is_valid(body)
