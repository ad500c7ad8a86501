"""A text-level pass that drops the single events that cannot touch the planned window.

A years-long export holds tens of thousands of past events; parsing them all with
icalendar is what makes reading slow (seconds to a minute) and memory-hungry (GBs).
This pass keeps, byte for byte: everything outside VEVENTs (the calendar's properties,
every VTIMEZONE), every VEVENT that recurs or overrides an occurrence (RRULE, RDATE,
EXRULE, RECURRENCE-ID) unless its rule certainly ended before the window or, for one
moved occurrence, neither where its series put it nor where it went can touch the window
(an export holds years of those), every VEVENT it cannot date, and every single VEVENT
whose start..end, widened by two days for time zones, meets the window. Only those are then
parsed and expanded, without their descriptions (long texts that busy time never
reads). When the file's shape is not what it expects, it keeps everything.

Beyond the planned week the reader looks only for each account's next call, so there a
single event is kept only when its own text may name an account (`CallHorizon`): the
weeks ahead cost a text search instead of a parse. A series whose text can name no account
is kept but expanded over the week alone (`week_only_series`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise

from focusblock.calendar.writing import UID_SUFFIX

_EVENT = re.compile(
    rb"^BEGIN:VEVENT[ \t]*\r?\n.*?^END:VEVENT[ \t]*(?:\r?\n|\Z)", re.M | re.S | re.I
)
_BEGINS = re.compile(rb"^BEGIN:VEVENT[ \t]*\r?$", re.M | re.I)
# the same on a block in small letters: a case-insensitive search is slower, and this test
# runs on every event of the file
_RECURS_LOWERED = re.compile(rb"\n(?:rrule|rdate|exrule|recurrence-id)[;:]")
_OPEN_ENDED = re.compile(rb"^(?:RDATE|EXRULE|RECURRENCE-ID)[;:]", re.M | re.I)
_RRULE = re.compile(rb"^RRULE:([^\r\n]*)\r?\n(?![ \t])", re.M | re.I)
_RRULE_LINE = re.compile(rb"^RRULE[;:]", re.M | re.I)
# A property's parameters (RFC 5545 3.1): ";NAME=value,value" each, where a value is plain
# text without '"' ';' ':' ',' or a quoted string, which may hold any of ':' ';' ','
# (Exchange writes TZID="(UTC+01:00) Amsterdam, Berlin, ..."). The first ':' outside
# quotes starts the value. Each step takes a quote or a non-quote, so matching is linear.
_PARAMS = rb'(?:;(?:[^\r\n";:]|"[^"\r\n]*")*)*'
_DTSTART = re.compile(rb"^DTSTART" + _PARAMS + rb":(\d{8})", re.M | re.I)
_DTEND = re.compile(rb"^DTEND" + _PARAMS + rb":(\d{8})", re.M | re.I)
_DURATION = re.compile(rb"^DURATION" + _PARAMS + rb":([^\r\n]*)", re.M | re.I)
# the property is there, whether or not the patterns above can read it
_HAS_END = re.compile(rb"^(?:DTEND|DURATION)[;:]", re.M | re.I)
# a long line continues after a line break and a space (RFC 5545 3.1); icalendar also joins
# across blank lines before the space, and so must every text test that stands for it
# (icalendar's own pattern: it starts only at the first line break of a run, so a run of
# blank lines is read once, not once from each of its line breaks)
_FOLD = re.compile(rb"(?:(?<!\n)\r\n|(?<![\r\n])\n)(?:\r?\n)*[ \t]")


def unfolded(text: bytes) -> bytes:
    """`text` with its long lines joined again (RFC 5545 3.1)."""
    return _FOLD.sub(b"", text)


_DURATION_VALUE = re.compile(
    rb"^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)
# Long texts that busy time never reads; parsing them is most of icalendar's work.
# (a line ends at a line feed only: icalendar keeps a lone carriage return in the line)
_LONG_TEXT = re.compile(
    rb"^(?:DESCRIPTION|X-ALT-DESC)[;:][^\n]*(?:\n(?:\r?\n)*[ \t][^\n]*)*\n", re.M | re.I
)

OUR_UID_SUFFIX = UID_SUFFIX.encode()
MARGIN = timedelta(days=2)  # covers any UTC offset (at most 26 hours apart) and all-day events


@lru_cache(maxsize=8192)  # a calendar's events fall on a few thousand days
def _day(digits: bytes) -> date | None:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _plus_days(start: date, days: int) -> date:
    return start + timedelta(days=days) if start < date.max - timedelta(days=days) else date.max


def _duration_days(value: bytes) -> int | None:
    match = _DURATION_VALUE.match(value.strip())
    if not match:
        return None
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    total = weeks * 7 + days + (hours * 3600 + minutes * 60 + seconds) // 86400 + 1
    return total if total < 100_000 else None


def _plain_rule(block: bytes) -> dict[bytes, bytes] | None:
    """The parts of a series' one rule (FREQ, COUNT, ...), in capitals; None when it has
    more than one, a folded one, extra dates (RDATE), an EXRULE or overrides its own."""
    if _OPEN_ENDED.search(block):
        return None
    rules = _RRULE.findall(block)
    if len(rules) != 1 or len(_RRULE_LINE.findall(block)) != 1:
        return None  # another rule, with parameters or folded, that the pattern cannot read
    return dict(part.split(b"=", 1) for part in rules[0].upper().split(b";") if b"=" in part)


def _series_ends_before(block: bytes, start: date, first: date) -> bool:
    """True when a recurring event's last occurrence is certainly before `first`.

    UNTIL says so directly. COUNT is bounded for rules whose occurrences cannot thin out,
    with room to spare: DAILY and WEEKLY (any BYDAY leaves at least one a week), MONTHLY
    on weekdays every month has, plain YEARLY (not from 29 February). Anything else
    (RDATE, overrides, other rule parts, folded rules) counts as open-ended.
    """
    parts = _plain_rule(block)
    if parts is None:
        return False
    until = parts.get(b"UNTIL")
    if until:
        last = _day(until[:8])
        return last is not None and last < first
    count, interval = parts.get(b"COUNT", b""), parts.get(b"INTERVAL", b"1")
    if not (count.isdigit() and interval.isdigit()) or set(parts) - {
        b"FREQ",
        b"COUNT",
        b"INTERVAL",
        b"BYDAY",
        b"WKST",
    }:
        return False
    frequency = parts.get(b"FREQ", b"")
    if frequency == b"DAILY":
        # without BYDAY: one a day; with BYDAY: at least one a week
        days_per_step = 1 if b"BYDAY" not in parts else 7
    elif frequency == b"WEEKLY":
        days_per_step = 7
    elif frequency == b"MONTHLY" and _every_month(parts.get(b"BYDAY")):
        days_per_step = 31  # at least one occurrence in every month
    elif frequency == b"YEARLY" and b"BYDAY" not in parts:
        days_per_step = 366  # the start's day in every year (29 February: see below)
    else:
        return False
    if frequency == b"YEARLY" and (start.month, start.day) == (2, 29):
        return False  # once in four years
    # a count may be any size (COUNT=100000000 spans far beyond date.max): compare in days
    # so no date is ever made out of range
    span_days = days_per_step * int(count) * max(int(interval), 1) + 7
    return span_days < (first - start).days


def recurs(block: bytes) -> bool:
    """Whether the event (a block that starts with its BEGIN line) recurs or overrides."""
    return _RECURS_LOWERED.search(block.lower()) is not None


@dataclass(frozen=True)
class CallHorizon:
    """Single events starting after `after` matter only as calls: keep those of them
    whose raw text `may_be_call` says may name an account (it must never say no to an
    event a full parse would take as a call), and any that may be one of our blocks."""

    after: datetime
    may_be_call: Callable[[bytes], bool]


def _single_span(block: bytes) -> tuple[date, date] | None:
    """The days a single (not recurring) event spans, when the text tells them plainly."""
    if recurs(block):
        return None
    start, end = _first_days(block)  # none for an event nested in it
    if start is None or end is None:
        return None
    return min(start, end), max(start, end)


_WEEKDAY_IN_EVERY_MONTH = re.compile(rb"^(?:[+-]?[1-4])?(?:MO|TU|WE|TH|FR|SA|SU)$")


def _every_month(by_day: bytes | None) -> bool:
    """Whether a monthly rule's BYDAY (or none: the start's day of the month, which a
    month may lack) falls in every month: a weekday, or its 1st to 4th, or 4th-last."""
    if by_day is None:
        return False
    return all(_WEEKDAY_IN_EVERY_MONTH.match(day) for day in by_day.split(b","))


def _may_touch(block: bytes, first: date, last: date, joined: bool = False) -> bool:
    """False only when the event certainly lies outside [first, last]."""
    recurring = recurs(block)
    start, end = _first_days(block)  # none for a nested or odd event: the parser decides
    if start is None or end is None:
        if not joined and _folded(block):
            # a long TZID folds DTSTART's or DTEND's value onto the next line; unfolding
            # every event would cost a third more time, so only these are
            return _may_touch(unfolded(block), first, last, joined=True)
        return True
    if recurring:
        if end < start:
            return True  # the expander swaps them: let it
        # every occurrence lasts as long as the first: a series that ends before the
        # window may still have its last occurrence running into it
        length = end - start
        if first - date.min <= length:
            return True
        return not _series_ends_before(block, start, first - length)
    low, high = min(start, end), max(start, end)
    return low <= last and high >= first


def _end_day(block: bytes, start: date) -> date | None:
    """The day the event (its first occurrence) ends; None when it cannot be told here."""
    end_match = _DTEND.search(block)
    if end_match:
        return _day(end_match.group(1))
    duration_match = _DURATION.search(block)
    if duration_match:
        if _folds_at(block, duration_match.end()):
            return None  # the rest of the value is on the next line
        days = _duration_days(duration_match.group(1))
        return None if days is None else _plus_days(start, days)
    if _HAS_END.search(block):
        return None  # a DTEND or DURATION the patterns cannot read: the real parser decides
    return start


def prefilter(
    data: bytes, start: datetime, end: datetime, horizon: CallHorizon | None = None
) -> bytes:
    """`data` without the single events that cannot meet [start, end), nor, after
    `horizon.after`, be a call or one of our blocks."""
    first = start.date() - MARGIN
    last = end.date() + MARGIN
    calls_from = horizon.after.date() + MARGIN if horizon is not None else None
    scanned = scan_events(data)
    if scanned == UNREADABLE:
        return data
    if isinstance(scanned, tuple):
        events, told = scanned
    else:
        found = event_spans(data)
        if found is None:
            return data  # an unterminated or odd VEVENT: the full parse copes, or says why
        events, told = found, [None] * len(found)
    dropped: set[int] = set()  # which of the events
    moved: list[tuple[int, MovedOccurrence]] = []
    longest: timedelta | None = timedelta(0)  # of any series' occurrences; None: untold
    series: dict[bytes | None, list[int]] = {}  # UID -> its series' events
    overridden: set[bytes | None] = set()  # UIDs with an override kept as it is
    for index, ((begin, end_at), days) in enumerate(zip(events, told, strict=True)):
        if days is not None:  # a single event whose days the scan read
            if not _meets(*days, first, last) or (
                calls_from is not None
                and days[0] > calls_from
                and not _may_be_call_or_ours(data[begin:end_at], horizon)
            ):
                dropped.add(index)
            continue
        # its own lines without the long texts: every test below reads property lines,
        # and searching a description's kilobytes for them was most of their time
        block = _LONG_TEXT.sub(b"", data[begin:end_at])
        if recurs(block):
            occurrence = moved_occurrence(block)
            if occurrence is not None:
                moved.append((index, occurrence))
                continue
            uid = _uid_of(block)
            if _RECURRENCE_ID_LINE.search(block):
                # an override this pass cannot read (for all later occurrences, say) may
                # change what the others mean: then every one is kept, and its series
                overridden.add(uid)
                longest = None
            else:
                series.setdefault(uid, []).append(index)
                if longest is not None:
                    length = _series_length(block)
                    longest = None if length is None else max(longest, length)
        if _may_touch(block, first, last) and (
            calls_from is None or _kept_beyond_week(data[begin:end_at], calls_from, horizon)
        ):
            continue
        dropped.add(index)
    twice = _moved_twice(occurrence for _, occurrence in moved)
    for index, occurrence in moved:
        # a moved occurrence matters where it went and where its series would have put it
        # (as long as the series' longest occurrence, for all it tells); one of an event
        # that does not recur, or of a series not in the file, is kept as it is
        if (
            longest is not None
            and occurrence.series in series
            and occurrence.series not in twice
            and not occurrence.may_touch(first, last, longest + timedelta(days=1))
        ):
            dropped.add(index)
        else:
            overridden.add(occurrence.series)
    # a series with an override kept is kept too (whether the override shows, moves or
    # hides an occurrence is the expander's to say); an override of unknown series keeps all
    restore = overridden & set(series)
    if overridden and None in series:
        restore.add(None)  # a series whose UID the text cannot read: kept with any override
    kept_series = series if None in overridden else {uid: series[uid] for uid in restore}
    for indexes in kept_series.values():
        dropped.difference_update(indexes)
    return _without_long_texts(without_spans(data, [events[index] for index in sorted(dropped)]))


def without_spans(data: bytes, spans: Iterable[tuple[int, int]]) -> bytes:
    """`data` without the [start, end) stretches `spans`, given in order."""
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(data[position:start])
        position = end
    pieces.append(data[position:])
    return b"".join(pieces)


@dataclass(frozen=True)
class MovedOccurrence:
    """An event that moves (or changes) one occurrence of a series: the day the series
    put it on (RECURRENCE-ID) and the days it now spans."""

    series: bytes  # its UID
    was: date
    start: date
    end: date

    def may_touch(self, first: date, last: date, reach: timedelta) -> bool:
        """False only when neither the occurrence the series would have made (lasting at
        most `reach`) nor the moved one (its end widened by `reach`, in case it takes its
        length from the series) can touch [first, last]."""
        return _meets(self.was, self.was + reach, first, last) or _meets(
            self.start, self.end + reach, first, last
        )


def _uid_of(block: bytes) -> bytes | None:
    """The event's UID as its text gives it; None when a plain reading cannot tell."""
    own = own_lines(block)
    if own is None:
        return None
    found = list(_UID.finditer(own))
    if len(found) == 1 and _folds_at(own, found[0].end()):
        found = list(_UID.finditer(unfolded(own)))  # a long UID goes on on the next line
    if len(found) != 1 or len(_UID_LINE.findall(own)) != 1 or b"\\" in found[0].group(1):
        return None  # escaped, with parameters, or more than one: the parser's reading
    return found[0].group(1).strip()


