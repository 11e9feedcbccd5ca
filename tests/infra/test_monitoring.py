"""Alarms and the dashboard as synthesized: each alarm's metric, threshold and action."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stacks import names

from .conftest import INSTANCE_ARN, OWN_FLOW_ID, Synthesized

pytestmark = pytest.mark.infra

INSTANCE_ID = {"Fn::GetAtt": ["ContactCenterInstanceC369C35F", "Id"]}
SERVICE = {"Name": "service", "Value": names.SERVICE_NAME}

# construct id → (namespace, metric, statistic, dimensions (None: not checked here), threshold, periods)
EXPECTED: dict[str, tuple[str, str, str, list[dict[str, Any]] | None, float, int]] = {
    "ChatQuotaNearlyUsed": (
        "AWS/Connect",
        "ConcurrentActiveChatsPercentage",
        "Maximum",
        [{"Name": "InstanceId", "Value": INSTANCE_ID}, {"Name": "MetricGroup", "Value": "Chats"}],
        80,
        1,
    ),
    "ChatQuotaBreached": (
        "AWS/Connect",
        "ChatsBreachingActiveChatQuota",
        "Sum",
        [{"Name": "InstanceId", "Value": INSTANCE_ID}, {"Name": "MetricGroup", "Value": "Chats"}],
        1,
        1,
    ),
    "ConnectThrottled": (
        names.METRICS_NAMESPACE,
        "ChatStartFailed",
        "Sum",
        [SERVICE, {"Name": "Reason", "Value": "throttled"}],
        1,
        1,
    ),
    "Api5xxRate": ("AWS/ApiGateway", "5XXError", "Average", None, 0.05, 2),
    "Api4xxRate": ("AWS/ApiGateway", "4XXError", "Average", None, 0.25, 3),
    "FunctionErrors": ("AWS/Lambda", "Errors", "Sum", None, 1, 1),
    "FunctionThrottles": ("AWS/Lambda", "Throttles", "Sum", None, 1, 1),
    "FunctionSlow": ("AWS/Lambda", "Duration", "p99", None, 10_000, 3),
    "WafBlocking": ("AWS/WAFV2", "BlockedRequests", "Sum", None, 100, 1),
}


def _alarms(synth: Synthesized) -> dict[str, dict[str, Any]]:
    found = {}
    for logical_id, alarm in synth.resources("AWS::CloudWatch::Alarm").items():
        construct_id = next(name for name in EXPECTED if logical_id.startswith(f"Monitoring{name}"))
        found[construct_id] = alarm["Properties"]
    return found


def _topic_id(synth: Synthesized) -> str:
    return next(iter(synth.resources("AWS::SNS::Topic")))


@pytest.mark.parametrize("construct_id", list(EXPECTED))
def test_each_alarm_watches_its_metric_at_its_threshold_and_notifies_the_topic(
    construct_id: str, defaults: Synthesized
) -> None:
    namespace, metric, statistic, dimensions, threshold, periods = EXPECTED[construct_id]
    alarm = _alarms(defaults)[construct_id]
    assert (alarm["Namespace"], alarm["MetricName"]) == (namespace, metric)
    assert alarm.get("Statistic", alarm.get("ExtendedStatistic")) == statistic
    if dimensions is not None:
        assert sorted(alarm["Dimensions"], key=str) == sorted(dimensions, key=str)
    assert alarm["Threshold"] == threshold
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["EvaluationPeriods"] == alarm["DatapointsToAlarm"] == periods
    assert alarm["Period"] == 300
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": _topic_id(defaults)}]
    assert construct_id in alarm["AlarmDescription"]


def test_every_alarm_is_checked_here(defaults: Synthesized) -> None:
    assert set(_alarms(defaults)) == set(EXPECTED)


def test_api_waf_and_function_alarms_watch_this_stack_s_resources(defaults: Synthesized) -> None:
    alarms = _alarms(defaults)
    api_name = defaults.only("AWS::ApiGateway::RestApi")["Properties"]["Name"]
    stage_id = next(iter(defaults.resources("AWS::ApiGateway::Stage")))
    for name in ("Api5xxRate", "Api4xxRate"):
        assert sorted(alarms[name]["Dimensions"], key=str) == sorted(
            [{"Name": "ApiName", "Value": api_name}, {"Name": "Stage", "Value": {"Ref": stage_id}}], key=str
        )
    function_id = next(k for k in defaults.resources("AWS::Lambda::Function") if k.startswith("StartChatApi"))
    for name in ("FunctionErrors", "FunctionThrottles", "FunctionSlow"):
        assert alarms[name]["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function_id}}]
    acl_id = next(iter(defaults.resources("AWS::WAFv2::WebACL")))
    waf = {d["Name"]: d["Value"] for d in alarms["WafBlocking"]["Dimensions"]}
    assert waf["Rule"] == "ALL" and waf["Region"] == {"Ref": "AWS::Region"}
    assert waf["WebACL"] == {"Fn::Select": [0, {"Fn::Split": ["|", {"Ref": acl_id}]}]}


def test_quota_alarms_watch_the_existing_instance_too(existing_instance: Synthesized) -> None:
    alarm = _alarms(existing_instance)["ChatQuotaNearlyUsed"]
    assert {"Name": "InstanceId", "Value": INSTANCE_ARN.rsplit("/", 1)[1]} in alarm["Dimensions"]
    assert OWN_FLOW_ID not in json.dumps(alarm)


def test_topic_is_encrypted_with_a_key_cloudwatch_may_use_and_tls_only(defaults: Synthesized) -> None:
    topic = defaults.only("AWS::SNS::Topic")["Properties"]
    key_id = next(k for k in defaults.resources("AWS::KMS::Key") if k.startswith("Monitoring"))
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    key_policy = json.dumps(defaults.resources("AWS::KMS::Key")[key_id]["Properties"]["KeyPolicy"])
    assert "cloudwatch.amazonaws.com" in key_policy
    assert '"aws:SecureTransport": "false"' in json.dumps(defaults.resources("AWS::SNS::TopicPolicy"))
    # No e-mail configured: nobody is subscribed
    assert defaults.resources("AWS::SNS::Subscription") == {}


def test_alarm_email_is_subscribed(synth: Any) -> None:
    result = synth({"alarmEmail": "oncall@example.com"})
    subscription = result.only("AWS::SNS::Subscription")["Properties"]
    assert subscription["Protocol"] == "email"
    assert subscription["Endpoint"] == "oncall@example.com"
    assert subscription["TopicArn"] == {"Ref": _topic_id(result)}


def test_dashboard_shows_chats_started_and_every_alarm(defaults: Synthesized) -> None:
    body = json.dumps(defaults.only("AWS::CloudWatch::Dashboard")["Properties"]["DashboardBody"])
    assert "ChatsStarted" in body
    for construct_id in EXPECTED:
        alarm_id = next(
            k for k in defaults.resources("AWS::CloudWatch::Alarm") if f"Monitoring{construct_id}" in k
        )
        assert alarm_id in body, construct_id
    outputs = defaults.json["Outputs"]
    assert names.OUTPUT_ALARM_TOPIC_ARN in outputs and names.OUTPUT_DASHBOARD_NAME in outputs


def test_alarms_can_be_turned_off(synth: Any) -> None:
    result = synth({"enableAlarms": False})
    for absent in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::SNS::Topic"):
        assert result.resources(absent) == {}, absent
