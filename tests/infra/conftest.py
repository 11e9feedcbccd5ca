"""Synthesizes the app once per configuration and shares the templates across infrastructure tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template
from aws_cdk.cx_api import SynthesisMessageLevel

from stacks.application import create_app

INSTANCE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555"
QUEUE_ARN = INSTANCE_ARN + "/queue/22222222-3333-4444-5555-666666666666"
HOURS_ARN = INSTANCE_ARN + "/operating-hours/33333333-4444-5555-6666-777777777777"
OWN_FLOW_ID = "44444444-5555-6666-7777-888888888888"
LEX_ALIAS_ARN = "arn:aws:lex:us-east-1:111122223333:bot-alias/ABCDEFGHIJ/TSTALIASID"
SCANNER_ARN = "arn:aws:lambda:us-east-1:111122223333:function:attachment-scanner"

# The configurations the infrastructure tests look at.
NEW_INSTANCE: dict[str, Any] = {
    "allowedOrigins": ["https://www.example.com", "http://localhost:8080"],
    "instanceAlias": "acme-chat",
    "chatConcurrency": 4,
    "hours": {"MONDAY": {"start": "09:00", "end": "17:30"}, "TUESDAY": {"start": "08:00", "end": "18:00"}},
    "hoursTimeZone": "Europe/Berlin",
}
NEW_INSTANCE_DEFAULTS: dict[str, Any] = {}
# An existing instance with the user's own flow: the stack adds only the start-chat API.
EXISTING_INSTANCE: dict[str, Any] = {
    "instanceArn": INSTANCE_ARN,
    "allowedOrigins": ["https://shop.example.org"],
    "createStorageConfig": False,
    "contactFlowId": OWN_FLOW_ID,
    "enableAttachments": False,
}
# An existing instance with its own queue and hours, which the stack's flows use.
EXISTING_INSTANCE_WITH_QUEUE: dict[str, Any] = {
    "instanceArn": INSTANCE_ARN,
    "allowedOrigins": ["https://shop.example.org"],
    "createRoutingProfile": False,
    "queueArn": QUEUE_ARN,
    "hoursOfOperationArn": HOURS_ARN,
}
EXISTING_INSTANCE_WITH_LEX: dict[str, Any] = {
    "instanceArn": INSTANCE_ARN,
    "allowedOrigins": ["https://shop.example.org"],
    "lexBotAliasArn": LEX_ALIAS_ARN,
}
NEW_INSTANCE_WITH_BOT: dict[str, Any] = {**NEW_INSTANCE, "chatBot": True}
NEW_INSTANCE_WITH_SCANNER: dict[str, Any] = {**NEW_INSTANCE, "attachmentScannerLambdaArn": SCANNER_ARN}
EXISTING_INSTANCE_WITH_BOT: dict[str, Any] = {
    "instanceArn": INSTANCE_ARN,
    "allowedOrigins": ["https://shop.example.org"],
    "chatBot": True,
}

# Chat timeouts on: the start-chat function may also set them on the instance's contacts.
EXISTING_INSTANCE_WITH_TIMEOUTS: dict[str, Any] = {
    **EXISTING_INSTANCE,
    "customerIdleMinutes": 5,
    "customerAutoDisconnectMinutes": 10,
    "agentIdleMinutes": 480,
}


@dataclass(frozen=True)
class Synthesized:
    """One synthesized stack: its template as JSON and as a CDK assertions Template."""

    template_path: Path
    json: dict[str, Any]
    template: Template
    warnings: list[str]

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The template's resources of one CloudFormation type, by logical id."""
        return {k: v for k, v in self.json["Resources"].items() if v["Type"] == resource_type}

    def policy_statements(self) -> list[dict[str, Any]]:
        """Every statement of every IAM policy in the template."""
        return [
            statement
            for policy in self.resources("AWS::IAM::Policy").values()
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ]

    def only(self, resource_type: str) -> dict[str, Any]:
        """The single resource of a type (fails when there are none or several)."""
        found = list(self.resources(resource_type).values())
        assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
        return found[0]


_cache: dict[str, Synthesized] = {}
REPO = Path(__file__).resolve().parents[2]


def cdk_context(overrides: dict[str, Any]) -> dict[str, Any]:
    """cdk.json's context (defaults and feature flags, as the CLI passes them) with overrides on top."""
    context: dict[str, Any] = json.loads((REPO / "cdk.json").read_text())["context"]
    return {**context, **overrides}


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, Any]], Synthesized]:
    """synth(context) → Synthesized, computed once per distinct context in the session."""

    def run(context: dict[str, Any]) -> Synthesized:
        key = json.dumps(context, sort_keys=True)
        if key not in _cache:
            outdir = tmp_path_factory.mktemp("cdk.out")
            app, _ = create_app(cdk_context(context), outdir=str(outdir))
            assembly = app.synth()
            stack = assembly.stacks[0]
            warnings = [
                str(message.entry.data)
                for message in stack.messages
                if message.level == SynthesisMessageLevel.WARNING
            ]
            path = outdir / stack.template_file
            document = json.loads(path.read_text())
            _cache[key] = Synthesized(path, document, Template.from_json(document), warnings)
        return _cache[key]

    return run


@pytest.fixture(scope="session")
def new_instance(synth: Callable[[dict[str, Any]], Synthesized]) -> Synthesized:
    return synth(NEW_INSTANCE)


@pytest.fixture(scope="session")
def existing_instance(synth: Callable[[dict[str, Any]], Synthesized]) -> Synthesized:
    return synth(EXISTING_INSTANCE)


@pytest.fixture(scope="session")
def existing_with_queue(synth: Callable[[dict[str, Any]], Synthesized]) -> Synthesized:
    return synth(EXISTING_INSTANCE_WITH_QUEUE)


@pytest.fixture(scope="session")
def existing_with_lex(synth: Callable[[dict[str, Any]], Synthesized]) -> Synthesized:
    return synth(EXISTING_INSTANCE_WITH_LEX)


@pytest.fixture(scope="session")
def defaults(synth: Callable[[dict[str, Any]], Synthesized]) -> Synthesized:
    return synth(NEW_INSTANCE_DEFAULTS)


@pytest.fixture(scope="session")
def with_bot(synth: Callable[[dict[str, Any]], Synthesized]) -> Synthesized:
    return synth(NEW_INSTANCE_WITH_BOT)
