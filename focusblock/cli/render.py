"""Turning plain results into tables for people and JSON for scripts."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Any

import click


def jsonable(value: Any, zone: tzinfo) -> Any:
    """Plain JSON data; times as ISO 8601 with their UTC offset, in the user's zone."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name), zone) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v, zone) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v, zone) for v in value]
    return value


def echo_json(value: Any, zone: tzinfo) -> None:
    click.echo(json.dumps(jsonable(value, zone), ensure_ascii=False, indent=2))


def echo_table(title: str | None, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    for index, header in enumerate(headers):
        # short facts stay on one line; the last column (remark text, reason) wraps
        last = index == len(headers) - 1
        table.add_column(header, overflow="fold", no_wrap=not last, ratio=1 if last else None)
    for row in rows:
        table.add_row(*row)
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=140)  # piped output: wide enough for dates
    console.print(table)


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else "-"


def fmt_time(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if value else "-"
