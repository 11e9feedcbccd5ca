"""attachmentScannerLambdaArn: the user's scanner registered with the instance, callable by Connect only."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import INSTANCE_ARN, NEW_INSTANCE, NEW_INSTANCE_WITH_SCANNER, SCANNER_ARN, Synthesized

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def scanning(synth: Any) -> Synthesized:
    return synth(NEW_INSTANCE_WITH_SCANNER)


def test_the_scanner_is_the_instances_file_scanner_integration(scanning: Synthesized) -> None:
    association = scanning.only("AWS::Connect::IntegrationAssociation")["Properties"]
    instance_id = next(iter(scanning.resources("AWS::Connect::Instance")))
    assert association == {
        "InstanceId": {"Fn::GetAtt": [instance_id, "Arn"]},
        "IntegrationType": "FILE_SCANNER",
        "IntegrationArn": SCANNER_ARN,
    }


def test_only_connect_for_this_instance_and_account_may_invoke_the_scanner(scanning: Synthesized) -> None:
    permissions = scanning.resources("AWS::Lambda::Permission")
    instance_id = next(iter(scanning.resources("AWS::Connect::Instance")))
    ours = [p for p in permissions.values() if p["Properties"]["FunctionName"] == SCANNER_ARN]
    assert [p["Properties"] for p in ours] == [
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": SCANNER_ARN,
            "Principal": "connect.amazonaws.com",
            "SourceAccount": {"Ref": "AWS::AccountId"},
            "SourceArn": {"Fn::GetAtt": [instance_id, "Arn"]},
        }
    ]


def test_the_integration_is_created_after_the_permission(scanning: Synthesized) -> None:
    # Connect may scan the first attachment as soon as the association exists.
    (association,) = scanning.resources("AWS::Connect::IntegrationAssociation").values()
    (permission_id,) = [
        key
        for key, value in scanning.resources("AWS::Lambda::Permission").items()
        if value["Properties"]["FunctionName"] == SCANNER_ARN
    ]
    assert permission_id in association["DependsOn"]


def test_an_existing_instance_gets_the_scanner_on_its_own_arn(synth: Any) -> None:
    result = synth(
        {
            "instanceArn": INSTANCE_ARN,
            "allowedOrigins": ["https://shop.example.org"],
            "attachmentScannerLambdaArn": SCANNER_ARN,
        }
    )
    association = result.only("AWS::Connect::IntegrationAssociation")["Properties"]
    assert association["InstanceId"] == INSTANCE_ARN
    permission = next(
        p["Properties"]
        for p in result.resources("AWS::Lambda::Permission").values()
        if p["Properties"]["FunctionName"] == SCANNER_ARN
    )
    assert permission["SourceArn"] == INSTANCE_ARN


def test_no_scanner_by_default(synth: Any) -> None:
    result = synth(NEW_INSTANCE)
    assert not result.resources("AWS::Connect::IntegrationAssociation")
    assert all(
        p["Properties"]["Principal"] != "connect.amazonaws.com"
        for p in result.resources("AWS::Lambda::Permission").values()
    )
