"""What `busy` prints and returns as JSON: the week's events with what each counts as, the
calls found, or the week strip (`--grid`); the call rows `plan` shows too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from focusblock.cli.output import Result, Table, iso, moment_text, print_table, span_text
from focusblock.cli.result_parts import call_json

if TYPE_CHECKING:
    from focusblock.calendar.events import CalendarEvent
    from focusblock.model import Call
    from focusblock.plan.busy import BusyWeek
    from focusblock.plan.glance import WeekGlance


CALL_HEADERS = ("account", "next call", "when", "taken from")
TYPED_CALL_FROM = "typed (account edit --next-call); no call in the calendars read"


def _where(source: str) -> str:
    """A calendar source as a table shows it: a file by its name, an address whole."""
    return source if "://" in source else Path(source).name


def call_row(account: str, call: Call, zone: tzinfo) -> tuple[str, str, str, str]:
    """(account, the event's title, when, where it was taken from): a call the calendar
    shows wins over a typed one, so a typed one says the calendar shows none."""
    when = moment_text(call.start, zone)
    if call.typed:
        return (account, call.summary, when, TYPED_CALL_FROM)
    return (
        account,
        call.summary,
        when,
        f"your calendar ({_where(call.source)}): {call.matched_by}",
    )


def event_json(event: CalendarEvent, zone: tzinfo, internal: bool = False) -> dict[str, Any]:
    return {
        "start": iso(event.start, zone),
        "end": iso(event.end, zone),
        "all_day": event.all_day,
        "summary": event.summary,
        "uid": event.uid,
        "source": event.source,
        "reason": event.free_reason or "busy",
        "internal": internal,
    }


def _counts_as(event: CalendarEvent, internal: bool) -> str:
    """What an event counts as in `busy`'s table; a meeting among colleagues says so."""
    counts = "busy" if event.busy else f"free: {event.free_reason}"
    return f"{counts}; internal, no call" if internal else counts


@dataclass(frozen=True)
class BusyShown(Result):
    """`busy`: every event of the week with what it counts as, and the calls found."""

    seen: BusyWeek
    timezone: str

    def json(self, zone: tzinfo) -> Any:
        seen = self.seen
        return {
            "week": seen.week.label,
            "timezone": self.timezone,
            "busy": [event_json(e, zone, e in seen.internal) for e in seen.events if e.busy],
            "not_busy": [
                event_json(e, zone, e in seen.internal) for e in seen.events if not e.busy
            ],
            "warnings": list(seen.warnings),
            "calls": [{"account": a, **(call_json(c, zone) or {})} for a, c in seen.calls],
        }

    def text(self, zone: tzinfo) -> None:
        rows = [
            (
                span_text(e.start, e.end, zone, e.all_day),
                e.summary,
                _counts_as(e, e in self.seen.internal),
                _where(e.source),
            )
            for e in self.seen.events
        ]
        title = f"Week {self.seen.week.label} ({self.timezone})"
        print_table(Table(title, ("when", "event", "counts as", "file"), rows))
        if self.seen.calls:
            calls = [call_row(account, call, zone) for account, call in self.seen.calls]
            print_table(Table("Calls", CALL_HEADERS, calls))

    def warnings(self) -> Sequence[str]:
        return self.seen.warnings


@dataclass(frozen=True)
class WeekStrip(Result):
    """`busy --grid`: the week at a glance (text only)."""

    glance: WeekGlance
    read_warnings: Sequence[str] = ()

    def json(self, zone: tzinfo) -> Any:
        raise AssertionError("busy refuses --grid with --json before it reads a calendar")

    def text(self, zone: tzinfo) -> None:
        from focusblock.cli.week_strip import print_week_strip  # for --grid only

        print_week_strip(self.glance)

    def warnings(self) -> Sequence[str]:
        return self.read_warnings
