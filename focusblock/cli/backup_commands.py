"""`export` and `import-all`: one JSON file with everything, for backups and moves; or the
remarks alone as CSV, for a spreadsheet or a CRM."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.options import force_option
from focusblock.cli.output import plural, say
from focusblock.cli.working import Working
from focusblock.csv_text import REMARKS_CSV_COLUMNS, remarks_csv
from focusblock.errors import BadInput
from focusblock.private_files import (
    STDOUT,
    check_target,
    refuse_unless_a_file,
    shown_target,
    stream_kind,
    write_private,
)
from focusblock.remark_input import is_remarks_header
from focusblock.store.portable import export_all, import_all
from focusblock.store.remarks import stream_remarks
from focusblock.visible import shown


@click.command("export")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["json", "csv"], case_sensitive=False),
    default="json",
    show_default=True,
    help="json: everything, the backup import-all restores; csv: one row per remark, "
    "for a spreadsheet or a CRM.",
)
@click.option(
    "--account",
    metavar="ACCOUNT",
    help="With --format csv: that account's remarks only. [default: every account of yours]",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write here (readable by you only); - is stdout, and a FIFO or device is written "
    "to as it is. [default: stdout]",
)
@force_option
@pass_app
def export(
    app: AppContext,
    file_format: str,
    account: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """Write every account, remark, reflection and block as one JSON document.

    Every owner's accounts in the store go into it (a backup is complete), and it says how
    many of each owner's it holds. With --format csv, your remarks instead (or one
    account's), one row each, as a spreadsheet opens them; `remark import` of that file
    adds nothing already stored.
    """
    if account is not None and file_format != "csv":
        raise click.UsageError(
            "--account: only with --format csv (the JSON export is the whole store, a backup)"
        )
    store = app.store(reading=True)
    if out is not None:
        kind = "remarks CSV" if file_format == "csv" else "export"
        check_target(out, kind, store.files(), force)
    if file_format == "csv":
        _export_csv(app, account, out)
        return
    with Working("exporting the store"):
        document = export_all(store)
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    beside_data = stream_kind(out) == STDOUT  # the report then goes to stderr
    write_private(out, text)
    counts = ", ".join(
        plural(len(document[k]), k.removesuffix("s"))
        for k in ("accounts", "remarks", "reflections")
    )
    say(f"Exported {counts} to {shown_target(out)}", err=beside_data)
    owners = Counter(a["owner"] for a in document["accounts"])
    for owner, count in sorted(owners.items()):
        say(f"  {owner}: {plural(count, 'account')}", err=beside_data)


def _export_csv(app: AppContext, account: str | None, out: Path | None) -> None:
    """The remarks as CSV: to stdout, or into a private file written whole."""
    with (
        Working("exporting remarks"),
        stream_remarks(app.store(reading=True), account) as (total, views),
    ):
        text = "".join(remarks_csv(views))
    if out is None:
        # to a terminal the file is read by a person: an escape code a customer's words
        # hold is shown, not run (to a pipe or a file the words go as they are)
        click.echo(shown(text) if sys.stdout.isatty() else text, nl=False)
        return
    data = text.encode("utf-8")
    beside_data = stream_kind(out) == STDOUT  # the report then goes to stderr
    write_private(out, data)
    say(f"Exported {plural(total, 'remark')} to {shown_target(out)}", err=beside_data)


def _refuse_remarks_csv(file: Path, text: str) -> None:
    """A CSV of remarks (ours from `export --format csv`, or a CRM's) given to import-all:
    said as such, with the command that takes it."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if first_line.lstrip().startswith(("{", "[")) or not is_remarks_header(first_line):
        return
    ours = first_line.rstrip("\r") == ",".join(REMARKS_CSV_COLUMNS)
    what = "a CSV export of remarks" if ours else "a CSV file of remarks"
    raise BadInput(
        f"{file}: {what}, not the JSON export import-all restores",
        hint=f"add its remarks with: focusblock remark import {file}",
    )


@click.command("import-all")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def import_all_command(app: AppContext, file: Path) -> None:
    """Load an export into an empty store (to restore a backup or move to PostgreSQL)."""
    refuse_unless_a_file(file)  # a FIFO would be waited on forever, /dev/zero never end
    try:
        text = file.read_text(encoding="utf-8")
        _refuse_remarks_csv(file, text)
        document = json.loads(text)
    except OSError as exc:
        raise BadInput(f"{file}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{file}: not a JSON export ({exc})") from None
    except RecursionError:  # an export is four levels deep; this file has thousands
        raise BadInput(f"{file}: not a JSON export (nested too deeply)") from None
    with Working(f"loading {file}"):
        counts = import_all(app.store(), document, str(file))
    say(
        "Imported "
        # what only a merge leaves (kept facts, retired blocks) and people are named only
        # when there are some; where plans wrote worksheets and what blocks were written as
        # is bookkeeping, carried but not counted here
        + ", ".join(
            plural(n, "person", "people") if k == "people" else plural(n, k.replace("_", " ")[:-1])
            for k, n in counts.items()
            if (n or k not in ("merged_facts", "retired_blocks", "people"))
            and k not in ("worksheet_files", "block_versions")
        )
        + "."
    )