def _moved_twice(occurrences: Iterable[MovedOccurrence]) -> set[bytes]:
    """The series with two moved occurrences that may be the same one (days apart at most,
    as one moment written in two zones may be): which of them the parser takes is its
    own choice, so both are kept."""
    days: dict[bytes, list[date]] = {}
    for occurrence in occurrences:
        days.setdefault(occurrence.series, []).append(occurrence.was)
    twice = set()
    for series, was in days.items():
        was.sort()
        if any((later - earlier).days <= 2 for earlier, later in pairwise(was)):
            twice.add(series)
    return twice


def _meets(low: date, high: date, first: date, last: date) -> bool:
    return low <= last and high >= first


_RECURRENCE_ID = re.compile(rb"^RECURRENCE-ID(" + _PARAMS + rb"):(\d{8})", re.M | re.I)
_RECURRENCE_ID_LINE = re.compile(rb"^RECURRENCE-ID[;:]", re.M | re.I)
_OTHER_RECURRENCE = re.compile(rb"^(?:RRULE|RDATE|EXRULE)[;:]", re.M | re.I)
_UID = re.compile(rb"^UID:([^\r\n]*)", re.M | re.I)
_UID_LINE = re.compile(rb"^UID[;:]", re.M | re.I)
# a UID line that goes on after a fold (after blank lines too, as the parser joins them)
_UID_FOLDED = re.compile(rb"^UID[;:][^\n]*\n(?:\r?\n)*[ \t]", re.M | re.I)


