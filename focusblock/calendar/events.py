"""Plain data for what a calendar export holds in a time window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

NO_TITLE = "(no title)"  # what an event without a title is called, here and when matched


def calendar_of(source: str) -> str:
    """The calendar a source belongs to: a CalDAV collection is read one resource at a time
    (`caldav:URL/` + the resource's name), every other source is a calendar of its own."""
    if source.startswith("caldav:") and not source.endswith("/"):
        return source.rsplit("/", 1)[0] + "/"
    return source


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence of an event, with times as aware datetimes."""

    start: datetime
    end: datetime
    all_day: bool
    summary: str
    uid: str
    source: str
    attendee_emails: tuple[str, ...] = ()
    free_reason: str | None = None  # None when it blocks time; else why it does not
    private: bool = False  # CLASS:PRIVATE or CONFIDENTIAL: its title is shown as "busy"
    # only for our own blocks read back (what the seller may have typed into them)
    description: str = ""
    sequence: int = 0  # its SEQUENCE, for our own blocks read back: a newer one is theirs
    # (address, name as the invitation gives it, "" when it gives none): a transcript's
    # speakers are told apart by the names of the call's attendees
    attendee_names: tuple[tuple[str, str], ...] = ()

    @property
    def busy(self) -> bool:
        return self.free_reason is None


@dataclass
class CalendarReading:
    """What the files hold in the window, and what a planner must not trust blindly."""

    events: list[CalendarEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # sources that end early (cut off): only the complete events before the cut were read
    truncated: list[str] = field(default_factory=list)
    # sources with no event at all within NEAR_WINDOW of the window: perhaps the wrong file
    empty: list[str] = field(default_factory=list)
    # sources read whole in the window: an event of ours gone from one was deleted there
    read_whole: list[str] = field(default_factory=list)
    # warnings raised, each time (a message already recorded too): what a reading of one
    # part raised, though another part had said the same, keeps that part out of the cache
    raised: int = 0

    def warn(self, message: str) -> None:
        """Record a warning once, however often it is raised."""
        self.raised += 1
        if message not in self.warnings:
            self.warnings.append(message)

    def busy_between(self, start: datetime, end: datetime) -> list[CalendarEvent]:
        """The busy events that overlap [start, end)."""
        return [e for e in self.events if e.busy and e.start < end and e.end > start]
