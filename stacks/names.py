"""Construct ids, output names and the start-chat Lambda's environment variable names, in one place.

The Lambda (lambdas/start_chat/settings.py) and the sandbox read the same variable names.
"""

from typing import Final

STACK_ID: Final = "ConnectChat"

# Start-chat Lambda environment.
ENV_INSTANCE_ID: Final = "CONNECT_INSTANCE_ID"
ENV_CONTACT_FLOW_ID: Final = "CONNECT_CONTACT_FLOW_ID"
ENV_ALLOWED_ORIGINS: Final = "ALLOWED_ORIGINS"
ENV_ALLOWED_ATTRIBUTES: Final = "ALLOWED_ATTRIBUTES"
ENV_CHAT_DURATION_MINUTES: Final = "CHAT_DURATION_MINUTES"
ENV_ENABLE_ATTACHMENTS: Final = "ENABLE_ATTACHMENTS"
ENV_ENABLE_MARKDOWN: Final = "ENABLE_MARKDOWN"
SERVICE_NAME: Final = "start-chat"
METRICS_NAMESPACE: Final = "ConnectChat"

# The Lambda asset: the lambdas/ folder zipped alone; the handler lives in its start_chat package.
LAMBDA_HANDLER: Final = "start_chat.handler.lambda_handler"

# Stack outputs.
OUTPUT_API_URL: Final = "StartChatApiUrl"
OUTPUT_INSTANCE_ID: Final = "ConnectInstanceId"
OUTPUT_INBOUND_FLOW_ID: Final = "InboundFlowId"
OUTPUT_QUEUE_ARN: Final = "ChatQueueArn"
OUTPUT_TRANSCRIPT_BUCKET: Final = "TranscriptBucketName"
OUTPUT_TRANSCRIPT_PREFIX: Final = "TranscriptPrefix"
OUTPUT_ATTACHMENTS_BUCKET: Final = "AttachmentsBucketName"
OUTPUT_ROUTING_PROFILE_ARN: Final = "ChatRoutingProfileArn"
