"""Refuses, at synth, a target account and Region the configured contact center cannot be deployed to."""

from __future__ import annotations

from .config import ConfigError, DeploymentConfig
from .connect_regions import CONNECT_REGIONS

# arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (an instance, a function)
_ARN_REGION, _ARN_ACCOUNT = 3, 4


def check_deployment_target(config: DeploymentConfig, *, account: str | None, region: str | None) -> None:
    """Raise ConfigError when the target is known and cannot work: Amazon Connect is not offered in
    `region`, or `instanceArn` lives in another account or Region (StartChatContact and the instance's
    resources are regional, and a stack deploys into one account). None: unknown, nothing to check."""
    if region is not None and region not in CONNECT_REGIONS:
        raise ConfigError(
            f"Amazon Connect is not offered in {region}; deploy to one of its Regions: "
            f"{', '.join(CONNECT_REGIONS)} (set AWS_REGION or your profile's region)."
        )
    # Connect invokes a scanner only in the instance's own account and Region (admin guide).
    for key, arn in (
        ("instanceArn", config.instance_arn),
        ("attachmentScannerLambdaArn", config.attachment_scanner_lambda_arn),
    ):
        if arn is None:
            continue
        parts = arn.split(":")
        for what, expected, actual in (
            ("Region", region, parts[_ARN_REGION]),
            ("account", account, parts[_ARN_ACCOUNT]),
        ):
            if expected is not None and actual != expected:
                raise ConfigError(
                    f"{key} is in {what} {actual}, but this deployment targets {what} {expected}: "
                    f"deploy with that {what}, or use a resource in {expected}."
                )
