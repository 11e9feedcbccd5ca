"""What `make deploy` checks before CloudFormation starts: facts synth cannot know without AWS calls.

A first deploy that fails rolls back a new Connect instance, which counts against the account's instance
creations and deletions per 30 days and leaves the retained buckets and key behind; so the two failures
that can be seen coming are refused here, with what to do:

- the Powertools layer's public SSM parameter is missing in the target Region (the function's layer
  would not resolve, late in the deploy);
- an Amazon Connect instance with the alias to be created already exists in the account and Region,
  but not in this stack (a previous deployment left it behind).

Run as `python -m stacks.deploy_check [-c KEY=VALUE ...]` (the Makefile passes deploy's CONTEXT). It needs
AWS credentials, so the tests drive the functions below with stubbed clients.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from . import names
from .application import context_with_overrides
from .config import ConfigError, DeploymentConfig, load_config
from .deployment_target import check_deployment_target
from .start_chat_function import powertools_parameter_name


def powertools_layer_problem(ssm: Any, *, parameter: str, region: str) -> str | None:
    """Why the Powertools layer would not resolve in `region`, or None when its parameter exists."""
    try:
        ssm.get_parameter(Name=parameter)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        return (
            f"The Powertools layer parameter {parameter} does not exist in {region}, so the function's layer "
            "cannot be resolved. Set powertoolsLayerArn to a Powertools for AWS Lambda (Python) v3 "
            "python3.14/arm64 layer version ARN published in that Region, or deploy to a Region that has "
            f"the parameter. Check with: aws ssm get-parameter --region {region} --name {parameter}"
        )
    return None


def left_behind_alias_problem(
    connect: Any, cloudformation: Any, *, alias: str, stack_name: str, region: str
) -> str | None:
    """Why creating an instance called `alias` would fail, or None: an instance with that alias exists in
    the account and Region while the stack that would own it does not."""
    existing = [
        summary
        for page in connect.get_paginator("list_instances").paginate()
        for summary in page["InstanceSummaryList"]
        if summary.get("InstanceAlias") == alias
    ]
    if not existing or _stack_exists(cloudformation, stack_name):
        return None
    return (
        f"An Amazon Connect instance with the alias {alias} already exists in {region} "
        f"({existing[0]['Arn']}), but stack {stack_name} does not: a previous deployment may have left it "
        "behind. Use it with -c instanceArn=THAT-ARN, delete it (Amazon Connect console), or choose another "
        "instanceAlias (README: Deploy)."
    )


def _stack_exists(cloudformation: Any, stack_name: str) -> bool:
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc.response.get("Error", {}).get("Message", "")):
            return False
        raise
    return any(stack["StackStatus"] != "DELETE_COMPLETE" for stack in stacks)


def instance_alias(config: DeploymentConfig, *, account: str, region: str) -> str | None:
    """The alias of the instance the stack would create (None: it uses an existing one)."""
    if not config.creates_instance:
        return None
    return config.instance_alias or names.DEFAULT_INSTANCE_ALIAS.replace(
        "${AWS::AccountId}", account
    ).replace("${AWS::Region}", region)


def problems(config: DeploymentConfig, session: Any) -> list[str]:
    """Everything that would fail the deploy of `config` with this boto3 session's credentials and Region."""
    region = session.region_name
    if region is None:
        return ["No AWS Region is configured: set AWS_REGION, or use a profile with a region, and run again."]
    account = session.client("sts").get_caller_identity()["Account"]
    try:
        check_deployment_target(config, account=account, region=region)
    except ConfigError as exc:
        return [str(exc)]
    found = []
    if config.powertools_layer_arn is None:
        found.append(
            powertools_layer_problem(
                session.client("ssm"), parameter=powertools_parameter_name(), region=region
            )
        )
    alias = instance_alias(config, account=account, region=region)
    if alias is not None:
        found.append(
            left_behind_alias_problem(
                session.client("connect"),
                session.client("cloudformation"),
                alias=alias,
                stack_name=names.STACK_ID,
                region=region,
            )
        )
    return [problem for problem in found if problem is not None]


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when nothing stands in the deploy's way; otherwise print each problem and exit 1."""
    import boto3  # only when run: the module's functions take their clients as parameters

    parser = argparse.ArgumentParser(description="Check the target account before `cdk deploy`.")
    parser.add_argument("-c", "--context", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    try:
        config = load_config(context_with_overrides(args.context))
        # The CDK CLI honours AWS_REGION before the profile's Region; so does this check.
        found = problems(config, boto3.session.Session(region_name=os.environ.get("AWS_REGION")))
    except (ConfigError, ValueError) as exc:
        found = [str(exc)]
    except (ClientError, BotoCoreError) as exc:
        found = [f"Could not check the target account ({exc}); are AWS credentials configured?"]
    for problem in found:
        print(f"deploy check: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
