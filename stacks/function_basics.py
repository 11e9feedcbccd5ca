"""What every function of the stack has: its own log group and role, and a dependency on the role's policy."""

from __future__ import annotations

from aws_cdk import CfnResource, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from .log_retention import retention


def own_log_group_and_role(
    scope: Construct, *, logs_id: str, role_id: str, log_retention_days: int, description: str
) -> tuple[logs.LogGroup, iam.Role]:
    """A log group and a Lambda role that may write to it, and nothing else yet (no AWS-managed policy)."""
    log_group = logs.LogGroup(
        scope, logs_id, retention=retention(log_retention_days), removal_policy=RemovalPolicy.DESTROY
    )
    role = iam.Role(
        scope, role_id, assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"), description=description
    )
    log_group.grant_write(role)
    return log_group, role


def depend_on_role_policy(function: lambda_.Function, role: iam.Role) -> None:
    """Make ``function`` depend on its role's policy only.

    CDK makes a function depend on the role it already references (cfn-lint W3005); the dependency on
    the role's policy is the one that matters.
    """
    policy = role.node.find_child("DefaultPolicy").node.default_child
    cfn_function = function.node.default_child
    assert isinstance(policy, CfnResource) and isinstance(cfn_function, CfnResource)
    cfn_function.add_override("DependsOn", [Stack.of(function).get_logical_id(policy)])
