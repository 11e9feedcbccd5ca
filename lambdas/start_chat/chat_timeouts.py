"""Chat timeouts for idle participants: the deployment's four timers, set on each new chat.

Amazon Connect's admin guide ("Set up chat timeouts for chat participants") recommends calling
UpdateParticipantRoleConfig from a Lambda "immediately after starting the chat" or right before the
queue. This function is the one that starts the chat, so it sets them right after StartChatContact:
the timers only start when an agent joins, and a configuration stored before then is the one that
agent gets. A failure here never fails the start: the chat simply runs without timeouts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError

from .observability import logger, metrics

if TYPE_CHECKING:
    from mypy_boto3_connect import ConnectClient
    from mypy_boto3_connect.type_defs import ParticipantTimerConfigurationTypeDef

# The service's bounds for every timer (ParticipantTimerDurationInMinutes).
MIN_TIMER_MINUTES = 2
MAX_TIMER_MINUTES = 480

TimerRole = Literal["CUSTOMER", "AGENT"]
TimerType = Literal["IDLE", "DISCONNECT_NONCUSTOMER"]


@dataclass(frozen=True)
class ChatTimeouts:
    """Minutes before each timer fires; None leaves that timer off (the service's default)."""

    customer_idle_minutes: int | None = None
    customer_auto_disconnect_minutes: int | None = None
    agent_idle_minutes: int | None = None
    agent_auto_disconnect_minutes: int | None = None

    @classmethod
    def of(cls, source: object) -> ChatTimeouts:
        """The timers of anything holding the four same-named fields (the function's settings, the
        stack's and the sandbox's configs): one mapping for all three."""
        return cls(**{field.name: getattr(source, field.name) for field in fields(cls)})

    def timer_list(self) -> list[ParticipantTimerConfigurationTypeDef]:
        """UpdateParticipantRoleConfig's ParticipantTimerConfigList for the timers that are on."""
        timers: list[ParticipantTimerConfigurationTypeDef] = []
        slots: tuple[tuple[TimerRole, TimerType, int | None], ...] = (
            ("CUSTOMER", "IDLE", self.customer_idle_minutes),
            ("CUSTOMER", "DISCONNECT_NONCUSTOMER", self.customer_auto_disconnect_minutes),
            ("AGENT", "IDLE", self.agent_idle_minutes),
            ("AGENT", "DISCONNECT_NONCUSTOMER", self.agent_auto_disconnect_minutes),
        )
        for role, kind, minutes in slots:
            if minutes is not None:
                timers.append(
                    {
                        "ParticipantRole": role,
                        "TimerType": kind,
                        "TimerValue": {"ParticipantTimerDurationInMinutes": minutes},
                    }
                )
        return timers


def apply_chat_timeouts(
    client: ConnectClient, instance_id: str, contact_id: str, timeouts: ChatTimeouts
) -> bool:
    """Set the deployment's timers on a new chat; False (and a warning) when Connect refused or failed."""
    timers = timeouts.timer_list()
    if not timers:
        return True
    try:
        client.update_participant_role_config(
            InstanceId=instance_id,
            ContactId=contact_id,
            ChannelConfiguration={"Chat": {"ParticipantTimerConfigList": timers}},
        )
    except (ClientError, BotoCoreError) as exc:
        code = (
            exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else type(exc).__name__
        )
        # The chat has started: it goes on without timeouts rather than failing the customer.
        logger.warning("chat timeouts not set; the chat continues without them", connect_error=str(code))
        metrics.add_metric(name="ChatTimeoutsNotSet", unit=MetricUnit.Count, value=1)
        return False
    return True