def moved_occurrence(block: bytes, joined: bool = False) -> MovedOccurrence | None:
    """The block as one moved occurrence, when its text says so plainly: one
    RECURRENCE-ID for that occurrence alone (no RANGE), no rule of its own, its days
    readable. None for anything else, which is then kept as a series is."""
    if _OTHER_RECURRENCE.search(block):
        return None
    if len(_RECURRENCE_ID_LINE.findall(block)) != 1 or len(_UID_LINE.findall(block)) != 1:
        return None
    found, uid = _RECURRENCE_ID.search(block), _UID.search(block)
    start, end = _first_days(block)
    if found is None or uid is None or start is None or end is None or _folds_at(block, uid.end()):
        if not joined and _folded(block):
            # a folded line this cannot read: unfolding every moved occurrence (their
            # long descriptions are folded) would cost more than all the rest
            return moved_occurrence(unfolded(block), joined=True)
        return None
    params, digits = found.groups()
    if b"\\" in uid.group(1):
        return None  # an escaped UID: which series it names is the parser's reading
    was = _day(digits)
    if b"RANGE" in params.upper() or was is None or was >= date.max - timedelta(days=400):
        return None
    return MovedOccurrence(uid.group(1).strip(), was, min(start, end), max(start, end))


def _series_length(block: bytes) -> timedelta | None:
    """How long the series' first occurrence lasts, in whole days; None when untold."""
    start, end = _first_days(block)
    if (start is None or end is None) and _folded(block):
        start, end = _first_days(unfolded(block))
    if start is None or end is None:
        return None
    return abs(end - start)


