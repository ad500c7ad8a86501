"""Options that several commands share, defined once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, TypeVar

import click

from focusblock.cli.context import AppContext
from focusblock.dates import given_date, read_remark_date
from focusblock.model import LARGEST_ID, Via
from focusblock.names import LENSES, STAGES

F = TypeVar("F", bound=Callable[..., Any])


def account_fact_options(*, editing: bool) -> Callable[[F], F]:
    """The facts `account add` and `account edit` both set. An edit shows no default: an
    option not given keeps the account's own value."""
    stage_help = "Where the deal stands."
    return partial(
        _with_fact_options, stage_help if editing else f"{stage_help} [default: pending]"
    )


def _with_fact_options(stage_help: str, func: F) -> F:
    options = [
        click.option(
            "--stage",
            type=click.Choice(STAGES, case_sensitive=False),
            help=stage_help,
        ),
        click.option(
            "--domain",
            "domains",
            multiple=True,
            metavar="DOMAIN",
            help="Email domain of their people, to recognise their meetings (repeatable).",
        ),
        click.option(
            "--alias",
            "aliases",
            multiple=True,
            metavar="NAME",
            help="Another name they go by in meeting titles (repeatable).",
        ),
        click.option("--need", metavar="TEXT", help="Their compelling need, in their words."),
        click.option("--consequence", metavar="TEXT", help="What doing nothing costs them."),
        click.option(
            "--decision-date", metavar="DATE", help="Their date for the decision (YYYY-MM-DD)."
        ),
        click.option(
            "--next-call",
            metavar="DATETIME",
            help="Next call, when your calendar does not show it (YYYY-MM-DD HH:MM, your "
            "zone); a call the calendar shows wins over it.",
        ),
        click.option(
            "--past",
            is_flag=True,
            help="Take a --next-call that is already past (refused without it).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


_VIA_HELP = f"How you heard it: {', '.join(Via)}."
# `remark add` stores 'other' when --via is not given; `remark edit` keeps the remark's own
via_option = click.option("--via", metavar="CHANNEL", help=f"{_VIA_HELP} [default: {Via.OTHER}]")
edit_via_option = click.option("--via", metavar="CHANNEL", help=_VIA_HELP)
lens_option = click.option(
    "--lens", metavar="LENS", help=f"What the remark is about: {', '.join(LENSES)}."
)


week_option = click.option(
    "--week",
    metavar="W",
    help="The week: this, next, last, YYYY-Www (e.g. 2026-W49) or a date inside it "
    "(YYYY-MM-DD). [default: next]",
)
busy_option = click.option(
    "--busy",
    "busy_files",
    multiple=True,
    metavar="SOURCE",
    help="Where busy time comes from (repeatable): an .ics file or '-' (stdin), Google's "
    "export .zip, a folder of .ics files (vdir), an https:// iCalendar feed, or "
    "caldav:URL; NAME=URL shows the feed as NAME (a feed's address is never shown). "
    "[default: calendars.busy in the settings]",
)


force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace an --out file that is neither focusblock's own nor of the kind being "
    "written (a database too; never the store itself).",
)


def page_options(default: int, order: str = "oldest of them first") -> Callable[[F], F]:
    """--limit, --all and --since: how much of a long list of remarks to print."""

    def decorate(func: F) -> F:
        options = [
            click.option(
                "--limit",
                type=click.IntRange(min=1),
                default=default,
                show_default=True,
                # more than any store can hold is all of them (SQL takes no bigger number)
                callback=lambda _ctx, _param, value: min(value, LARGEST_ID),
                help=f"Print the newest N remarks ({order}).",
            ),
            click.option("--all", "show_all", is_flag=True, help="Print every remark."),
            click.option("--since", metavar="DATE", help="Only remarks heard on or after DATE."),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def since_date(app: AppContext, since: str | None) -> date | None:
    """The --since date, read like a remark's date."""
    typed = given_date(since, "--since")
    return None if typed is None else read_remark_date(typed, "--since", app.today(), None)
