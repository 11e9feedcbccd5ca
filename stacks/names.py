"""Construct ids and output names, in one place.

The start-chat Lambda's environment variables are named in lambdas/start_chat/environment.py.
"""

from typing import Final

STACK_ID: Final = "ConnectChat"

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
