"""`busy` and `plan`: what the planner sees, and the week's focus blocks."""

from __future__ import annotations

from pathlib import Path

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import busy_option, json_option, week_option

REPLACE_ADVICE = (
    "Replacing blocks imported before: Google Calendar keeps the old copy of a moved block, so "
    "delete last import's 'Focus:' events first, then import; Outlook duplicates on re-import, "
    "so delete the old 'Focus:' events (search 'Focus:') before importing. Apple Calendar and "
    "Thunderbird update them in place."
)


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
    from focusblock.cli.render import echo_json, echo_table
    from focusblock.dates import parse_week

    settings = app.settings
    the_week = parse_week(week, app.today())
    zone = app.zone
    start, end = the_week.start(zone), the_week.end(zone)
    reading = read_calendars([load_source(f) for f in busy_files], start, end, zone, settings.email)
    events = reading.events
    for warning in reading.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        data = {
            "week": the_week.label,
            "timezone": settings.timezone,
            "busy": [_event_json(e) for e in events if e.busy],
            "not_busy": [_event_json(e) for e in events if not e.busy],
            "warnings": reading.warnings,
        }
        echo_json(data, zone)
        return
    if not busy_files:
        click.echo("No calendar given: use --busy FILE.ics (an export of your calendar).")
        return
    rows = [
        (
            _span(e.start, e.end, e.all_day, zone),
            e.summary,
            "busy" if e.busy else f"free: {e.free_reason}",
            Path(e.source).name,
        )
        for e in events
    ]
    echo_table(
        f"Week {the_week.label} ({settings.timezone})", ("when", "event", "counts as", "file"), rows
    )


def _event_json(event):  # type: ignore[no-untyped-def]
    return {
        "start": event.start,
        "end": event.end,
        "all_day": event.all_day,
        "summary": event.summary,
        "uid": event.uid,
        "source": event.source,
        "reason": event.free_reason or "busy",
    }


def _span(start, end, all_day, zone) -> str:  # type: ignore[no-untyped-def]
    s, e = start.astimezone(zone), end.astimezone(zone)
    if all_day:
        return f"{s:%a %d %b} (all day)"
    if s.date() == e.date():
        return f"{s:%a %d %b %H:%M}-{e:%H:%M}"
    return f"{s:%a %d %b %H:%M} - {e:%a %d %b %H:%M}"


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
    dry_run: bool,
    as_json: bool,
) -> None:
    """Plan a week of single-customer focus blocks and write them as an .ics file.

    Ranks your accounts (pending deals with a call soon and a compelling need first),
    places one block per chosen account in your free working time, well before that
    account's call, and writes the blocks plus each account's worksheet. Re-planning
    the same week keeps each block's UID and raises its SEQUENCE when it moves.
    """
    from focusblock.cli.plan_output import print_plan
    from focusblock.cli.render import echo_json
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
    )
    result = make_plan(app.store(), settings, options, app.now())
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        echo_json(result, app.zone)
        return
    print_plan(result, app.zone, REPLACE_ADVICE)
