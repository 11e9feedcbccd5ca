"""Opening hours as the config states them: days of the week and `HH:MM` times."""

from __future__ import annotations

import re
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, model_validator

HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

Day = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
DAYS: tuple[Day, ...] = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


class OpeningHours(BaseModel):
    """Opening and closing time of one day, 24-hour `HH:MM` in the schedule's time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str
    end: str

    @model_validator(mode="after")
    def _times(self) -> Self:
        for name, value in (("start", self.start), ("end", self.end)):
            if not HH_MM.match(value):
                raise ValueError(f"{name} must be HH:MM (24-hour), got {value!r}")
        if self.start == self.end and self.start != "00:00":
            raise ValueError(
                "start and end are equal; use 00:00-00:00 for the whole day, or leave the day out to close it"
            )
        return self
