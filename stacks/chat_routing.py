"""Where chats wait and who takes them: hours of operation, the chat queue, the agents' routing profile."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Stack
from aws_cdk import aws_connect as connect
from constructs import Construct

from .opening_hours import DAYS, Day, OpeningHours

# Connect reads 00:00-00:00 as the whole day; the config refuses it, so it is built unvalidated here.
ALL_DAY = OpeningHours.model_construct(start="00:00", end="00:00")


def _time_slice(hh_mm: str) -> connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty:
    hours, minutes = hh_mm.split(":")
    return connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(
        hours=int(hours), minutes=int(minutes)
    )


class ChatRouting(Construct):
    """The chat queue and its hours (created, or the user's own), and a routing profile for chat agents.

    Attributes: `queue_arn`, `hours_of_operation_arn`, `routing_profile_arn` (None when not created).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instance_arn: str,
        existing_queue_arn: str | None,
        existing_hours_arn: str | None,
        hours: Mapping[Day, OpeningHours] | None,
        time_zone: str,
        create_routing_profile: bool,
        chat_concurrency: int,
    ) -> None:
        """An existing queue comes with its hours (the config requires both); `hours` None: 24/7."""
        super().__init__(scope, construct_id)
        self._instance_arn = instance_arn
        self._name = f"{Stack.of(self).stack_name} website chat"
        if existing_queue_arn is not None:
            if existing_hours_arn is None:
                raise ValueError(
                    "an existing queue needs its hours of operation: the inbound flow checks them"
                )
            self.queue_arn: str = existing_queue_arn
            self.hours_of_operation_arn: str = existing_hours_arn
        else:
            self.hours_of_operation_arn = existing_hours_arn or self._hours(hours, time_zone)
            queue = connect.CfnQueue(
                self,
                "ChatQueue",
                instance_arn=instance_arn,
                name=self._name,
                description="Chats started from the website widget",
                hours_of_operation_arn=self.hours_of_operation_arn,
            )
            self.queue_arn = queue.attr_queue_arn
        self.routing_profile_arn: str | None = (
            self._routing_profile(chat_concurrency) if create_routing_profile else None
        )

    def _hours(self, hours: Mapping[Day, OpeningHours] | None, time_zone: str) -> str:
        schedule = hours if hours is not None else dict.fromkeys(DAYS, ALL_DAY)
        created = connect.CfnHoursOfOperation(
            self,
            "ChatHours",
            instance_arn=self._instance_arn,
            name=f"{self._name} hours",
            description="24/7" if hours is None else "When website chats are answered",
            time_zone=time_zone,
            config=[
                connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                    day=day, start_time=_time_slice(slot.start), end_time=_time_slice(slot.end)
                )
                for day, slot in sorted(schedule.items(), key=lambda item: DAYS.index(item[0]))
            ],
        )
        return created.attr_hours_of_operation_arn

    def _routing_profile(self, chat_concurrency: int) -> str:
        profile = connect.CfnRoutingProfile(
            self,
            "ChatRoutingProfile",
            instance_arn=self._instance_arn,
            name=f"{self._name} agents",
            description=f"Agents who take website chats, up to {chat_concurrency} at a time",
            default_outbound_queue_arn=self.queue_arn,
            media_concurrencies=[
                connect.CfnRoutingProfile.MediaConcurrencyProperty(
                    channel="CHAT", concurrency=chat_concurrency
                )
            ],
            queue_configs=[
                connect.CfnRoutingProfile.RoutingProfileQueueConfigProperty(
                    delay=0,
                    priority=1,
                    queue_reference=connect.CfnRoutingProfile.RoutingProfileQueueReferenceProperty(
                        channel="CHAT", queue_arn=self.queue_arn
                    ),
                )
            ],
        )
        return profile.attr_routing_profile_arn
