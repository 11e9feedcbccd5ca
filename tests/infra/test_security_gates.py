"""cfn-lint finds nothing and cdk-nag refuses any finding nobody acknowledged with a reason."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_s3 as s3

from stacks import names
from stacks.application import create_app

from .conftest import (
    EXISTING_INSTANCE,
    EXISTING_INSTANCE_WITH_BOT,
    EXISTING_INSTANCE_WITH_LEX,
    EXISTING_INSTANCE_WITH_QUEUE,
    EXISTING_INSTANCE_WITH_TIMEOUTS,
    NEW_INSTANCE,
    NEW_INSTANCE_WITH_BOT,
    NEW_INSTANCE_WITH_SCANNER,
    REPO,
    cdk_context,
)

pytestmark = pytest.mark.infra


@pytest.mark.parametrize(
    "context",
    [
        NEW_INSTANCE,
        {},
        EXISTING_INSTANCE,
        EXISTING_INSTANCE_WITH_QUEUE,
        EXISTING_INSTANCE_WITH_LEX,
        NEW_INSTANCE_WITH_BOT,
        EXISTING_INSTANCE_WITH_BOT,
        NEW_INSTANCE_WITH_SCANNER,
        EXISTING_INSTANCE_WITH_TIMEOUTS,
    ],
    ids=["new", "defaults", "own-flow", "existing", "lex", "bot", "existing-bot", "scanner", "timeouts"],
)
def test_cfn_lint_reports_nothing(context: dict[str, Any], synth: Any) -> None:
    template: Path = synth(context).template_path
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(template)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "context",
    [
        NEW_INSTANCE,
        {},
        EXISTING_INSTANCE,
        EXISTING_INSTANCE_WITH_QUEUE,
        EXISTING_INSTANCE_WITH_LEX,
        NEW_INSTANCE_WITH_BOT,
        EXISTING_INSTANCE_WITH_BOT,
        NEW_INSTANCE_WITH_SCANNER,
        EXISTING_INSTANCE_WITH_TIMEOUTS,
    ],
    ids=["new", "defaults", "own-flow", "existing", "lex", "bot", "existing-bot", "scanner", "timeouts"],
)
def test_cdk_nag_finds_nothing_but_a_planted_finding_in_every_mode(
    context: dict[str, Any], tmp_path: Path
) -> None:
    # Given the app in this mode with one insecure bucket planted, so a silent gate cannot pass
    app, _ = create_app(cdk_context(context), outdir=str(tmp_path))
    stack = app.node.find_child(names.STACK_ID)
    assert isinstance(stack, Stack)
    s3.Bucket(stack, "Planted")
    # When synthesizing
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    # Then the AwsSolutions pack refused the planted bucket and nothing of the stack's own
    report = json.loads((tmp_path / "validation-report.json").read_text())
    assert [plugin["pluginName"] for plugin in report["pluginReports"]] == ["AwsSolutions"]
    refused = {
        construct["constructPath"]
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    }
    assert refused == {f"{names.STACK_ID}/Planted/Resource"}


def test_cdk_nag_gate_refuses_an_unacknowledged_finding(tmp_path: Path) -> None:
    # Given the app with one insecure bucket added
    app, _ = create_app(cdk_context({}), outdir=str(tmp_path))
    stack = app.node.find_child("ConnectChat")
    assert isinstance(stack, Stack)
    s3.Bucket(stack, "Careless")  # no TLS-only policy, no access logs
    # When synthesizing, Then the gate fails and names the rules
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = (tmp_path / "validation-report.json").read_text()
    assert "AwsSolutions-S10" in report and "AwsSolutions-S1" in report


def test_acknowledgments_all_have_reasons_and_are_listed_in_readme() -> None:
    # Each acknowledged rule must be explained to the user (README, Security).
    source = "\n".join(p.read_text() for p in (REPO / "stacks").glob("*.py"))
    acknowledged = set(re.findall(r'id="(AwsSolutions-[A-Z0-9]+)', source))
    assert acknowledged, "expected the stack to acknowledge some cdk-nag rules"
    reasons = re.findall(r'reason="([^"]*)"', source)
    assert all(len(reason) > 20 for reason in reasons)
    security = (REPO / "README.md").read_text().split("## Security", 1)[1].split("\n## ", 1)[0]
    for rule in acknowledged:
        assert rule in security, (
            f"{rule} is acknowledged in stacks/ but not explained in README's Security section"
        )


def test_app_runs_the_aws_solutions_pack(tmp_path: Path) -> None:
    # A finding only the AwsSolutions pack reports (API Gateway without request validation) fails synth.
    app, _ = create_app(cdk_context({}), outdir=str(tmp_path))
    stack = app.node.find_child("ConnectChat")
    api = apigw.RestApi(stack, "Unvalidated", deploy=False)
    api.root.add_method("GET")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert "AwsSolutions-APIG2" in (tmp_path / "validation-report.json").read_text()
