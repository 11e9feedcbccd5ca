"""Builds the CDK app from context: used by app.py, the tests and the benchmarks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from . import names
from .config import DeploymentConfig, load_config
from .connect_chat_stack import ConnectChatStack
from .deployment_target import check_deployment_target


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
