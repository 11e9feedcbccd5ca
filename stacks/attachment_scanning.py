"""Attachment scanning: the user's scanner Lambda registered with the instance, Connect allowed to run it.

Admin guide, "Set up attachment scanning": Connect invokes the function synchronously for every attachment
with the file's S3 location and expects `{"Status": "APPROVED" | "REJECTED"}`; the console's switch is the
instance's FILE_SCANNER integration association, which CloudFormation creates like any other.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_connect as connect
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

CONNECT_PRINCIPAL = "connect.amazonaws.com"


class AttachmentScanning(Construct):
    """Registers `scanner_function_arn` as the instance's attachment scanner.

    Attributes: `permission` (Connect may invoke the function, for this instance only) and
    `association` (the FILE_SCANNER integration, created after the permission so the first scan works).
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, instance_arn: str, scanner_function_arn: str
    ) -> None:
        super().__init__(scope, construct_id)
        # The confused-deputy guard: Connect calls it on behalf of this instance in this account, no other.
        self.permission = lambda_.CfnPermission(
            self,
            "ConnectInvokesScanner",
            action="lambda:InvokeFunction",
            function_name=scanner_function_arn,
            principal=CONNECT_PRINCIPAL,
            source_account=Stack.of(self).account,
            source_arn=instance_arn,
        )
        self.association = connect.CfnIntegrationAssociation(
            self,
            "Scanner",
            instance_id=instance_arn,
            integration_type="FILE_SCANNER",
            integration_arn=scanner_function_arn,
        )
        self.association.add_dependency(self.permission)