def _first_days(block: bytes) -> tuple[date | None, date | None]:
    """The days the event's first occurrence starts and ends, as far as its own lines say
    (an alarm inside it has a DURATION of its own)."""
    own = own_lines(block)
    if own is None:
        return None, None
    start_match = _DTSTART.search(own)
    start = _day(start_match.group(1)) if start_match else None
    return start, _end_day(own, start) if start else None


_COMPONENT_LINE = re.compile(rb"\n(BEGIN|END):([^\r\n]*)", re.I)


def own_lines(block: bytes) -> bytes | None:
    """The event's lines without the components inside it (alarms); None when they do not
    nest plainly (then the parser decides)."""
    if _COMPONENT_LINE.search(block, 1) is None:
        return block
    pieces, position, depth = [], 0, 0
    for match in _COMPONENT_LINE.finditer(block, 1):
        name = match.group(2).strip().upper()
        if match.group(1).upper() == b"BEGIN":
            if name == b"VEVENT":
                return None
            if depth == 0:
                pieces.append(block[position : match.start()])
            depth += 1
        elif name == b"VEVENT":
            if depth:
                return None
            pieces.append(block[position:])
            return b"".join(pieces)
        else:
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                position = match.end()
    return None


def _folded(block: bytes) -> bool:
    return b"\n " in block or b"\n\t" in block


