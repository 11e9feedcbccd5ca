"""Encrypts a created instance's flow logs (they hold contact attributes) with the storage KMS key."""

from __future__ import annotations

from aws_cdk import Acknowledgment, ArnFormat, CfnResource, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

# The construct id of the function behind CDK's AwsCustomResource (custom-resources/aws-custom-resource).
AWS_CUSTOM_RESOURCE_PROVIDER = "AWS679f53fac002430cb0da5b7982bd2287"


class FlowLogEncryption(Construct):
    """Associates `key` with the log group `log_group_name` once `after` (which makes sure it exists) ran.

    The group is Connect's, not a stack resource (connect_instance.py), so no CloudFormation property can
    set its key: a custom resource calls logs:AssociateKmsKey on create and update. Deleting the stack
    leaves the key on the group, as it leaves the group.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, log_group_name: str, key: kms.IKey, after: IConstruct
    ) -> None:
        """`key`: a customer-managed key whose policy this construct extends for CloudWatch Logs."""
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        group_arn = stack.format_arn(
            service="logs",
            resource="log-group",
            resource_name=log_group_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        # CloudWatch Logs encrypts with the key itself, only for this group (its encryption context).
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=[
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                resources=["*"],
                conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group_arn}},
            )
        )
        call = cr.AwsSdkCall(
            service="CloudWatchLogs",
            action="associateKmsKey",
            parameters={"logGroupName": log_group_name, "kmsKeyId": key.key_arn},
            physical_resource_id=cr.PhysicalResourceId.of(f"{log_group_name}-kms"),
        )
        association = cr.AwsCustomResource(
            self,
            "AssociateKmsKey",
            on_create=call,
            on_update=call,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["logs:AssociateKmsKey"], resources=[group_arn])]
            ),
            install_latest_aws_sdk=False,
        )
        association.node.add_dependency(after)
        _acknowledge_provider(stack)


def _acknowledge_provider(stack: Stack) -> None:
    # AwsCustomResource's function is one per stack, a direct child of it, with CDK's own role.
    provider = next(
        c for c in stack.node.children if c.node.id.startswith("AWS679f53fac002430cb0da5b7982bd2287")
    )
    # CDK makes the function depend on the role it already references (cfn-lint W3005).
    function = provider.node.default_child
    assert isinstance(function, CfnResource)
    function.add_deletion_override("DependsOn")
    Validations.of(provider).acknowledge(
        Acknowledgment(
            id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole]",
            reason="CDK's AwsCustomResource function writes its own logs with the AWS-managed basic Lambda "
            "execution policy, which AWS keeps to exactly those log actions.",
        ),
        Acknowledgment(
            id="AwsSolutions-L1",
            reason="CDK pins the runtime of its AwsCustomResource function; it runs once per deployment.",
        ),
    )
