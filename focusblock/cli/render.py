"""The one rendering layer: results to tables and lines for people, and JSON for scripts.

Text that came from a user, a file or a calendar is data. `shown()` is the one place that
makes it safe for the terminal: control characters (ESC sequences, OSC titles, the
right-to-left override) become visible escapes, and in tables Rich markup is escaped, so
"[/bold]" prints as typed. Every table cell and every line goes through it.

JSON has an explicit shape per result (the functions named `*_json`), times as ISO 8601
with their UTC offset in the user's zone; tests pin the keys.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from focusblock.calendar.events import CalendarEvent
    from focusblock.model import Call, Remark
    from focusblock.store.views import AccountDetail, AccountView

# Invisible characters that reorder or hide text; shown as escapes like the C0/C1 controls.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# What shown() changes: the C0/C1 controls (category Cc) except newline and tab, and _BIDI.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def shown(text: object) -> str:
    """`text` with control and bidi characters made visible (`\\x1b`, `\\u202e`)."""
    value = str(text)
    if not _UNSAFE.search(value):
        return value  # the common case, without a Python loop over every character
    out = []
    for ch in value:
        if ch in "\n\t":
            out.append(ch)
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def say(text: str, err: bool = False) -> None:
    """Print one message (already holding user text) with controls made visible."""
    click.echo(shown(text), err=err)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def echo_json_list(items: Iterable[Any]) -> None:
    """A JSON list written item by item (the same text as echo_json of the whole list), so a
    list of a million remarks is never held in memory."""
    out = sys.stdout
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + body)
        first = False
    out.write("[]\n" if first else "\n]\n")
    out.flush()


def echo_table(
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    show_header: bool = True,
) -> None:
    if not sys.stdout.isatty():  # a pipe or a file: aligned text, and no rich to import
        from focusblock.cli.plain_table import plain_table

        safe = [[shown(value) for value in row] for row in rows]
        text = plain_table(shown(title) if title else None, headers, safe, show_header)
        click.echo(text, nl=False)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    def cell(text: str) -> str:
        return escape(shown(text))

    table = Table(
        title=cell(title) if title else None,
        title_justify="left",
        show_lines=False,
        header_style="bold",
        show_header=show_header,
    )
    for index, header in enumerate(headers):
        # short facts stay on one line; the last column (remark text, reason) wraps
        last = index == len(headers) - 1
        table.add_column(header, overflow="fold", no_wrap=not last, ratio=1 if last else None)
    for row in rows:
        table.add_row(*(cell(value) for value in row))
    Console(highlight=False).print(table)


def iso(value: datetime | date | None, zone: tzinfo) -> str | None:
    """ISO 8601; datetimes in the user's zone with their UTC offset."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    return value.isoformat()


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else "-"


