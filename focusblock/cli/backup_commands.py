"""`export` and `import-all`: one JSON file with everything, for backups and moves."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import force_option
from focusblock.cli.output import plural, say
from focusblock.cli.working import Working
from focusblock.errors import BadInput
from focusblock.private_files import STDOUT, check_target, shown_target, stream_kind, write_private
from focusblock.store.portable import export_all, import_all


@click.command("export")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write here (readable by you only); - is stdout, and a FIFO or device is written "
    "to as it is. [default: stdout]",
)
@force_option
@click.pass_obj
def export(app: AppContext, out: Path | None, force: bool) -> None:
    """Write every account, remark, reflection and block as one JSON document.

    Every owner's accounts in the store go into it (a backup is complete), and it says how
    many of each owner's it holds.
    """
    store = app.store(reading=True)
    if out is not None:
        check_target(out, "export", store.files(), force)
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


@click.command("import-all")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_all_command(app: AppContext, file: Path) -> None:
    """Load an export into an empty store (to restore a backup or move to PostgreSQL)."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
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
