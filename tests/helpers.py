"""Helpers shared by test modules of more than one feature."""

from __future__ import annotations

import json
import re
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
