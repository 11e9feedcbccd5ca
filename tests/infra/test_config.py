"""Deployment config: defaults, parsing of command-line strings, and errors a user can act on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stacks.config import CONFIG_KEYS, ConfigError, DeploymentConfig, load_config

from .conftest import INSTANCE_ARN, LEX_ALIAS_ARN, OWN_FLOW_ID, QUEUE_ARN, REPO, SCANNER_ARN

pytestmark = pytest.mark.unit


def test_cdk_json_lists_every_key_with_the_defaults_of_config_py() -> None:
    # cdk.json is where users edit settings; config.py is where defaults live: they must agree.
    context = json.loads((REPO / "cdk.json").read_text())["context"]
    ours = {k: v for k, v in context.items() if not k.startswith("@")}
    assert ours == DeploymentConfig().model_dump(by_alias=True, mode="json")
    assert set(ours) == set(CONFIG_KEYS)


def test_readme_documents_every_config_key() -> None:
    readme = (REPO / "README.md").read_text()
    for key in CONFIG_KEYS:
        assert f"`{key}`" in readme, f"README.md does not document {key}"


def test_command_line_strings_are_parsed() -> None:
    config = load_config(
        {
            "chatConcurrency": "5",
            "enableAttachments": "false",
            "allowedOrigins": '["https://a.example.com"]',
            "allowedAttributes": "customerName,orderId",
            "hours": '{"FRIDAY": {"start": "10:00", "end": "12:00"}}',
        }
    )
    assert config.chat_concurrency == 5
    assert config.enable_attachments is False
    assert config.allowed_origins == ("https://a.example.com",)
    assert config.allowed_attributes == ("customerName", "orderId")
    assert config.hours is not None and config.hours["FRIDAY"].start == "10:00"


def test_cdk_flags_in_context_are_not_config_keys() -> None:
    assert load_config({"@aws-cdk/core:newStyleStackSynthesis": True, "aws:cdk:enable-path-metadata": True})
    # The CDK CLI writes keys of its own into cdk.json (`cdk acknowledge`): not typos of ours.
    assert load_config({"acknowledged-issue-numbers": [32775]})


def test_lists_survive_a_shell_that_ate_the_quotes() -> None:
    # make deploy CONTEXT='-c allowedOrigins=["https://a.example.com","https://b.example.com"]' arrives as:
    config = load_config({"allowedOrigins": "[https://a.example.com,https://b.example.com]"})
    assert config.allowed_origins == ("https://a.example.com", "https://b.example.com")


def test_mode_dependent_defaults() -> None:
    new = load_config({})
    assert new.creates_instance and new.creates_storage
    assert new.instance_alias is None  # derived from account and region at deploy
    existing = load_config({"instanceArn": INSTANCE_ARN})
    assert not existing.creates_instance and not existing.creates_storage
    assert load_config({"instanceArn": INSTANCE_ARN, "createStorageConfig": True}).creates_storage
    # Approved origins: a new instance has none yet; an existing one may list them already
    assert new.creates_approved_origins and not existing.creates_approved_origins
    # The stack's flows need a queue and agents to take it; the user's own flow has its own
    assert new.creates_flows and new.creates_routing_profile
    assert existing.creates_flows and existing.creates_routing_profile
    own_flow = load_config({"instanceArn": INSTANCE_ARN, "contactFlowId": OWN_FLOW_ID})
    assert not (own_flow.creates_flows or own_flow.creates_routing or own_flow.creates_approved_origins)


def test_whole_day_is_allowed_in_a_schedule() -> None:
    config = load_config({"hours": {"MONDAY": {"start": "00:00", "end": "00:00"}}})
    assert config.hours is not None and config.hours["MONDAY"].start == "00:00"


@pytest.mark.parametrize(
    ("context", "fragment"),
    [
        ({"chatConcurrency": 11}, "chatConcurrency: Input should be less than or equal to 10"),
        ({"chatConcurrency": 0}, "chatConcurrency: Input should be greater than or equal to 1"),
        ({"chatDurationMinutes": 59}, "chatDurationMinutes"),
        ({"chatDurationMinutes": 10081}, "chatDurationMinutes"),
        ({"disconnectWaitSeconds": 0}, "disconnectWaitSeconds"),
        ({"disconnectWaitSeconds": 604801}, "disconnectWaitSeconds"),
        ({"customerIdleMinutes": 1}, "customerIdleMinutes: must be 2 to 480 minutes"),
        ({"agentAutoDisconnectMinutes": 481}, "agentAutoDisconnectMinutes: must be 2 to 480 minutes"),
        ({"agentIdleMinutes": "soon"}, "agentIdleMinutes"),
        (
            {"chatDurationMinutes": 60, "disconnectWaitSeconds": 3600},
            "must be shorter than the chat duration",
        ),
        ({"allowedOrigins": ["http://www.example.com"]}, "https only"),
        ({"allowedOrigins": ["https://www.example.com/"]}, "no path or trailing slash"),
        ({"allowedOrigins": ["https://a.example.com", "https://a.example.com"]}, "same origin twice"),
        ({"allowedAttributes": ["bad key"]}, "not a valid attribute key"),
        ({"instanceAlias": "d-abc"}, "instanceAlias"),
        ({"instanceAlias": "has_underscore"}, "instanceAlias"),
        ({"instanceAlias": "a" * 46}, "instanceAlias"),
        ({"instanceArn": "arn:aws:connect:us-east-1:1:instance/x"}, "instanceArn: must look like"),
        ({"queueArn": QUEUE_ARN}, "set instanceArn too"),
        (
            {"instanceArn": INSTANCE_ARN, "queueArn": QUEUE_ARN, "createRoutingProfile": False},
            "hoursOfOperationArn",
        ),
        ({"createRoutingProfile": False}, "only with instanceArn"),
        ({"createApprovedOrigins": False}, "only with instanceArn"),
        (
            {
                "instanceArn": INSTANCE_ARN,
                "queueArn": QUEUE_ARN,
                "hoursOfOperationArn": INSTANCE_ARN + "/operating-hours/33333333-4444-5555-6666-777777777777",
                "createRoutingProfile": True,
            },
            "goes with createRoutingProfile=false",
        ),
        (
            {"instanceArn": INSTANCE_ARN, "contactFlowId": OWN_FLOW_ID, "queueArn": QUEUE_ARN},
            "queueArn is used by the stack's own inbound flow, which contactFlowId replaces",
        ),
        (
            {"instanceArn": INSTANCE_ARN, "contactFlowId": OWN_FLOW_ID, "lexBotAliasArn": LEX_ALIAS_ARN},
            "lexBotAliasArn is used by the stack's own inbound flow",
        ),
        (
            {"instanceArn": INSTANCE_ARN, "contactFlowId": OWN_FLOW_ID, "chatBot": True},
            "chatBot is used by the stack's own inbound flow",
        ),
        ({"hours": {"MONDAY": {"start": "9:00", "end": "17:00"}}}, "HH:MM"),
        ({"hours": {"MONDAY": {"start": "09:00", "end": "09:00"}}}, "use 00:00-00:00 for the whole day"),
        ({"hours": {"FUNDAY": {"start": "09:00", "end": "17:00"}}}, "hours.FUNDAY"),
        ({"hours": {}}, "never open"),
        ({"logRetentionDays": 42}, "logRetentionDays: must be one of"),
        ({"apiRateLimit": 10, "apiBurstLimit": 5}, "apiBurstLimit must be at least apiRateLimit"),
        ({"greeting": "   "}, "greeting"),
        ({"lexBotAliasArn": "arn:aws:lex:us-east-1:1:bot/x"}, "Lex V2 bot alias ARN"),
        ({"hours": "{not json"}, "is not valid JSON"),
        ({"allowedOrigins": '["https://a.example.com"'}, "is not an origin"),
        ({"hoursTimeZone": "Mars/Olympus_Mons"}, "not an IANA time zone"),
        ({"powertoolsLayerArn": "arn:aws:lambda:us-east-1:1:layer:x"}, "layer version ARN"),
        ({"chatConcurency": 3}, "did you mean 'chatConcurrency'"),
        (
            {"attachmentScannerLambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:scan:live"},
            "attachmentScannerLambdaArn: must be a Lambda function ARN without alias or version",
        ),
        ({"attachmentScannerLambdaArn": "scanner"}, "arn:aws:lambda:REGION:ACCOUNT:function:NAME"),
        (
            {"attachmentScannerLambdaArn": SCANNER_ARN, "enableAttachments": False},
            "it needs enableAttachments=true",
        ),
        (
            {
                "instanceArn": INSTANCE_ARN,
                "attachmentScannerLambdaArn": SCANNER_ARN.replace("us-east-1", "eu-west-2"),
            },
            "attachmentScannerLambdaArn must be in instanceArn's Region and account",
        ),
    ],
)
def test_bad_values_are_refused_with_the_key_named(context: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(context)
    assert fragment in str(raised.value)


def test_app_reports_config_errors_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "-c", "chatConcurrency=12"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "chatConcurrency" in result.stderr
    assert "Traceback" not in result.stderr


def test_synth_runs_offline_without_credentials(tmp_path: Path) -> None:
    # Given no AWS credentials or profile at all, and no Docker
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "none")
    # When synthesizing the way `make synth` does
    result = subprocess.run(
        [sys.executable, str(REPO / "app.py"), "-c", 'allowedOrigins=["https://www.example.com"]'],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # Then the template is written, with no jsii banner flooding the output
    assert result.returncode == 0, result.stderr
    template = json.loads((tmp_path / "cdk.out" / "ConnectChat.template.json").read_text())
    assert "AWS::Connect::Instance" in json.dumps(template)
    assert "end-of-life" not in result.stdout + result.stderr
