"""`busy`: what the planner sees as busy in a week, and why. Apart from `plan` (in
plan_commands.py) so that reading a week loads nothing of writing a plan, the worksheets
or their kept answers."""

from __future__ import annotations

import click

from focusblock.cli.busy_results import BusyShown, WeekStrip
from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.options import busy_option, week_option
from focusblock.cli.output import json_output, say
from focusblock.cli.working import Working
from focusblock.dates import parse_week
from focusblock.plan.busy import busy_week


@click.command()
@week_option
@busy_option
@click.option(
    "--grid",
    is_flag=True,
    help="Show the week as a strip instead: one line per working day, busy time and your "
    "accounts' calls on a bar of the working hours.",
)
@json_output
@pass_app
def busy(
    app: AppContext, week: str | None, busy_files: tuple[str, ...], grid: bool, as_json: bool
) -> BusyShown | WeekStrip | None:
    """Show what the planner sees as busy in a week, and why.

    Every event of the week from the --busy sources (or calendars.busy), as the calendar
    has it (not clipped to working hours), with its source; events that do not block
    time are listed with the reason (cancelled, shown as free, declined by you, ours).
    With --grid, the week at a glance instead, as `plan` prints it under its table.
    """
    if grid and as_json:
        raise click.UsageError("--grid and --json do not go together: choose one.")
    settings = app.settings
    the_week = parse_week(week, app.today())
    specs = busy_files or settings.busy_sources
    if not specs and not as_json:
        say(
            "No calendar given: use --busy SOURCE (an .ics export, a feed's https:// address, "
            "caldav:URL), or list them in the settings as calendars.busy."
        )
        return None
    with Working(f"reading the calendars for {the_week.label}"):
        seen = busy_week(app.store(reading=True), settings, the_week, specs, app.now())
    if grid:
        from focusblock.plan.glance import busy_glance  # the strip's layout: only for --grid

        # calls recognised with the store's accounts
        return WeekStrip(
            busy_glance(seen.events, seen.week, settings, seen.accounts), seen.warnings
        )
    return BusyShown(seen, settings.timezone)
