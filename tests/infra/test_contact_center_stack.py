"""The Connect side as synthesized, in both modes: new instance and existing instance."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flows.validator import validate_flow
from stacks import names

from .conftest import (
    EXISTING_INSTANCE_WITH_QUEUE,
    HOURS_ARN,
    INSTANCE_ARN,
    LEX_ALIAS_ARN,
    OWN_FLOW_ID,
    QUEUE_ARN,
    Synthesized,
)

pytestmark = pytest.mark.infra


def _placeholder(reference: dict[str, Any]) -> str:
    if "Fn::GetAtt" in reference:
        logical_id, attribute = reference["Fn::GetAtt"]
        return f"GETATT:{logical_id}.{attribute}"
    if "Ref" in reference:
        return f"REF:{reference['Ref']}"
    raise AssertionError(f"unexpected reference in flow content: {reference}")


def _flow_content(synth: Synthesized, kind: str) -> tuple[str, dict[str, Any]]:
    """The flow's logical id and its Content with CloudFormation references kept as JSON."""
    logical_id, flow = next(
        (k, v) for k, v in synth.resources("AWS::Connect::ContactFlow").items() if kind in k
    )
    content = flow["Properties"]["Content"]
    if isinstance(content, dict):  # Fn::Join of literal parts and references
        parts = content["Fn::Join"][1]
        content = "".join(p if isinstance(p, str) else _placeholder(p) for p in parts)
    return logical_id, json.loads(content)


def _storage_key_id(synth: Synthesized) -> str:
    return next(k for k in synth.resources("AWS::KMS::Key") if k.startswith("ContactCenterStorageKey"))


def test_new_instance_is_connect_managed_with_the_alias(new_instance: Synthesized) -> None:
    instance = new_instance.only("AWS::Connect::Instance")["Properties"]
    assert instance["IdentityManagementType"] == "CONNECT_MANAGED"
    assert instance["InstanceAlias"] == "acme-chat"
    assert instance["Attributes"]["InboundCalls"] is False


def test_existing_instance_creates_no_instance_and_uses_the_given_one(
    existing_with_queue: Synthesized,
) -> None:
    assert existing_with_queue.resources("AWS::Connect::Instance") == {}
    flows = existing_with_queue.resources("AWS::Connect::ContactFlow").values()
    assert len(flows) == 2
    for flow in flows:
        assert flow["Properties"]["InstanceArn"] == INSTANCE_ARN


def test_storage_configs_are_kms_encrypted_and_created_one_after_the_other(new_instance: Synthesized) -> None:
    configs = new_instance.resources("AWS::Connect::InstanceStorageConfig")
    by_type = {c["Properties"]["ResourceType"]: (lid, c) for lid, c in configs.items()}
    assert set(by_type) == {"CHAT_TRANSCRIPTS", "ATTACHMENTS"}
    key_id = _storage_key_id(new_instance)
    for _, config in by_type.values():
        s3 = config["Properties"]["S3Config"]
        assert config["Properties"]["StorageType"] == "S3"
        assert s3["EncryptionConfig"] == {"EncryptionType": "KMS", "KeyId": {"Fn::GetAtt": [key_id, "Arn"]}}
    assert (
        by_type["CHAT_TRANSCRIPTS"][1]["Properties"]["S3Config"]["BucketPrefix"] == "connect/chat-transcripts"
    )
    assert by_type["ATTACHMENTS"][1]["DependsOn"] == [by_type["CHAT_TRANSCRIPTS"][0]]


