"""`plan`: the week's focus blocks, written to an .ics, worksheets and a calendar."""

from __future__ import annotations

from pathlib import Path

import click

from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.options import busy_option, week_option
from focusblock.cli.output import json_output
from focusblock.cli.plan_results import PlanShown
from focusblock.cli.working import Working
from focusblock.dates import parse_week
from focusblock.errors import BadInput
from focusblock.plan.week import PlanOptions
from focusblock.plan.write import make_plan
from focusblock.private_files import STDOUT, stream_kind


def _publish_target(typed: str | None, no_publish: bool, configured: str | None) -> str | None:
    """--publish, else calendars.publish; none with --no-publish. An empty --publish (an
    unset variable in a script) is refused: it must not mean the configured calendar."""
    if no_publish:
        if typed is not None:
            raise click.UsageError("--publish and --no-publish do not go together: choose one.")
        return None
    if typed is not None and not typed.strip():
        raise BadInput(
            "--publish: is empty; expected caldav:URL. To publish nowhere this time, "
            "use --no-publish"
        )
    return typed or configured


def _names_folder(out: str | None) -> bool:
    """--out DIR/ (or an existing folder) asks for a vdir: one .ics file per block."""
    return out is not None and (out.endswith(("/", "\\")) or Path(out).expanduser().is_dir())


@click.command()
@week_option
@busy_option
@click.option(
    "--out",
    metavar="FILE.ics|DIR/",
    help="Where to write the focus blocks: an .ics file, or a folder (ending in /) to get one "
    "<UID>.ics per block, a vdir for vdirsyncer, or - for stdout (the .ics alone: the plan's "
    "report goes to stderr; a FIFO or device is written to as it is). Worksheets go beside "
    "an .ics file; with -, a FIFO or a device, where they go by default. [default: "
    "focusblock-<week>.ics in the store's week folder: weeks/<week>/ beside a SQLite store, "
    "else under your data folder]",
)
@click.option(
    "--publish",
    metavar="caldav:URL",
    help="Also keep the blocks in this CalDAV calendar (created, moved, deleted in place; "
    "only focusblock's own events are touched). [default: calendars.publish]",
)
@click.option(
    "--no-publish",
    is_flag=True,
    help="Publish nowhere this time, though calendars.publish is set.",
)
@click.option("--no-file", is_flag=True, help="Write no .ics file (e.g. with --publish).")
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
    help="Leave customer names out of the .ics and the published calendar (title 'Focus "
    "block', CLASS:PRIVATE); the terminal still names them.",
)
@click.option(
    "--describe-remarks",
    is_flag=True,
    default=None,
    help="Put the latest remarks, verbatim, in each block's description. [default: "
    "plan.describe_remarks, off: whoever sees your calendar would read them]",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Plan even when a --busy calendar has no event within 90 days of the week.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an --out file that is neither an .ics nor focusblock's own (never the store).",
)
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing, change nothing.")
@click.option(
    "--quiet",
    is_flag=True,
    help="Print only what changed, warnings and errors (for a timer or cron); the exit "
    "code is 0 when the week was planned, not 0 when it was not.",
)
@json_output
@pass_app
def plan(
    app: AppContext,
    week: str | None,
    busy_files: tuple[str, ...],
    out: str | None,
    publish: str | None,
    no_publish: bool,
    no_file: bool,
    worksheets_dir: Path | None,
    only_changed: bool,
    private: bool | None,
    describe_remarks: bool | None,
    allow_empty: bool,
    force: bool,
    dry_run: bool,
    quiet: bool,
    as_json: bool,
) -> PlanShown:
    """Plan a week of single-customer focus blocks and write them as an .ics file.

    Ranks your accounts (pending deals with a call soon and a compelling need first),
    places one block per chosen account in your free working time, well before that
    account's call, and writes the blocks plus each account's worksheet. Re-planning
    the same week keeps each block's UID and raises its SEQUENCE when it moves.
    """
    settings = app.settings
    ics_on_stdout = bool(out) and not no_file and stream_kind(Path(str(out))) == STDOUT
    if ics_on_stdout and as_json:
        raise click.UsageError("--json and --out - both write to stdout: choose one.")
    options = PlanOptions(
        week=parse_week(week, app.today()),
        busy_files=busy_files,
        out=Path(out).expanduser() if out else None,
        out_is_folder=_names_folder(out),
        write_file=not no_file,
        publish=_publish_target(publish, no_publish, settings.publish),
        worksheets_dir=worksheets_dir,
        dry_run=dry_run,
        only_changed=only_changed,
        private=settings.private if private is None else private,
        describe_remarks=(
            settings.describe_remarks if describe_remarks is None else describe_remarks
        ),
        allow_empty=allow_empty,
        force=force,
    )
    with Working(f"planning {options.week.label}: reading the calendars") as working:
        result = make_plan(app.store(), settings, options, app.now(), working.step)
    return PlanShown(result, settings, quiet, ics_on_stdout and not dry_run)
