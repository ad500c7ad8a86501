"""Helpers shared by test modules of more than one feature."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from sqlalchemy import create_engine, func, select

from focusblock.store.opening import to_url
from focusblock.store.tables import REMARK_TABLE
from tests import terminal
from tests.conftest import EXAMPLES


def count_remarks(target: str) -> int:
    engine = create_engine(to_url(target))
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(REMARK_TABLE)).scalar_one())
    finally:
        engine.dispose()


def start_focusblock(target: str, *args: str) -> subprocess.Popen[str]:
    """`focusblock --db TARGET ARGS...` started in a process of its own (not waited for), its
    output captured as text: one of several commands racing on one store."""
    return subprocess.Popen(
        [sys.executable, "-m", "focusblock", "--db", target, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def all_remarks(run, *args: str) -> list[dict]:
    return json.loads(run("remark", "list", *args, "--all", "--json").stdout)


CALENDAR = str(EXAMPLES / "calendar.ics")


def _one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _remarks(run, *args: str) -> list[dict]:
    return json.loads(run("remark", "list", *args, "--json").stdout)


def _export(run) -> dict:
    return json.loads(run("export").stdout)


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def in_terminal(*args: str, columns: int = 80) -> str:
    """What focusblock prints to a real terminal (a pseudo-terminal) `columns` wide."""
    seen = terminal.in_terminal([sys.executable, "-m", "focusblock", *args], columns)
    return ANSI.sub("", seen).replace("\r\n", "\n")


def two_accounts_with_calls(run, write):
    """Northwind and Northwind Traders, each with a need, a remark and a call in the week
    (so each gets a block); the calendar file holding the two calls."""
    for name, domain in (("Northwind", "northwind.com"), ("Northwind Traders", "nwt.com")):
        run("account", "add", name, "--domain", domain, "--need", "Faster close")
        run("remark", "add", name, f"{name} needs a faster close.", "--lens", "need")
    return write(
        "c.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20261120T000000Z\r\n"
        "DTSTART:20261203T150000Z\r\nDTEND:20261203T160000Z\r\nSUMMARY:Northwind call\r\n"
        "ATTENDEE:mailto:x@northwind.com\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b@t\r\nDTSTAMP:20261120T000000Z\r\n"
        "DTSTART:20261204T150000Z\r\nDTEND:20261204T160000Z\r\nSUMMARY:NWT call\r\n"
        "ATTENDEE:mailto:y@nwt.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )


def add_old_acme(conn) -> None:
    """Account 1, 'Acme', owned by 'me', written as SQL into a store at an older revision
    (the commands would upgrade it first)."""
    conn.exec_driver_sql(
        "INSERT INTO account (id, name, name_key, owner, aliases, domains, stage, "
        "created_at, updated_at) VALUES (1, 'Acme', 'acme', 'me', '[]', '[]', 'pending', "
        "'2026-08-01 00:00:00', '2026-08-01 00:00:00')"
    )


def meeting_over(write, event, name: str = "meeting.ics", summary: str = "Escalation"):
    """A calendar file holding one new meeting at exactly `event`'s time (an icalendar
    VEVENT, e.g. one of our blocks read back): a meeting that lands on a block."""
    start = event["DTSTART"].dt.strftime("%Y%m%dT%H%M%SZ")
    end = event["DTEND"].dt.strftime("%Y%m%dT%H%M%SZ")
    return write(
        name,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{name}@example.com\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:{start}\r\n"
        f"DTEND:{end}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )


def parsed_texts(monkeypatch) -> list[bytes]:  # type: ignore[no-untyped-def]
    """From now on, the text of every calendar handed to the parser (what the series
    cache did not spare), in order."""
    from focusblock.calendar import reading

    parsed: list[bytes] = []
    parse = reading.parse_calendars

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(source.data)
        return parse(source, *args, **kwargs)

    monkeypatch.setattr(reading, "parse_calendars", counting)
    return parsed