# a line break, any blank lines, then the space or tab that continues the line before them
_FOLD_AFTER = re.compile(rb"\r?\n(?:\r?\n)*[ \t]")


def _folds_at(block: bytes, at: int) -> bool:
    """Whether the line that ends at `at` goes on after a fold (after blank lines too, as
    the parser joins them)."""
    return _FOLD_AFTER.match(block, at) is not None


# The lines one pass over the whole file reads, each told by its group (`lastindex`):
# where events begin and end (a marker line of its own, or an odd one), the components
# inside them (an alarm's lines are not the event's), and in them the first occurrence's
# start and end and any sign of recurrence; and the shapes this pass cannot read at all
# (a property's name folded onto the next line, a marker with parameters). The patterns
# are those of the per-event pass (_DTSTART, _DTEND, _DURATION, _HAS_END, recurs); each
# begins with a line break, which the regular expression engine finds far faster than a
# line start, and most lines are passed over at their first letter.
_SCAN = re.compile(
    rb"\n(?=[bBeEdDrR\r\n])(?i:"
    rb"(begin:vevent[ \t]*\r?(?=\n))"  # 1: an event begins
    rb"|(begin:vevent)"  # 2: the marker, but not on a line of its own
    rb"|(end:vevent[ \t]*(?:\r?(?=\n)|\Z))"  # 3: it ends
    rb"|(end:vevent)"  # 4
    rb"|dtstart" + _PARAMS + rb":(\d{8})"  # 5
    rb"|dtend" + _PARAMS + rb":(\d{8})"  # 6
    rb"|duration" + _PARAMS + rb":([^\r\n]*)"  # 7
    rb"|(dtend[;:]|duration[;:])"  # 8: an end this pass cannot read
    rb"|((?:rrule|rdate|exrule|recurrence-id)[;:])"  # 9
    rb"|(begin:[^\r\n]*)"  # 10: a component inside the event (an alarm)
    rb"|(end:[^\r\n]*)"  # 11
    # 12: a shape this pass cannot read: a marker with parameters, the name of a property
    # it reads folded (no exporter does: names are short; a title's or a UID's name folded
    # is read right, as those tests unfold first), a line continued after blank lines
    # (the blank lines' test starts at the first of them only: linear in a run of them)
    rb"|((?:begin|end);|[bedr][a-z-]{0,13}+\r?\n(?:\r?\n)*[ \t]"
    rb"|(?<!\n\n)(?<!\n\r\n)\r?\n(?:\r?\n)*[ \t])"
    rb")"
)
# what scan_events says of a file it cannot read: leave it whole to the parser
UNREADABLE = "unreadable"


