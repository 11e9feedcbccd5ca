"""The sandbox executes exactly the flows a deployment publishes: same builders, same parsed config.

For each configuration, the flow documents the sandbox builds from that config (as `--config` reads it)
equal the `Content` of the synthesized contact flows, once every resource ARN on both sides is replaced
by the kind of resource it names (its values differ: CloudFormation attributes there, local fakes here).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sandbox.config import SandboxConfig
from sandbox.flow_runtime.local_flows import build_local_flows
from tests.infra.conftest import Synthesized, cdk_context

# CloudFormation attribute of an ARN in a flow's content -> the resource kind it stands for.
ATTRIBUTE_KINDS = {
    "ContactFlowArn": "contact-flow",
    "HoursOfOperationArn": "operating-hours",
    "QueueArn": "queue",
    "Arn": "bot-alias",  # the triage bot's alias (AWS::Lex::BotAlias)
}

CUSTOM_MESSAGES_AND_HOURS: dict[str, Any] = {
    "greeting": "Welcome to Acme support.",
    "closedMessage": "Acme support is closed; we open at nine.",
    "continueMessage": "Our agent has left; write again within an hour to carry on.",
    "timeoutMessage": "This chat has closed after a quiet hour.",
    "disconnectWaitSeconds": 3600,
    "hours": {"MONDAY": {"start": "09:00", "end": "17:30"}, "SATURDAY": {"start": "22:00", "end": "02:00"}},
    "hoursTimeZone": "Europe/Berlin",
}
CONFIGURATIONS = {
    "defaults": {},
    "custom messages and hours": CUSTOM_MESSAGES_AND_HOURS,
    "chat bot": {"chatBot": True, "greeting": "Hi from the bot configuration."},
}


def _arn_kind(arn: str) -> str:
    if ":bot-alias/" in arn:
        return "bot-alias"
    return arn.split("/")[2]  # arn:...:instance/ID/KIND/ID


def _local_arns_to_kinds(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _local_arns_to_kinds(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_local_arns_to_kinds(item) for item in value]
    if isinstance(value, str) and value.startswith("arn:"):
        return f"<{_arn_kind(value)}>"
    return value


def _deployed_content(content: Any) -> dict[str, Any]:
    """A flow's Content: plain JSON text, or an Fn::Join of text and GetAtt ARNs."""
    if isinstance(content, str):
        return dict(json.loads(content))
    separator, parts = content["Fn::Join"]
    text = separator.join(
        part if isinstance(part, str) else f"<{ATTRIBUTE_KINDS[part['Fn::GetAtt'][1]]}>" for part in parts
    )
    return dict(json.loads(text))


def _deployed_flows(stack: Synthesized) -> dict[str, dict[str, Any]]:
    flows = stack.resources("AWS::Connect::ContactFlow").values()
    return {
        flow["Properties"]["Name"].rsplit(" ", 1)[-1]: _deployed_content(flow["Properties"]["Content"])
        for flow in flows
    }


@pytest.mark.parametrize("overrides", CONFIGURATIONS.values(), ids=CONFIGURATIONS.keys())
def test_the_sandbox_runs_the_deployed_flows(
    overrides: dict[str, Any], synth: Callable[[dict[str, Any]], Synthesized], tmp_path: Path
) -> None:
    config_file = tmp_path / "cdk.json"
    config_file.write_text(json.dumps({"context": cdk_context(overrides)}))
    config = SandboxConfig.from_file(config_file)
    local = build_local_flows(config)
    executed = {
        "inbound": _local_arns_to_kinds(local[config.contact_flow_id]),
        "disconnect": _local_arns_to_kinds(local[config.disconnect_flow_id]),
    }

    deployed = _deployed_flows(synth(overrides))

    assert executed == deployed


def test_the_contract_sees_each_setting() -> None:
    """The configurations differ in their flows, so equality above is not vacuous."""
    documents = set()
    for overrides in CONFIGURATIONS.values():
        config = SandboxConfig.from_values(cdk_context(overrides))
        documents.add(json.dumps(build_local_flows(config), sort_keys=True))
    assert len(documents) == len(CONFIGURATIONS)