def test_chat_buckets_are_private_encrypted_tls_only_logged_and_expire(new_instance: Synthesized) -> None:
    buckets = new_instance.resources("AWS::S3::Bucket")
    assert len(buckets) == 3  # transcripts, attachments, access logs
    key_id = _storage_key_id(new_instance)
    logs_id = next(k for k in buckets if "AccessLogs" in k)
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        assert props["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 365
        assert bucket["DeletionPolicy"] == "Retain"
        if logical_id != logs_id:
            sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
            assert sse["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == {"Fn::GetAtt": [key_id, "Arn"]}
            assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_id}
    policies = json.dumps(new_instance.resources("AWS::S3::BucketPolicy"))
    assert policies.count('"aws:SecureTransport": "false"') == 3
    keys = new_instance.resources("AWS::KMS::Key").values()
    assert keys and all(key["Properties"]["EnableKeyRotation"] is True for key in keys)


def test_attachment_bucket_allows_browser_uploads_from_the_origins_only(new_instance: Synthesized) -> None:
    bucket = next(v for k, v in new_instance.resources("AWS::S3::Bucket").items() if "Attachments" in k)
    rule = bucket["Properties"]["CorsConfiguration"]["CorsRules"][0]
    # The website's origins, and Connect's own domains where agents open attachments
    assert rule["AllowedOrigins"] == [
        "https://www.example.com",
        "http://localhost:8080",
        "https://*.my.connect.aws",
        "https://*.awsapps.com",
    ]
    assert set(rule["AllowedMethods"]) == {"PUT", "GET"}


def test_retention_days_drive_bucket_expiry(synth: Any) -> None:
    result = synth({"transcriptRetentionDays": 30, "enableAttachments": False})
    buckets = result.resources("AWS::S3::Bucket")
    assert len(buckets) == 2  # no attachments bucket
    assert {
        b["Properties"]["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] for b in buckets.values()
    } == {30}
    types = {
        c["Properties"]["ResourceType"]
        for c in result.resources("AWS::Connect::InstanceStorageConfig").values()
    }
    assert types == {"CHAT_TRANSCRIPTS"}


def test_routing_profile_takes_chats_at_the_configured_concurrency(new_instance: Synthesized) -> None:
    profile = new_instance.only("AWS::Connect::RoutingProfile")["Properties"]
    assert profile["MediaConcurrencies"] == [{"Channel": "CHAT", "Concurrency": 4}]
    queue_id = next(iter(new_instance.resources("AWS::Connect::Queue")))
    queue_arn = {"Fn::GetAtt": [queue_id, "QueueArn"]}
    assert profile["QueueConfigs"] == [
        {"Delay": 0, "Priority": 1, "QueueReference": {"Channel": "CHAT", "QueueArn": queue_arn}}
    ]
    assert profile["DefaultOutboundQueueArn"] == queue_arn


def test_default_concurrency_is_ten_and_hours_are_all_week(defaults: Synthesized) -> None:
    profile = defaults.only("AWS::Connect::RoutingProfile")["Properties"]
    assert profile["MediaConcurrencies"] == [{"Channel": "CHAT", "Concurrency": 10}]
    hours = defaults.only("AWS::Connect::HoursOfOperation")["Properties"]
    assert hours["TimeZone"] == "UTC"
    assert len(hours["Config"]) == 7
    midnight = {"Hours": 0, "Minutes": 0}
    assert all(c["StartTime"] == midnight and c["EndTime"] == midnight for c in hours["Config"])


def test_weekly_schedule_and_time_zone_from_config(new_instance: Synthesized) -> None:
    hours = new_instance.only("AWS::Connect::HoursOfOperation")["Properties"]
    assert hours["TimeZone"] == "Europe/Berlin"
    assert hours["Config"] == [
        {"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 30}},
        {"Day": "TUESDAY", "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 18, "Minutes": 0}},
    ]
    queue = new_instance.only("AWS::Connect::Queue")["Properties"]
    hours_id = next(iter(new_instance.resources("AWS::Connect::HoursOfOperation")))
    assert queue["HoursOfOperationArn"] == {"Fn::GetAtt": [hours_id, "HoursOfOperationArn"]}


def test_approved_origins_are_the_allowed_origins(new_instance: Synthesized) -> None:
    origins = new_instance.resources("AWS::Connect::ApprovedOrigin").values()
    instance_id = next(iter(new_instance.resources("AWS::Connect::Instance")))
    assert sorted(o["Properties"]["Origin"] for o in origins) == [
        "http://localhost:8080",
        "https://www.example.com",
    ]
    assert all(o["Properties"]["InstanceId"] == {"Fn::GetAtt": [instance_id, "Arn"]} for o in origins)


def test_flows_reference_the_created_queue_hours_and_disconnect_flow(new_instance: Synthesized) -> None:
    disconnect_id, disconnect = _flow_content(new_instance, "Disconnect")
    _, inbound = _flow_content(new_instance, "Inbound")
    queue_id = next(iter(new_instance.resources("AWS::Connect::Queue")))
    hours_id = next(iter(new_instance.resources("AWS::Connect::HoursOfOperation")))
    text = json.dumps(inbound)
    assert f"GETATT:{disconnect_id}.ContactFlowArn" in text
    assert f"GETATT:{queue_id}.QueueArn" in text
    assert f"GETATT:{hours_id}.HoursOfOperationArn" in text
    waits = [a for a in disconnect["Actions"] if a["Type"] == "Wait"]
    assert waits[0]["Parameters"]["TimeLimitSeconds"] == "43200"
    # The content the service receives passes our validator once references resolve to strings.
    assert validate_flow(inbound) == []
    assert validate_flow(disconnect) == []
    for flow in new_instance.resources("AWS::Connect::ContactFlow").values():
        assert flow["Properties"]["Type"] == "CONTACT_FLOW"


def test_existing_queue_and_hours_go_into_the_flows(existing_with_queue: Synthesized) -> None:
    _, inbound = _flow_content(existing_with_queue, "Inbound")
    text = json.dumps(inbound)
    assert QUEUE_ARN in text and HOURS_ARN in text
    for absent in (
        "AWS::Connect::Queue",
        "AWS::Connect::HoursOfOperation",
        "AWS::Connect::RoutingProfile",
        "AWS::Connect::InstanceStorageConfig",
        "AWS::Connect::ApprovedOrigin",
        "AWS::S3::Bucket",
    ):
        assert existing_with_queue.resources(absent) == {}, absent
    # The only key is the alarm topic's: no storage key
    assert [k for k in existing_with_queue.resources("AWS::KMS::Key") if not k.startswith("Monitoring")] == []
    outputs = existing_with_queue.json["Outputs"]
    assert outputs[names.OUTPUT_QUEUE_ARN]["Value"] == QUEUE_ARN


def test_own_flow_in_an_existing_instance_creates_nothing_in_it(existing_instance: Synthesized) -> None:
    # Given instanceArn and contactFlowId: chats start in the user's flow, which has its own queue
    # Then nothing is created in the user's instance: no orphans to find and delete later
    connect = {r["Type"] for r in existing_instance.json["Resources"].values() if "Connect" in r["Type"]}
    assert connect == set()
    assert existing_instance.resources("AWS::S3::Bucket") == {}
    outputs = existing_instance.json["Outputs"]
    assert outputs[names.OUTPUT_INBOUND_FLOW_ID]["Value"] == OWN_FLOW_ID
    for absent in (names.OUTPUT_QUEUE_ARN, names.OUTPUT_ROUTING_PROFILE_ARN):
        assert absent not in outputs


def test_own_flow_with_explicit_keys_gets_what_was_asked_for(synth: Any) -> None:
    result = synth(
        {
            "instanceArn": INSTANCE_ARN,
            "contactFlowId": OWN_FLOW_ID,
            "createRoutingProfile": True,
            "createApprovedOrigins": True,
            "allowedOrigins": ["https://shop.example.org"],
        }
    )
    for present in (
        "AWS::Connect::Queue",
        "AWS::Connect::HoursOfOperation",
        "AWS::Connect::RoutingProfile",
        "AWS::Connect::ApprovedOrigin",
    ):
        assert len(result.resources(present)) == 1, present
    assert result.resources("AWS::Connect::ContactFlow") == {}


def test_approved_origins_of_an_existing_instance_only_on_request(
    existing_with_queue: Synthesized, synth: Any
) -> None:
    # An origin the instance already lists would fail the deploy (instance + origin is its identifier)
    assert existing_with_queue.resources("AWS::Connect::ApprovedOrigin") == {}
    result = synth({**EXISTING_INSTANCE_WITH_QUEUE, "createApprovedOrigins": True})
    origins = result.resources("AWS::Connect::ApprovedOrigin").values()
    assert [o["Properties"] for o in origins] == [
        {"InstanceId": INSTANCE_ARN, "Origin": "https://shop.example.org"}
    ]


def test_disconnect_wait_comes_from_config(synth: Any) -> None:
    result = synth({"disconnectWaitSeconds": 900})
    _, disconnect = _flow_content(result, "Disconnect")
    wait = next(a for a in disconnect["Actions"] if a["Type"] == "Wait")
    assert wait["Parameters"]["TimeLimitSeconds"] == "900"
    assert "15 minutes" in json.dumps(disconnect)


def test_lex_bot_in_an_existing_instance_is_used_not_registered(existing_with_lex: Synthesized) -> None:
    # The owner registered the bot; associating it again would fail and deleting would unregister it.
    assert existing_with_lex.resources("AWS::Connect::IntegrationAssociation") == {}
    _, inbound = _flow_content(existing_with_lex, "Inbound")
    assert any(a["Type"] == "ConnectParticipantWithLexBot" for a in inbound["Actions"])
    assert LEX_ALIAS_ARN in json.dumps(inbound)
    # Without an existing queue: queue, hours and routing profile are created; storage is the instance's own.
    for present in ("AWS::Connect::Queue", "AWS::Connect::RoutingProfile", "AWS::Connect::HoursOfOperation"):
        assert existing_with_lex.resources(present), present
    assert existing_with_lex.resources("AWS::Connect::InstanceStorageConfig") == {}


def test_lex_bot_of_a_new_instance_is_registered_before_the_flow_uses_it(synth: Any) -> None:
    result = synth({"lexBotAliasArn": LEX_ALIAS_ARN})
    association_id, association = next(iter(result.resources("AWS::Connect::IntegrationAssociation").items()))
    instance_id = next(iter(result.resources("AWS::Connect::Instance")))
    assert association["Properties"] == {
        "InstanceId": {"Fn::GetAtt": [instance_id, "Arn"]},
        "IntegrationArn": LEX_ALIAS_ARN,
        "IntegrationType": "LEX_BOT",
    }
    inbound = next(v for k, v in result.resources("AWS::Connect::ContactFlow").items() if "Inbound" in k)
    assert association_id in inbound["DependsOn"]


def test_storage_can_be_added_to_an_existing_instance(synth: Any) -> None:
    result = synth({"instanceArn": INSTANCE_ARN, "createStorageConfig": True})
    types = {
        c["Properties"]["ResourceType"]
        for c in result.resources("AWS::Connect::InstanceStorageConfig").values()
    }
    assert types == {"CHAT_TRANSCRIPTS", "ATTACHMENTS"}


def test_default_alias_is_derived_from_account_and_region(defaults: Synthesized) -> None:
    instance = defaults.only("AWS::Connect::Instance")["Properties"]
    assert instance["InstanceAlias"] == {"Fn::Sub": "chat-${AWS::AccountId}-${AWS::Region}"}


def test_flow_logs_are_kept_only_as_long_as_configured(new_instance: Synthesized) -> None:
    retention = new_instance.only("Custom::LogRetention")["Properties"]
    assert retention["LogGroupName"] == "/aws/connect/acme-chat"
    assert retention["RetentionInDays"] == 90


def test_flow_log_group_is_set_after_connect_may_have_created_it(new_instance: Synthesized) -> None:
    # Order 1: Connect creates /aws/connect/ALIAS as soon as the instance has flow logging on.
    # The retention is set after the instance exists, creating the group only if it is still missing,
    # so the two can never race to create it.
    instance_id = next(iter(new_instance.resources("AWS::Connect::Instance")))
    retention = new_instance.only("Custom::LogRetention")
    assert new_instance.only("AWS::Connect::Instance")["Properties"]["Attributes"]["ContactflowLogs"] is True
    assert instance_id in retention["DependsOn"]
    # ... and no resource of the stack claims the name: CloudFormation cannot answer AlreadyExists.
    names_claimed = [
        group["Properties"].get("LogGroupName")
        for group in new_instance.resources("AWS::Logs::LogGroup").values()
    ]
    assert not any("/aws/connect/" in json.dumps(name) for name in names_claimed)


def test_flow_log_group_left_behind_is_reused_and_kept(new_instance: Synthesized) -> None:
    # Order 2: a rolled-back or deleted deployment left the group behind (Connect wrote to it, or created
    # it, after the stack's resources were gone). Redeploying with the same alias reuses it, and deleting
    # the stack keeps it, so the sequence can repeat.
    retention = new_instance.only("Custom::LogRetention")["Properties"]
    assert retention["RemovalPolicy"] == "retain"


def test_approved_origins_are_created_one_after_the_other(new_instance: Synthesized) -> None:
    origins = list(new_instance.resources("AWS::Connect::ApprovedOrigin").items())
    assert len(origins) == 2
    assert origins[1][1]["DependsOn"] == [origins[0][0]]


def test_outputs_a_user_needs(new_instance: Synthesized) -> None:
    outputs = new_instance.json["Outputs"]
    for name in (
        names.OUTPUT_API_URL,
        names.OUTPUT_INSTANCE_ID,
        names.OUTPUT_INBOUND_FLOW_ID,
        names.OUTPUT_QUEUE_ARN,
        names.OUTPUT_TRANSCRIPT_BUCKET,
        names.OUTPUT_TRANSCRIPT_PREFIX,
        names.OUTPUT_ROUTING_PROFILE_ARN,
    ):
        assert name in outputs, name
    assert outputs[names.OUTPUT_TRANSCRIPT_PREFIX]["Value"] == "connect/chat-transcripts"


def test_flow_logs_of_a_created_instance_are_encrypted_with_the_storage_key(
    new_instance: Synthesized, existing_instance: Synthesized
) -> None:
    # They hold contact attributes: the group is Connect's, so a custom resource associates the key.
    calls = [
        json.loads(json.dumps(r["Properties"]["Create"]))
        for r in new_instance.resources("Custom::AWS").values()
        if "associateKmsKey" in json.dumps(r["Properties"]["Create"])
    ]
    assert len(calls) == 1
    create = json.dumps(calls[0])
    key_id = next(iter(new_instance.resources("AWS::KMS::Key")))
    assert "/aws/connect/acme-chat" in create and key_id in create
    # The key lets CloudWatch Logs use it for that group only.
    statements = new_instance.resources("AWS::KMS::Key")[key_id]["Properties"]["KeyPolicy"]["Statement"]
    for_logs = [
        st
        for st in statements
        if "logs." in json.dumps(st.get("Principal", {}))
        and "amazonaws.com" in json.dumps(st.get("Principal", {}))
    ]
    assert len(for_logs) == 1
    condition = json.dumps(for_logs[0].get("Condition", {}))
    assert "kms:EncryptionContext:aws:logs:arn" in condition and "/aws/connect/acme-chat" in condition
    # An existing instance's flow logs are its owner's.
    assert "associateKmsKey" not in json.dumps(existing_instance.json)