def scan_events(
    data: bytes,
) -> tuple[list[tuple[int, int]], list[tuple[date, date] | None]] | str | None:
    """What event_spans finds, and for each single event the days it spans (what
    _single_span says), in one pass over the file instead of one per event; None where
    that pass would have to look closer (a series, a folded or unreadable start or end,
    odd components inside), which then it does. None when the markers are not all in
    capitals on lines of their own: event_spans decides. UNREADABLE when the file holds
    a shape neither pass reads as the parser does: then nothing is dropped."""
    plain = data[:12].lower() != b"begin:vevent"  # else a bare event, at the very start
    spans: list[tuple[int, int]] = []
    told: list[tuple[date, date] | None] = []
    begin, depth = -1, 0
    start: bytes | None = None
    end: bytes | None = None
    duration: bytes | None = None
    recurring = unread_end = duration_seen = duration_folded = False
    for match in _SCAN.finditer(data):
        kind = match.lastindex
        if kind == 5 or kind == 6:  # every event's start and end: the commonest lines first
            if begin >= 0 and not depth:  # not a time zone's, nor an alarm's
                if kind == 5:
                    start = start or match.group(5)
                else:
                    end = end or match.group(6)
            continue
        if kind == 12 or (kind in (10, 11) and _folds_at(data, match.end())):
            return UNREADABLE
        if not plain:
            continue  # only looking for what the parser would read otherwise
        if kind == 1:
            if begin >= 0 or not match.group(1).startswith(b"BEGIN:VEVENT"):
                plain = False  # nested, or in small letters
                continue
            begin, depth = match.start() + 1, 0
            start = end = duration = None
            recurring = unread_end = duration_seen = duration_folded = False
        elif kind == 3:
            if depth:
                return UNREADABLE  # a component inside left open: the parser's own reading
            if begin < 0 or not match.group(3).startswith(b"END:VEVENT"):
                plain = False
                continue
            after = match.end() + 1 if match.end() < len(data) else match.end()
            spans.append((begin, after))
            told.append(
                None
                if recurring
                else _plain_days(start, end, duration, duration_folded, unread_end)
            )
            begin = -1
        elif kind in (2, 4):
            plain = False
        elif begin < 0:
            continue  # a time zone's DTSTART, say
        elif kind == 10:
            depth += 1
        elif kind == 11:
            depth -= 1
            if depth < 0:
                return UNREADABLE
        elif depth:
            continue  # the lines of an alarm inside the event
        elif kind == 7:
            if not duration_seen:  # the first DURATION counts, as in _end_day
                duration_seen = True
                duration_folded = _folds_at(data, match.end())
                duration = match.group(7)
        elif kind == 8:
            unread_end = True
        else:
            recurring = True
    if begin >= 0 or not plain:
        return None
    return spans, told


