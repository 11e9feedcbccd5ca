"""Shared fixtures for the flows tests: example parameters with fake ARNs."""

import pytest

from flows import DisconnectFlowParams, InboundFlowParams, arns

INSTANCE = arns.instance_arn("us-east-1", "111122223333", "00000000-0000-0000-0000-000000000000")
QUEUE_ARN = arns.resource_arn(INSTANCE, arns.QUEUE, "11111111-1111-1111-1111-111111111111")
HOURS_ARN = arns.resource_arn(INSTANCE, arns.OPERATING_HOURS, "22222222-2222-2222-2222-222222222222")
DISCONNECT_FLOW_ARN = arns.resource_arn(INSTANCE, arns.CONTACT_FLOW, "33333333-3333-3333-3333-333333333333")
LEX_ALIAS_ARN = "arn:aws:lex:us-east-1:111122223333:bot-alias/BOTID12345/ALIASID123"


@pytest.fixture
def inbound_params() -> InboundFlowParams:
    return InboundFlowParams(
        queue_arn=QUEUE_ARN, hours_of_operation_arn=HOURS_ARN, disconnect_flow_arn=DISCONNECT_FLOW_ARN
    )


@pytest.fixture
def inbound_lex_params() -> InboundFlowParams:
    return InboundFlowParams(
        queue_arn=QUEUE_ARN,
        hours_of_operation_arn=HOURS_ARN,
        disconnect_flow_arn=DISCONNECT_FLOW_ARN,
        lex_bot_alias_arn=LEX_ALIAS_ARN,
    )


@pytest.fixture
def disconnect_params() -> DisconnectFlowParams:
    return DisconnectFlowParams(queue_arn=QUEUE_ARN)
