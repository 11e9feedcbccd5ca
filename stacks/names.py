"""Construct ids and output names, in one place.

The start-chat Lambda's environment variables are named in lambdas/start_chat/environment.py.
"""

from typing import Final

STACK_ID: Final = "ConnectChat"

SERVICE_NAME: Final = "start-chat"
METRICS_NAMESPACE: Final = "ConnectChat"

# The Lambda asset: the lambdas/ folder zipped alone; the handler lives in its start_chat package.
LAMBDA_HANDLER: Final = "start_chat.handler.lambda_handler"
# The triage bot's code hook (chatBot): the same folder without start_chat/.
CODE_HOOK_HANDLER: Final = "triage_bot.handler.lambda_handler"
CODE_HOOK_SERVICE_NAME: Final = "triage-bot"

# The alias of a created instance unless instanceAlias is set (a CloudFormation Fn::Sub template):
# unique per account and Region, so the default deploys anywhere.
DEFAULT_INSTANCE_ALIAS: Final = "chat-${AWS::AccountId}-${AWS::Region}"

# The stack's units.
CONNECT_INSTANCE: Final = "ConnectInstance"
CHAT_STORAGE: Final = "ChatStorage"
CHAT_ROUTING: Final = "ChatRouting"
CHAT_FLOWS: Final = "Flows"
START_CHAT_FUNCTION: Final = "StartChatFunction"
# Also the scope the function and the firewall were first deployed in; the API keeps it because
# its Lambda permissions embed the API's path-derived unique id in their construct ids.
START_CHAT_REST_API: Final = "StartChatApi"
API_FIREWALL: Final = "ApiFirewall"
CHAT_MONITORING: Final = "Monitoring"
CHAT_SECRETS: Final = "ChatSecrets"
TRIAGE_BOT: Final = "TriageBot"
FLOW_LOG_ENCRYPTION: Final = "FlowLogEncryption"
ATTACHMENT_SCANNING: Final = "AttachmentScanning"

# The construct each unit's resources were first deployed in: their logical ids keep that path
# (see logical_ids.py), so upgrading a deployed stack replaces nothing.
DEPLOYED_SCOPES: Final = {
    CONNECT_INSTANCE: "ContactCenter",
    CHAT_STORAGE: "ContactCenter",
    CHAT_ROUTING: "ContactCenter",
    START_CHAT_FUNCTION: START_CHAT_REST_API,
    API_FIREWALL: START_CHAT_REST_API,
}

# Stack outputs.
OUTPUT_API_URL: Final = "StartChatApiUrl"
OUTPUT_INSTANCE_ID: Final = "ConnectInstanceId"
OUTPUT_INBOUND_FLOW_ID: Final = "InboundFlowId"
OUTPUT_QUEUE_ARN: Final = "ChatQueueArn"
OUTPUT_TRANSCRIPT_BUCKET: Final = "TranscriptBucketName"
OUTPUT_TRANSCRIPT_PREFIX: Final = "TranscriptPrefix"
OUTPUT_ATTACHMENTS_BUCKET: Final = "AttachmentsBucketName"
OUTPUT_ROUTING_PROFILE_ARN: Final = "ChatRoutingProfileArn"
OUTPUT_ALARM_TOPIC_ARN: Final = "AlarmTopicArn"
OUTPUT_DASHBOARD_NAME: Final = "DashboardName"
OUTPUT_START_TOKEN_SECRET_ARN: Final = "StartTokenSecretArn"  # noqa: S105 (an output name)
OUTPUT_BOT_ALIAS_ARN: Final = "TriageBotAliasArn"
