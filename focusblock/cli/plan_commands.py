"""`busy` and `plan`: what the planner sees, and the week's focus blocks."""

from __future__ import annotations

from pathlib import Path

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import busy_option, json_option, week_option


@click.command()
@week_option
@busy_option
@json_option
@click.pass_obj
def busy(app: AppContext, week: str | None, busy_files: tuple[str, ...], as_json: bool) -> None:
    """Show what the planner sees as busy in a week, and why.

    Every event of the week from the --busy files, as the calendar has it (not clipped
    to working hours), with its file; events that do not block time are listed with
    the reason (cancelled, shown as free, declined by you).
    """
    from focusblock.calendar.reading import load_source, read_calendars
    from focusblock.cli import render
    from focusblock.dates import parse_week

    settings = app.settings
    the_week = parse_week(week, app.today())
    zone = app.zone
    start, end = the_week.start(zone), the_week.end(zone)
    reading = read_calendars([load_source(f) for f in busy_files], start, end, zone, settings.email)
    render.warn(reading.warnings)
    if as_json:
        render.echo_json(render.busy_json(the_week.label, settings.timezone, reading, zone))
        return
    if not busy_files:
        render.say("No calendar given: use --busy FILE.ics (an export of your calendar).")
        return
    render.print_busy(the_week.label, settings.timezone, reading, zone)


@click.command()
@week_option
@busy_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.ics",
    help="Where to write the focus blocks. [default: focusblock-<week>.ics here]",
)
@click.option(
    "--worksheets",
    "worksheets_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder for each planned account's worksheet. [default: beside the .ics]",
)
@click.option(
    "--only-changed",
    is_flag=True,
    help="Write only blocks that are new, moved or cancelled since the last plan of that week.",
)
@click.option(
    "--private",
    is_flag=True,
    default=None,
    help="Leave customer names out of the .ics (title 'Focus block', CLASS:PRIVATE).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Plan even when a --busy calendar has no event within 90 days of the week.",
)
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing, change nothing.")
@json_option
@click.pass_obj
def plan(
    app: AppContext,
    week: str | None,
    busy_files: tuple[str, ...],
    out: Path | None,
    worksheets_dir: Path | None,
    only_changed: bool,
    private: bool | None,
    allow_empty: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Plan a week of single-customer focus blocks and write them as an .ics file.

    Ranks your accounts (pending deals with a call soon and a compelling need first),
    places one block per chosen account in your free working time, well before that
    account's call, and writes the blocks plus each account's worksheet. Re-planning
    the same week keeps each block's UID and raises its SEQUENCE when it moves.
    """
    from focusblock.cli.render import echo_json, warn
    from focusblock.cli.render_plan import plan_json, print_plan
    from focusblock.dates import parse_week
    from focusblock.plan.week import PlanOptions, make_plan

    settings = app.settings
    options = PlanOptions(
        week=parse_week(week, app.today()),
        busy_files=busy_files,
        out=out,
        worksheets_dir=worksheets_dir,
        dry_run=dry_run,
        only_changed=only_changed,
        private=settings.private if private is None else private,
        allow_empty=allow_empty,
    )
    result = make_plan(app.store(), settings, options, app.now())
    warn(result.decision.warnings)
    if as_json:
        echo_json(plan_json(result, app.zone))
        return
    print_plan(result, app.zone)
