"""The one stack: composes the units, grants the function its one Connect action, and holds the outputs."""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Annotations, CfnElement, CfnOutput, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

from bots.triage import build_triage_bot, code_hook_script, flow_steps
from flows import arns
from lambdas.start_chat.environment import lambda_environment

from . import names
from .api_firewall import ApiFirewall
from .attachment_scanning import AttachmentScanning
from .chat_flows import ChatFlows
from .chat_monitoring import ChatMonitoring
from .chat_routing import ChatRouting
from .chat_secrets import ChatSecrets
from .chat_storage import ChatStorage
from .config import DeploymentConfig
from .connect_instance import ConnectInstance
from .flow_log_encryption import FlowLogEncryption
from .logical_ids import deployed_path, unique_id
from .start_chat_function import StartChatFunction
from .start_chat_rest_api import StartChatRestApi
from .triage_bot import TriageBot


class ConnectChatStack(Stack):
    """Everything a website needs for Amazon Connect chat, built from one DeploymentConfig."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: DeploymentConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        if not config.allowed_origins:
            Annotations.of(self).add_warning_v2(
                "connect-chat:no-origins",
                "allowedOrigins is empty: no website can start a chat from a browser. "
                "Deploy with -c 'allowedOrigins=[\"https://www.example.com\"]'.",
            )
        self._contact_center(config)
        self._start_chat_api(config)

    def _contact_center(self, config: DeploymentConfig) -> None:
        self.instance = ConnectInstance(
            self,
            names.CONNECT_INSTANCE,
            existing_instance_arn=config.instance_arn,
            alias=config.instance_alias,
            log_retention_days=config.log_retention_days,
            approved_origins=config.allowed_origins if config.creates_approved_origins else (),
            lex_bot_alias_arn=config.lex_bot_alias_arn,
        )
        CfnOutput(self, names.OUTPUT_INSTANCE_ID, value=self.instance.instance_id)
        if config.attachment_scanner_lambda_arn is not None:
            AttachmentScanning(
                self,
                names.ATTACHMENT_SCANNING,
                instance_arn=self.instance.instance_arn,
                scanner_function_arn=config.attachment_scanner_lambda_arn,
            )
        if config.creates_storage:
            self._storage(config)
        self.routing = self._routing(config) if config.creates_routing else None
        self.flows = self._flows(config, self.routing) if self.routing and config.creates_flows else None

    def _routing(self, config: DeploymentConfig) -> ChatRouting:
        routing = ChatRouting(
            self,
            names.CHAT_ROUTING,
            instance_arn=self.instance.instance_arn,
            existing_queue_arn=config.queue_arn,
            existing_hours_arn=config.hours_of_operation_arn,
            hours=config.hours,
            time_zone=config.hours_time_zone,
            create_routing_profile=config.creates_routing_profile,
            chat_concurrency=config.chat_concurrency,
        )
        CfnOutput(self, names.OUTPUT_QUEUE_ARN, value=routing.queue_arn)
        if routing.routing_profile_arn is not None:
            CfnOutput(
                self,
                names.OUTPUT_ROUTING_PROFILE_ARN,
                value=routing.routing_profile_arn,
                description="Give this routing profile to the agents who take chats",
            )
        return routing

    def _flows(self, config: DeploymentConfig, routing: ChatRouting) -> ChatFlows:
        lex_association: Construct | None = self.instance.lex_association
        triage_step = return_step = None
        if config.chat_bot:
            bot = self._triage_bot(config)
            lex_association = bot.association
            triage_step, return_step = flow_steps(bot.alias_arn)
        return ChatFlows(
            self,
            names.CHAT_FLOWS,
            instance_arn=self.instance.instance_arn,
            queue_arn=routing.queue_arn,
            hours_of_operation_arn=routing.hours_of_operation_arn,
            greeting=config.greeting,
            closed_message=config.closed_message,
            disconnect_wait_seconds=config.disconnect_wait_seconds,
            continue_message=config.continue_message,
            timeout_message=config.timeout_message,
            lex_bot_alias_arn=config.lex_bot_alias_arn,
            lex_association=lex_association,
            triage_bot=triage_step,
            return_bot=return_step,
        )

    def _triage_bot(self, config: DeploymentConfig) -> TriageBot:
        bot = TriageBot(
            self,
            names.TRIAGE_BOT,
            definition=build_triage_bot(),
            code_hook_settings=code_hook_script(),
            instance_arn=self.instance.instance_arn,
            log_retention_days=config.log_retention_days,
            powertools_layer_arn=config.powertools_layer_arn,
        )
        CfnOutput(self, names.OUTPUT_BOT_ALIAS_ARN, value=bot.alias_arn)
        return bot

    def _storage(self, config: DeploymentConfig) -> None:
        storage = ChatStorage(
            self,
            names.CHAT_STORAGE,
            instance_arn=self.instance.instance_arn,
            retention_days=config.transcript_retention_days,
            transcript_prefix=config.transcript_prefix,
            attachments_prefix=config.attachments_prefix if config.enable_attachments else None,
            browser_origins=config.allowed_origins,
        )
        if self.instance.flow_logs is not None and self.instance.flow_log_group_name is not None:
            FlowLogEncryption(
                self,
                names.FLOW_LOG_ENCRYPTION,
                log_group_name=self.instance.flow_log_group_name,
                key=storage.key,
                after=self.instance.flow_logs,
            )
        CfnOutput(self, names.OUTPUT_TRANSCRIPT_BUCKET, value=storage.transcript_bucket.bucket_name)
        CfnOutput(self, names.OUTPUT_TRANSCRIPT_PREFIX, value=config.transcript_prefix)
        if storage.attachments_bucket is not None:
            CfnOutput(self, names.OUTPUT_ATTACHMENTS_BUCKET, value=storage.attachments_bucket.bucket_name)

    def _start_chat_api(self, config: DeploymentConfig) -> None:
        # contactFlowId (existing instance only) routes chats through a flow of the user's own instead.
        if self.flows is not None:
            flow_id = self.flows.inbound_flow_id
            flow_arn = self.flows.inbound_flow_arn
        else:
            assert config.contact_flow_id is not None  # the config creates flows unless it names one
            flow_id = config.contact_flow_id
            flow_arn = arns.resource_arn(self.instance.instance_arn, arns.CONTACT_FLOW, flow_id)
        secrets = ChatSecrets(self, names.CHAT_SECRETS, start_token=config.start_chat_auth == "jwt")
        start_chat = StartChatFunction(
            self,
            names.START_CHAT_FUNCTION,
            environment=lambda_environment(
                instance_id=self.instance.instance_id,
                contact_flow_id=flow_id,
                allowed_origins=config.allowed_origins,
                allowed_attributes=config.allowed_attributes,
                chat_duration_minutes=config.chat_duration_minutes,
                enable_attachments=config.enable_attachments,
                enable_markdown=config.enable_markdown,
                enable_interactive_messages=config.bot_in_flows,
                continuation_secret_id=secrets.continuation_key.secret_arn,
                continuation_window_hours=config.continuation_window_hours,
                start_chat_auth=config.start_chat_auth,
                start_token_secret_id=secrets.start_token_secret.secret_arn
                if secrets.start_token_secret
                else None,
                chat_timeouts=config.chat_timeouts,
            ),
            log_retention_days=config.log_retention_days,
            powertools_layer_arn=config.powertools_layer_arn,
            # PyJWT verifies start tokens; the Powertools layer lacks it, so jwt mode ships it.
            bundled_packages=["PyJWT"] if config.start_chat_auth == "jwt" else [],
        )
        self._grant_start_chat(start_chat, flow_arn, set_timeouts=bool(config.chat_timeouts.timer_list()))
        self._grant_secrets(secrets, start_chat)
        api = StartChatRestApi(
            self,
            names.START_CHAT_REST_API,
            handler=start_chat.function,
            rate_limit=config.api_rate_limit,
            burst_limit=config.api_burst_limit,
            log_retention_days=config.log_retention_days,
            create_account=config.create_api_gateway_account,
        )
        firewall = ApiFirewall(
            self,
            names.API_FIREWALL,
            stage_arn=api.stage_arn,
            rate_limit_per_ip=config.waf_rate_limit_per_ip,
            attribute_keys=config.allowed_attributes,
        )
        CfnOutput(self, names.OUTPUT_API_URL, value=api.url, description="POST here to start a chat")
        CfnOutput(self, names.OUTPUT_INBOUND_FLOW_ID, value=flow_id, description="The flow chats start in")
        if config.enable_alarms:
            self._monitoring(config, api, start_chat, firewall)

    def _monitoring(
        self,
        config: DeploymentConfig,
        api: StartChatRestApi,
        start_chat: StartChatFunction,
        firewall: ApiFirewall,
    ) -> None:
        monitoring = ChatMonitoring(
            self,
            names.CHAT_MONITORING,
            instance_id=self.instance.instance_id,
            stage=api.api.deployment_stage,
            function=start_chat.function,
            web_acl_name=firewall.web_acl_name,
            notification_email=config.alarm_email,
        )
        CfnOutput(
            self,
            names.OUTPUT_ALARM_TOPIC_ARN,
            value=monitoring.topic.topic_arn,
            description="Subscribe to this topic to hear about the alarms (README: Operating it)",
        )
        CfnOutput(self, names.OUTPUT_DASHBOARD_NAME, value=monitoring.dashboard.dashboard_name)

    def _grant_secrets(self, secrets: ChatSecrets, start_chat: StartChatFunction) -> None:
        secrets.grant_read(start_chat.function)
        if secrets.start_token_secret is not None:
            CfnOutput(
                self,
                names.OUTPUT_START_TOKEN_SECRET_ARN,
                value=secrets.start_token_secret.secret_arn,
                description="Your website's backend signs start-chat JWTs with this secret's value",
            )

    def _grant_start_chat(self, start_chat: StartChatFunction, flow_arn: str, *, set_timeouts: bool) -> None:
        # The Service Authorization Reference lists contact-flow as StartChatContact's required resource
        # and contact as its optional one (the past contact a PersistentChat continues); the instance
        # ARN matches neither, so it is not granted. Contacts are only known at run time: the instance's.
        contacts = arns.resource_arn(self.instance.instance_arn, arns.CONTACT, "*")
        start_chat.function.add_to_role_policy(
            iam.PolicyStatement(
                sid="StartChatInOneFlow",
                actions=["connect:StartChatContact"],
                resources=[flow_arn, contacts],
            )
        )
        if set_timeouts:
            # Chat timeouts (lambdas/start_chat/chat_timeouts.py) on the contact the function just started.
            start_chat.function.add_to_role_policy(
                iam.PolicyStatement(
                    sid="SetChatTimeouts",
                    actions=["connect:UpdateParticipantRoleConfig"],
                    resources=[contacts],
                )
            )
        Validations.of(start_chat).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions-IAM5[Resource::{_nag_resource(self.resolve(contacts))}]",
                reason="Continuing a past chat names that contact, and chat timeouts are set on the new "
                "one, both known only at run time: the grant is StartChatContact (and, with timeouts, "
                "UpdateParticipantRoleConfig) on the contacts of the one instance, nothing else.",
            )
        )

    def _allocate_logical_id(self, cfn_element: CfnElement) -> str:
        # Ids from the paths resources were first deployed at (see logical_ids.py), not their paths today.
        path = [scope.node.id for scope in cfn_element.node.scopes[len(self.node.scopes) :]]
        return unique_id(deployed_path(path, names.DEPLOYED_SCOPES))


def _nag_resource(resolved: Any) -> str:
    """A resolved ARN as cdk-nag names it in findings: `<LogicalId.Attr>` per GetAtt, `<Id>` per Ref."""
    if isinstance(resolved, str):
        return resolved
    if "Fn::Join" in resolved:
        separator, parts = resolved["Fn::Join"]
        return str(separator).join(_nag_resource(part) for part in parts)
    if "Fn::GetAtt" in resolved:
        return "<{}.{}>".format(*resolved["Fn::GetAtt"])
    return f"<{resolved['Ref']}>"