def fmt_time(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if value else "-"


def fmt_span(start: datetime, end: datetime, all_day: bool, zone: tzinfo) -> str:
    s, e = start.astimezone(zone), end.astimezone(zone)
    if all_day:
        return f"{s:%a %d %b} (all day)"
    if s.date() == e.date():
        return f"{s:%a %d %b %H:%M}-{e:%H:%M}"
    return f"{s:%a %d %b %H:%M} - {e:%a %d %b %H:%M}"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 remark', '2 remarks', '1,200 remarks'."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


# --- accounts and remarks -------------------------------------------------------------


def account_json(view: AccountView, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "owner": view.owner,
        "stage": view.stage,
        "aliases": list(view.aliases),
        "domains": list(view.domains),
        "need": view.need,
        "consequence": view.consequence,
        "decision_date": iso(view.decision_date, zone),
        "next_call": iso(view.next_call, zone),
        "remark_count": view.remark_count,
        "last_heard": iso(view.last_heard, zone),
    }


def remark_json(view: Remark, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": view.id,
        "account": view.account,
        "text": view.text,
        "who": view.who,
        "heard_on": iso(view.heard_on, zone),
        "via": view.via,
        "lens": view.lens,
    }


def print_accounts(views: Sequence[AccountView], zone: tzinfo) -> None:
    """`account list`: a table that fits the terminal, or TSV when piped (account_table.py)."""
    from focusblock.cli.account_table import print_account_list

    print_account_list(views, zone)


def account_detail_json(detail: AccountDetail, zone: tzinfo) -> dict[str, Any]:
    call = detail.call
    return {
        "account": account_json(detail.account, zone),
        "remarks": [remark_json(r, zone) for r in detail.remarks],
        "call": None
        if call is None
        else {"summary": call.summary, "start": iso(call.start, zone), "source": call.source},
    }


def _remark_headers(with_account: bool) -> tuple[str, ...]:
    """The number first: remark show / edit / delete take it."""
    account = ("account",) if with_account else ()
    return ("id", *account, "heard", "who", "via", "lens", "what they said")


def _remark_row(r: Remark, with_account: bool) -> tuple[str, ...]:
    account = (r.account,) if with_account else ()
    return (f"#{r.id}", *account, fmt_date(r.heard_on), r.who or "-", r.via, r.lens or "-", r.text)


def print_account_facts(detail: AccountDetail, zone: tzinfo) -> None:
    a = detail.account
    facts = [
        ("stage", a.stage),
        ("need", a.need or "-"),
        ("consequence of doing nothing", a.consequence or "-"),
        ("decision date", fmt_date(a.decision_date)),
        ("next call", fmt_time(a.next_call, zone)),
        *([("next call in your calendar", _call_text(detail.call, zone))] if detail.call else []),
        ("domains", ", ".join(a.domains) or "-"),
        ("aliases", ", ".join(a.aliases) or "-"),
    ]
    echo_table(a.name, ("fact", "value"), facts)


def print_account(detail: AccountDetail, zone: tzinfo, total: int | None = None) -> None:
    """The facts, then the remarks given (`total`: how many the account has in all)."""
    print_account_facts(detail, zone)
    if not detail.remarks:
        if not total:
            a = detail.account
            say(f'No remarks yet. Add one: focusblock remark add "{a.name}" "what they said"')
        return
    rows = [_remark_row(r, False) for r in detail.remarks]
    echo_table(_remarks_title(len(rows), total), _remark_headers(False), rows)


def _call_text(call: Call, zone: tzinfo) -> str:
    return f"{call.summary}, {fmt_time(call.start, zone)}"


def _remarks_title(shown_count: int, total: int | None) -> str:
    if total is None or total == shown_count:
        return plural(shown_count, "remark")
    return f"The newest {shown_count:,} of {total:,} remarks"


def print_remarks(views: Sequence[Remark], total: int | None = None) -> None:
    if not views:
        say("No remarks yet." if not total else "No remarks.")
        return
    rows = [_remark_row(r, True) for r in views]
    echo_table(_remarks_title(len(views), total), _remark_headers(True), rows)


def print_remarks_stream(views: Iterator[Remark], total: int, with_account: bool = True) -> None:
    """Every remark, one line each, printed as it is read (`--all`).

    No table: a table must see every row before it prints the first, and Rich needs about
    a millisecond a row, so 100,000 remarks would take minutes. Short columns are padded
    to a fixed width; a text's own line breaks continue under its first line.
    """
    if not total:
        say("No remarks yet.")
        return
    from focusblock.cli.plain_table import padded

    widths = (7, *((24,) if with_account else ()), 10, 20, 8, 10)
    headers = _remark_headers(with_account)
    indent = " " * (sum(widths) + 2 * len(widths))
    out = sys.stdout
    out.write(plural(total, "remark") + "\n")
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, (*widths, 0), strict=True)) + "\n")
    for view in views:
        cells = _remark_row(view, with_account)
        short = "  ".join(padded(shown(c), w) for c, w in zip(cells, widths, strict=False))
        text = shown(cells[-1]).replace("\n", "\n" + indent)
        out.write(f"{short}  {text}\n")
    out.flush()


def say_left_out(left_out: int, total: int, limit: int, to_stderr: bool = False) -> None:
    """The line that says what a list left out, and how to see it all."""
    if left_out <= 0:
        return
    say(
        f"Showing the newest {limit:,} of {total:,} remarks; --all shows every one "
        f"(or --limit N, --since DATE).",
        err=to_stderr,
    )


class ImportProgress:
    """A progress bar on stderr for an import that runs longer than about 2 s, only when
    stderr is a terminal; rich is imported only then."""

    DELAY_SECONDS = 2.0

    def __init__(self, position: Callable[[], tuple[int, int]]) -> None:
        self.position = position  # (bytes read, bytes in all)
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.interactive = sys.stderr.isatty()

    def __call__(self) -> None:
        if not self.interactive:
            return
        done, total = self.position()
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY_SECONDS:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self.bar = Progress(
                TextColumn("importing"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("import", total=total or None)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


# --- busy time --------------------------------------------------------------------------


def busy_json(
    week: str,
    timezone: str,
    events: Sequence[CalendarEvent],
    warnings: Sequence[str],
    zone: tzinfo,
) -> dict[str, Any]:
    def event(e: CalendarEvent) -> dict[str, Any]:
        return {
            "start": iso(e.start, zone),
            "end": iso(e.end, zone),
            "all_day": e.all_day,
            "summary": e.summary,
            "uid": e.uid,
            "source": e.source,
            "reason": e.free_reason or "busy",
        }

    return {
        "week": week,
        "timezone": timezone,
        "busy": [event(e) for e in events if e.busy],
        "not_busy": [event(e) for e in events if not e.busy],
        "warnings": list(warnings),
    }


def print_busy(week: str, timezone: str, events: Sequence[CalendarEvent], zone: tzinfo) -> None:
    from pathlib import Path

    rows = [
        (
            fmt_span(e.start, e.end, e.all_day, zone),
            e.summary,
            "busy" if e.busy else f"free: {e.free_reason}",
            e.source if "://" in e.source else Path(e.source).name,
        )
        for e in events
    ]
    echo_table(f"Week {week} ({timezone})", ("when", "event", "counts as", "file"), rows)


def warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        say(f"Warning: {warning}", err=True)
