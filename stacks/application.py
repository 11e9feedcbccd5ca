"""Builds the CDK app from context: used by app.py, the tests and the benchmarks."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from . import names
from .config import DeploymentConfig, load_config
from .connect_chat_stack import ConnectChatStack
from .deployment_target import check_deployment_target

CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"


def context_with_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """cdk.json's context with `KEY=VALUE` pairs (the values of `-c`) on top, as the CDK CLI merges them.

    Raises ValueError naming a pair that has no '='."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"-c {pair}: expected KEY=VALUE")
        context[key] = value
    return context


def create_app(
    context: Mapping[str, Any],
    *,
    outdir: str | None = None,
    account: str | None = None,
    region: str | None = None,
) -> tuple[App, DeploymentConfig]:
    """An App with the stack and the cdk-nag AwsSolutions gate; synth fails on any unacknowledged finding.

    `account`, `region`: the deployment's target when known (the CDK CLI's CDK_DEFAULT_ACCOUNT and
    CDK_DEFAULT_REGION); None leaves the stack environment-agnostic. Raises ConfigError when the config
    is wrong or cannot be deployed there."""
    config = load_config(context)
    check_deployment_target(config, account=account, region=region)
    app = App(context=dict(context), outdir=outdir)
    ConnectChatStack(
        app,
        names.STACK_ID,
        config=config,
        description="Amazon Connect chat for a website: contact center, chat flows and start-chat API",
        # Environment-agnostic unless the CLI tells us the target (no AWS calls at synth).
        env=Environment(account=account, region=region),
    )
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, config
