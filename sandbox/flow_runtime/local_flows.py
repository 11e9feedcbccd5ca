"""The flows the sandbox runs: the project's real builders (`flows/`), fed with the deployment's settings
and local fake ARNs (tests/infra/test_flow_contract.py holds them equal to the synthesized flows)."""

from __future__ import annotations

from typing import Any

from bots.triage import flow_steps
from flows import DisconnectFlowParams, InboundFlowParams, arns, build_disconnect_flow, build_inbound_flow
from sandbox.bot_runtime.local_bot import bot_alias_arn
from sandbox.config import SandboxConfig


def instance_arn(config: SandboxConfig) -> str:
    """The sandbox instance's (fake) ARN."""
    return arns.instance_arn(config.region, config.account_id, config.instance_id)


def queue_arn(config: SandboxConfig) -> str:
    """The sandbox queue's ARN."""
    return arns.resource_arn(instance_arn(config), arns.QUEUE, config.queue_id)


def build_local_flows(config: SandboxConfig) -> dict[str, dict[str, Any]]:
    """Flow id -> flow document, for the inbound and the disconnect flow."""
    base = instance_arn(config)
    triage, welcome_back = flow_steps(bot_alias_arn(config)) if config.chat_bot else (None, None)
    inbound = build_inbound_flow(
        InboundFlowParams(
            queue_arn=queue_arn(config),
            hours_of_operation_arn=arns.resource_arn(
                base, arns.OPERATING_HOURS, config.hours_of_operation_id
            ),
            disconnect_flow_arn=arns.resource_arn(base, arns.CONTACT_FLOW, config.disconnect_flow_id),
            greeting=config.greeting,
            closed_message=config.closed_message,
            triage_bot=triage,
        )
    )
    disconnect = build_disconnect_flow(
        DisconnectFlowParams(
            queue_arn=queue_arn(config),
            wait_seconds=config.disconnect_wait_seconds,
            continue_message=config.continue_message,
            timeout_message=config.timeout_message,
            return_bot=welcome_back,
        )
    )
    return {config.contact_flow_id: dict(inbound), config.disconnect_flow_id: dict(disconnect)}
