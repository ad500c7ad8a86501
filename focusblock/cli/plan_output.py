"""The plan as a person reads it: blocks, then who was left out and why."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

import click

from focusblock.calendar.publish import PublishReport
from focusblock.cli.render import echo_table
from focusblock.weekly_plan import PlanResult

DISQUALIFY_TITLE = "Candidates for disqualification (no block: decide whether to keep them)"


def print_plan(result: PlanResult, zone: tzinfo, replace_advice: str) -> None:
    rows = []
    for b in result.blocks:
        start, end = b.start.astimezone(zone), b.end.astimezone(zone)
        minutes = int((b.end - b.start).total_seconds() // 60)
        note = "" if b.change in ("new", "unchanged") else f" [{b.change}]"
        reason = "; ".join([b.reason, *b.flags]) + note
        rows.append(
            (b.account, f"{start:%a %d %b}", f"{start:%H:%M}-{end:%H:%M}", f"{minutes} min", reason)
        )
    title = f"Focus blocks, week {result.week} ({result.timezone})"
    if rows:
        echo_table(title, ("account", "day", "time", "length", "why"), rows)
    else:
        click.echo(f"{title}: none placed.")
    for b in result.cancelled:
        if b.change == "cancelled":
            click.echo(
                f"Withdrawn: {b.account} (was {b.start.astimezone(zone):%a %d %b %H:%M}); "
                "marked cancelled in the .ics: delete it in your calendar."
            )
    disqualify = [x for x in result.left_out if x.kind == "disqualify"]
    others = [x for x in result.left_out if x.kind != "disqualify"]
    if others:
        echo_table("Left out", ("account", "why"), [(x.account, x.reason) for x in others])
    if disqualify:
        echo_table(
            DISQUALIFY_TITLE,
            ("account", "why"),
            [(x.account, x.reason) for x in disqualify],
        )
    if result.published is not None:
        print_published(result.published)
    if result.dry_run:
        click.echo("Dry run: nothing written, the store unchanged.")
        return
    if result.vdir is not None:
        v = result.vdir
        click.echo(
            f"Calendar folder {v.folder}: {len(v.written)} written, {len(v.unchanged)} "
            f"unchanged, {len(v.removed)} removed (sync it with vdirsyncer)."
        )
    if result.ics_file is None or result.vdir is not None:
        if result.worksheets:
            click.echo(
                f"Wrote {len(result.worksheets)} worksheet files to "
                f"{Path(result.worksheets[0]).parent}."
            )
        return
    click.echo(
        f"Wrote {result.events_written} events to {result.ics_file}"
        + (
            f" and {len(result.worksheets)} worksheet files to {Path(result.worksheets[0]).parent}"
            if result.worksheets
            else ""
        )
        + "."
    )
    if result.published is not None:
        return  # the blocks are in the CalDAV calendar already: importing would duplicate them
    if any(b.change in ("moved", "restored") for b in result.blocks) or any(
        b.change == "cancelled" for b in result.cancelled
    ):
        click.echo(replace_advice)
    else:
        click.echo(
            "Import the .ics into Google Calendar (Settings > Import) "
            "or Outlook (File > Open > Import)."
        )


def print_published(report: PublishReport) -> None:
    """One line per kind of change to the CalDAV calendar, naming the blocks."""
    verb = "would be" if report.dry_run else "were"
    for label, titles in (
        ("created", report.created),
        ("updated", report.updated),
        ("deleted", report.deleted),
    ):
        if titles:
            click.echo(f"{report.target}: {len(titles)} {verb} {label}: {', '.join(titles)}")
    click.echo(
        f"{report.target}: {len(report.unchanged)} unchanged; {report.left_alone} other "
        "events left as they are."
    )
