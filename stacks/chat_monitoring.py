"""Alarms and a dashboard for the operator: trouble shows up here before customers see it.

Metric names and dimensions: Amazon Connect's from "Monitoring your instance using CloudWatch"
(https://docs.aws.amazon.com/connect/latest/adminguide/monitoring-cloudwatch.html); the start-chat
function's own (ChatsStarted, ChatStartFailed by Reason) from lambdas/start_chat/api.py and errors.py.
What each alarm means and what to do: README.md, "Operating it".
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from . import names

PERIOD = Duration.minutes(5)
CONNECT_NAMESPACE = "AWS/Connect"
WAF_NAMESPACE = "AWS/WAFV2"
# The `Reason` of ChatStartFailed when Connect refused for rate or concurrency (errors.FailureReason).
THROTTLED_REASON = "throttled"


# When the alarms fire (README.md, "Operating it", says why these values).
CHAT_QUOTA_PERCENT = 80  # ConcurrentActiveChatsPercentage is a whole percentage (80 = 80%)
API_5XX_RATE = 0.05  # API Gateway's 5XXError averages to the share of requests answered 5xx
API_4XX_RATE = 0.25
FUNCTION_P99_MS = 10_000  # half the function's 20-second timeout
WAF_BLOCKED_REQUESTS = 100  # in five minutes


class ChatMonitoring(Construct):
    """An alarm per way chats fail to start, an SNS topic they notify, and one dashboard.

    Attributes: `topic` (the alarms' SNS topic), `alarms` (by construct id), `dashboard`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instance_id: str,
        stage: apigw.Stage,
        function: lambda_.IFunction,
        web_acl_name: str,
        notification_email: str | None,
    ) -> None:
        """`notification_email`: subscribed to the topic (it must confirm the subscription) when given."""
        super().__init__(scope, construct_id)
        self.topic = self._topic(notification_email)
        metrics = _Metrics(instance_id, stage, function, web_acl_name, Stack.of(self).region)
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        # construct id, metric, threshold, periods that must breach in a row, what it means
        specs: tuple[tuple[str, cloudwatch.IMetric, float, int, str], ...] = (
            ("ChatQuotaNearlyUsed", metrics.chat_quota_used, CHAT_QUOTA_PERCENT, 1,
             "Concurrent active chats are near the instance's quota: new chats will soon be refused."),
            ("ChatQuotaBreached", metrics.chats_over_quota, 1, 1,
             "Connect refused chats over the concurrent active chats quota."),
            ("ConnectThrottled", metrics.connect_throttled, 1, 1,
             "Connect throttled StartChatContact (request rate or concurrent chats)."),
            ("Api5xxRate", metrics.api_5xx, API_5XX_RATE, 2,
             "The start-chat API answers 5xx: chats are not starting."),
            ("Api4xxRate", metrics.api_4xx, API_4XX_RATE, 3,
             "Many start-chat requests are refused (origin, validation, WAF, throttling)."),
            ("FunctionErrors", metrics.function_errors, 1, 1,
             "The start-chat function failed (an error it did not answer as JSON)."),
            ("FunctionThrottles", metrics.function_throttles, 1, 1,
             "Lambda throttled the start-chat function (account concurrency)."),
            ("FunctionSlow", metrics.function_p99, FUNCTION_P99_MS, 3,
             "The start-chat function's p99 duration nears its timeout."),
            ("WafBlocking", metrics.waf_blocked, WAF_BLOCKED_REQUESTS, 1,
             "WAF blocks many requests: an attack, or a rule refusing real customers."),
        )  # fmt: skip
        for spec in specs:
            self._alarm(*spec)
        self.dashboard = self._dashboard(metrics)

    def _topic(self, email: str | None) -> sns.Topic:
        # Encrypted with a key CloudWatch may use: alarms cannot publish to a topic under the AWS-managed key.
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description="Encrypts the chat alarms' SNS topic",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY,
        )
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        topic = sns.Topic(
            self, "AlarmTopic", display_name="Website chat alarms", master_key=key, enforce_ssl=True
        )
        if email is not None:
            topic.add_subscription(subscriptions.EmailSubscription(email))
        return topic

    def _alarm(
        self, construct_id: str, metric: cloudwatch.IMetric, threshold: float, periods: int, description: str
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # No traffic is no trouble: metrics without data points (a quiet night) keep the alarm OK.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"{description} See README.md, Operating it: {construct_id}.",
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms[construct_id] = alarm

    def _dashboard(self, metrics: _Metrics) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(self, "Dashboard", default_interval=Duration.hours(3))

        def graph(title: str, *shown: cloudwatch.IMetric) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=list(shown), width=8)

        dashboard.add_widgets(
            graph("Chats started", metrics.chats_started),
            graph("Concurrent chats, % of quota", metrics.chat_quota_used),
            graph(
                "Chats over quota, Connect throttling", metrics.chats_over_quota, metrics.connect_throttled
            ),
        )
        dashboard.add_widgets(
            graph("API 5xx and 4xx rates", metrics.api_5xx, metrics.api_4xx),
            graph("Function errors and throttles", metrics.function_errors, metrics.function_throttles),
            graph("Function duration p99 (ms)", metrics.function_p99),
        )
        dashboard.add_widgets(
            graph("WAF blocked requests", metrics.waf_blocked),
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=16),
        )
        return dashboard


class _Metrics:
    """Every metric the alarms and the dashboard show, each with its statistic and period."""

    def __init__(
        self,
        instance_id: str,
        stage: apigw.Stage,
        function: lambda_.IFunction,
        web_acl_name: str,
        region: str,
    ) -> None:
        chats = {"InstanceId": instance_id, "MetricGroup": "Chats"}
        self.chat_quota_used = _metric(CONNECT_NAMESPACE, "ConcurrentActiveChatsPercentage", chats, "Maximum")
        self.chats_over_quota = _metric(CONNECT_NAMESPACE, "ChatsBreachingActiveChatQuota", chats, "Sum")
        service = {"service": names.SERVICE_NAME}
        self.chats_started = _metric(names.METRICS_NAMESPACE, "ChatsStarted", service, "Sum")
        self.connect_throttled = _metric(
            names.METRICS_NAMESPACE, "ChatStartFailed", {**service, "Reason": THROTTLED_REASON}, "Sum"
        )
        self.api_5xx = stage.metric_server_error(statistic="Average", period=PERIOD)
        self.api_4xx = stage.metric_client_error(statistic="Average", period=PERIOD)
        self.function_errors = function.metric_errors(statistic="Sum", period=PERIOD)
        self.function_throttles = function.metric_throttles(statistic="Sum", period=PERIOD)
        self.function_p99 = function.metric_duration(statistic="p99", period=PERIOD)
        waf = {"WebACL": web_acl_name, "Region": region, "Rule": "ALL"}
        self.waf_blocked = _metric(WAF_NAMESPACE, "BlockedRequests", waf, "Sum")


def _metric(namespace: str, name: str, dimensions: dict[str, str], statistic: str) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=namespace, metric_name=name, dimensions_map=dimensions, statistic=statistic, period=PERIOD
    )