def _plain_days(
    start_digits: bytes | None,
    end_digits: bytes | None,
    duration: bytes | None,
    duration_folded: bool,
    unread_end: bool,
) -> tuple[date, date] | None:
    """What _single_span says of a single event, from the first lines of each kind
    scan_events found; None wherever it would look closer (unfolding, say)."""
    start = _day(start_digits) if start_digits else None
    if start is None:
        return None
    if end_digits is not None:
        end = _day(end_digits)
    elif duration_folded:
        return None  # the value goes on on the next line: the parser reads it
    elif duration is not None:
        days = _duration_days(duration)
        if days is None:
            return None
        end = _plus_days(start, days)
    elif unread_end:
        return None
    else:
        end = start
    if end is None:
        return None
    return min(start, end), max(start, end)


def event_spans(data: bytes) -> list[tuple[int, int]] | None:
    """Where each VEVENT is, as [start, end) offsets: what _EVENT finds; None when a
    BEGIN:VEVENT line is not matched by one event (unterminated, nested, odd).

    Exporters write the markers in capitals at the start of their lines; then plain
    searches for them find the same events as the case-insensitive pattern in a fraction
    of the time, which is most of the prefilter's time on a big file. Any other shape is
    left to the pattern."""
    spans = _capital_spans(data)
    if spans is not None:
        return spans
    if _BEGINS.search(data, max(data.lower().rfind(b"\nend:vevent"), 0)):
        # an event begun after the last end is unterminated (so some BEGIN line is left
        # unmatched), and the pattern would search to the end of the data from every such
        # BEGIN: quadratic in a cut export
        return None
    events = list(_EVENT.finditer(data))
    if len(events) != len(_BEGINS.findall(data)):
        return None
    return [match.span() for match in events]


_BEGIN, _END = b"BEGIN:VEVENT", b"END:VEVENT"


def _capital_spans(data: bytes) -> list[tuple[int, int]] | None:
    """event_spans when every marker is in capitals at a line's start and ends its line;
    None when it cannot tell (then the pattern decides)."""
    lowered = data.lower()
    begins, ends = data.count(_BEGIN), data.count(_END)
    if lowered.count(b"begin:vevent") != begins or lowered.count(b"end:vevent") != ends:
        return None  # a marker in small letters
    spans = []
    position = 0
    while True:
        begin = data.find(_BEGIN, position)
        if begin < 0:
            break
        after_begin = _line_end(data, begin, len(_BEGIN))
        if after_begin is None:
            return None
        end = data.find(_END, after_begin)
        if end < 0:
            return None
        after_end = _line_end(data, end, len(_END))
        if after_end is None or data.find(_BEGIN, after_begin, end) >= 0:
            return None  # an odd END line, or a nested event
        spans.append((begin, after_end))
        position = after_end
    if len(spans) != begins or len(spans) != ends:
        return None  # a marker that is not on a line of its own
    return spans


