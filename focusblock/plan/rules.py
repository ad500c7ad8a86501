"""The rules one plan follows: the user's settings, the week planned and the moment of planning.

Built once per plan and passed to the ranking and the placement, so both read the same
working days, hours and lead time straight from the settings instead of from copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from focusblock.config import Settings
from focusblock.dates import Week


@dataclass(frozen=True)
class WeekRules:
    settings: Settings
    week: Week
    now: datetime  # aware; nothing is placed before it

    @cached_property
    def zone(self) -> ZoneInfo:
        """The user's time zone, in which the working days and hours are meant."""
        return ZoneInfo(self.settings.timezone)

    @cached_property
    def week_start(self) -> datetime:
        """Monday 00:00 of the week, in the user's zone."""
        return self.week.start(self.zone)

    @cached_property
    def week_end(self) -> datetime:
        """The next Monday 00:00: the week is [week_start, week_end)."""
        return self.week.end(self.zone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()
