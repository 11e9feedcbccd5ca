"""Synth refuses a target the contact center cannot be deployed to: named, with what to do instead."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from stacks.application import create_app
from stacks.config import ConfigError, load_config
from stacks.connect_regions import CONNECT_REGIONS
from stacks.deployment_target import check_deployment_target

from .conftest import INSTANCE_ARN, REPO, SCANNER_ARN, cdk_context

pytestmark = pytest.mark.unit

ACCOUNT = INSTANCE_ARN.split(":")[4]


def test_a_region_without_amazon_connect_is_refused_with_the_supported_ones_listed() -> None:
    # Given a new instance in a Region Amazon Connect is not offered in
    with pytest.raises(ConfigError) as raised:
        check_deployment_target(load_config({}), account=ACCOUNT, region="eu-west-1")
    # Then the message names the Region and every Region that works
    message = str(raised.value)
    assert "Amazon Connect is not offered in eu-west-1" in message
    assert all(region in message for region in CONNECT_REGIONS)


@pytest.mark.parametrize("region", CONNECT_REGIONS)
def test_every_connect_region_is_accepted(region: str) -> None:
    check_deployment_target(load_config({}), account=ACCOUNT, region=region)


def test_an_instance_in_another_region_is_refused() -> None:
    config = load_config({"instanceArn": INSTANCE_ARN})  # in us-east-1
    with pytest.raises(
        ConfigError,
        match="instanceArn is in Region us-east-1, but this deployment targets Region eu-central-1",
    ):
        check_deployment_target(config, account=ACCOUNT, region="eu-central-1")


def test_an_instance_in_another_account_is_refused() -> None:
    config = load_config({"instanceArn": INSTANCE_ARN})
    with pytest.raises(
        ConfigError,
        match=f"instanceArn is in account {ACCOUNT}, but this deployment targets account 999988887777",
    ):
        check_deployment_target(config, account="999988887777", region="us-east-1")


def test_a_scanner_in_another_region_is_refused() -> None:
    # Given a scanner function in us-east-1 and a new instance in eu-central-1
    config = load_config({"attachmentScannerLambdaArn": SCANNER_ARN})
    # Then synth stops: Connect invokes a scanner in the instance's own Region only
    with pytest.raises(
        ConfigError,
        match="attachmentScannerLambdaArn is in Region us-east-1, but this deployment targets Region eu-c",
    ):
        check_deployment_target(config, account=ACCOUNT, region="eu-central-1")


def test_an_unknown_target_is_not_checked() -> None:
    # Environment-agnostic synth (no CDK_DEFAULT_*): nothing to compare with
    check_deployment_target(load_config({"instanceArn": INSTANCE_ARN}), account=None, region=None)
    check_deployment_target(load_config({"instanceArn": INSTANCE_ARN}), account=ACCOUNT, region="us-east-1")


def test_create_app_checks_the_target_before_building_anything() -> None:
    with pytest.raises(ConfigError, match="not offered in sa-east-1"):
        create_app(cdk_context({}), region="sa-east-1")


def test_the_cli_target_reaches_the_check_and_is_reported_without_a_traceback() -> None:
    # Given the target the CDK CLI passes to the app (as `cdk deploy` with a profile in eu-west-1 does)
    env = {**os.environ, "CDK_DEFAULT_ACCOUNT": ACCOUNT, "CDK_DEFAULT_REGION": "eu-west-1"}
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "Amazon Connect is not offered in eu-west-1" in result.stderr
    assert "Traceback" not in result.stderr