def _line_end(data: bytes, at: int, length: int) -> int | None:
    """Just past the line break of the marker line at `at` ("MARKER[ \t]*\r?\n", or the
    end of the data); None when the marker is not alone on its line."""
    if at > 0 and data[at - 1] != 0x0A:
        return None
    index = at + length
    while index < len(data) and data[index] in b" \t":
        index += 1
    if index == len(data):
        return index
    if data[index] == 0x0D:
        index += 1
    if index < len(data) and data[index] == 0x0A:
        return index + 1
    return None


def _kept_beyond_week(block: bytes, calls_from: date, horizon: CallHorizon | None) -> bool:
    """False only for a single event wholly after `calls_from` that is certainly neither
    a call nor one of our blocks."""
    span = _single_span(block)
    if span is None or span[0] <= calls_from or horizon is None:
        return True
    return _may_be_call_or_ours(block, horizon)


def _may_be_call_or_ours(block: bytes, horizon: CallHorizon | None) -> bool:
    if horizon is None or horizon.may_be_call(block) or OUR_UID_SUFFIX in block:
        return True
    if not _UID_FOLDED.search(block):
        return False  # our mark is nowhere in it, and no UID's line goes on after a fold
    # a long UID may be folded across lines: its own line unfolded (unfolding the whole
    # event, long description and all, cost more than the rest of the test)
    uid = _uid_of(block)
    return uid is None or OUR_UID_SUFFIX in uid


def _without_long_texts(data: bytes) -> bytes:
    """`data` without the descriptions busy time never reads, except in events whose UID
    may be one of our blocks': what the seller typed into those is read back."""
    if OUR_UID_SUFFIX not in data:
        return _LONG_TEXT.sub(b"", data)
    out, position = [], 0
    for match in _EVENT.finditer(data):
        out.append(_LONG_TEXT.sub(b"", data[position : match.start()]))
        event = match.group(0)
        out.append(event if OUR_UID_SUFFIX in event else _LONG_TEXT.sub(b"", event))
        position = match.end()
    out.append(_LONG_TEXT.sub(b"", data[position:]))
    return b"".join(out)


# a UID as every reader takes it alike: printable ASCII without spaces or escapes, on one
# line of its own with no parameters (the parser, the series cache and this pass then all
# read the same series)
_PLAIN_UID = re.compile(rb"^UID:([!-\[\]-~]+)\r?\n(?!(?:\r?\n)*[ \t])", re.M)


def _plain_uid(block: bytes) -> bytes | None:
    own = own_lines(block)
    if own is None or len(_UID_LINE.findall(own)) != 1:
        return None
    found = _PLAIN_UID.search(own)
    return found.group(1) if found else None


def week_only_series(data: bytes, horizon: CallHorizon) -> frozenset[str]:
    """The UIDs of the series in `data` (a prefiltered text) whose every event is certainly
    neither a call with an account nor one of our blocks: after `horizon.after` none of
    their occurrences matters, so they are expanded over the week alone. Empty when some
    event's UID is not plain (escaped, with parameters, folded, with spaces or other
    letters than ASCII): which events make one series is then the parser's to say."""
    spans = event_spans(data)
    if spans is None:
        return frozenset()
    week_only: dict[bytes, bool] = {}  # UID -> whether none of its events may be a call
    recurring: set[bytes] = set()
    for begin, end in spans:
        block = data[begin:end]
        uid = _plain_uid(block)
        if uid is None:
            return frozenset()
        if recurs(block):
            recurring.add(uid)
        week_only[uid] = week_only.get(uid, True) and not _may_be_call_or_ours(block, horizon)
    return frozenset(uid.decode("ascii") for uid in recurring if week_only[uid])
