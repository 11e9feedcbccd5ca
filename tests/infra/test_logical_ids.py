"""Logical ids stay as first deployed: a changed id makes CloudFormation replace the resource."""

from __future__ import annotations

import pytest
from aws_cdk import App, CfnResource, Stack
from constructs import Construct

from stacks.logical_ids import deployed_path, unique_id

from .conftest import Synthesized

pytestmark = pytest.mark.infra

# Ids of a deployed stack (new instance) whose replacement loses data, changes the API URL, or fails
# because Connect refuses a second flow, queue or hours of the same name. (The flow-log group is no
# longer a resource of the stack: Connect creates it, the stack sets its retention; see connect_instance.py.)
DEPLOYED_IDS = {
    "ContactCenterInstanceC369C35F": "AWS::Connect::Instance",
    "ContactCenterStorageKeyB1EAC93C": "AWS::KMS::Key",
    "ContactCenterAccessLogs54F9DB5A": "AWS::S3::Bucket",
    "ContactCenterTranscripts0BF78801": "AWS::S3::Bucket",
    "ContactCenterAttachments2A323FF7": "AWS::S3::Bucket",
    "ContactCenterTranscriptStorageD46501E9": "AWS::Connect::InstanceStorageConfig",
    "ContactCenterAttachmentStorage68CF3044": "AWS::Connect::InstanceStorageConfig",
    "ContactCenterChatHours08A2E1F0": "AWS::Connect::HoursOfOperation",
    "ContactCenterChatQueueE791707C": "AWS::Connect::Queue",
    "ContactCenterChatRoutingProfile3535ACBC": "AWS::Connect::RoutingProfile",
    "ContactCenterApprovedOrigin0AB78FA16": "AWS::Connect::ApprovedOrigin",
    "FlowsDisconnectFlowF0849310": "AWS::Connect::ContactFlow",
    "FlowsInboundFlowE3F49AD4": "AWS::Connect::ContactFlow",
    "StartChatApiFunction9F9E7D18": "AWS::Lambda::Function",
    "StartChatApiFunctionRoleE766B4C0": "AWS::IAM::Role",
    "StartChatApiFunctionLogs85E90431": "AWS::Logs::LogGroup",
    "StartChatApi43F050FA": "AWS::ApiGateway::RestApi",
    "StartChatApiDeploymentStagev1BA8DDC21": "AWS::ApiGateway::Stage",
    "StartChatApiAccessLogsB1F45ED4": "AWS::Logs::LogGroup",
    # The API's permission to call the function: its construct id embeds the API's path.
    "StartChatApichatsPOSTApiPermissionConnectChatStartChatApi6AEE6E6CPOSTchats646F32E8": (
        "AWS::Lambda::Permission"
    ),
    "StartChatApiWebAclD352ADC2": "AWS::WAFv2::WebACL",
    "StartChatApiWebAclAssociation4458AA6C": "AWS::WAFv2::WebACLAssociation",
}


def test_deployed_resources_keep_their_logical_ids(new_instance: Synthesized) -> None:
    types = {logical_id: r["Type"] for logical_id, r in new_instance.json["Resources"].items()}
    assert {logical_id: types.get(logical_id) for logical_id in DEPLOYED_IDS} == DEPLOYED_IDS


@pytest.mark.parametrize(
    "path",
    [
        ["Topic"],
        ["Unit", "Topic"],
        ["Unit", "Default", "Resource"],
        ["Api", "Api", "Resource"],
        ["Unit", "Inner-Part.1", "Resource"],
        ["Deep", "Default", "Default", "Leaf"],
    ],
)
def test_unique_id_is_cdks_own_scheme(path: list[str]) -> None:
    # Given a resource at this construct path in a stack that allocates ids the CDK way
    stack = Stack(App(), "Plain")
    scope: Construct = stack
    for component in path[:-1]:
        scope = Construct(scope, component)
    resource = CfnResource(scope, path[-1], type="AWS::SNS::Topic")
    # Then our scheme gives the same id
    assert unique_id(path) == stack.get_logical_id(resource)


def test_deployed_path_renames_only_the_unit() -> None:
    scopes = {"ConnectInstance": "ContactCenter"}
    assert deployed_path(["ConnectInstance", "Instance"], scopes) == ["ContactCenter", "Instance"]
    assert deployed_path(["Flows", "ConnectInstance"], scopes) == ["Flows", "ConnectInstance"]
    assert deployed_path([], scopes) == []
