"""`remark show | edit | delete | restore | purge`: correcting what was recorded."""

from __future__ import annotations

import sys

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import json_option, lens_option, via_option


class RemarkId(click.ParamType):
    """A remark's number as `remark list` shows it: 12 or #12."""

    name = "ID"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().removeprefix("#")
        if not text.isdigit() or int(text) < 1:
            self.fail(f"{value!r} is not a remark number (see: focusblock remark list)", param, ctx)
        return int(text)


REMARK_ID = RemarkId()


@click.command("show")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@json_option
@click.pass_obj
def remark_show(app: AppContext, remark_id: int, as_json: bool) -> None:
    """Show remark ID and every earlier version of it, oldest first.

    A deleted remark is shown too, marked as deleted.
    """
    from focusblock.cli import render_corrections
    from focusblock.cli.render import echo_json
    from focusblock.store.remark_corrections import show_remark

    remark, history = show_remark(app.store(), remark_id)
    if as_json:
        echo_json(render_corrections.remark_detail_json(remark, history, app.zone))
        return
    render_corrections.print_remark_detail(remark, history, app.zone)


@click.command("edit")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@click.option("--text", metavar="TEXT", help="What they said, corrected. '-' reads it from stdin.")
@click.option("--on", "on", metavar="DATE", help="When you heard it (YYYY-MM-DD).")
@click.option("--who", metavar="NAME", help='Who said it ("" clears it).')
@via_option
@lens_option
@click.pass_obj
def remark_edit(
    app: AppContext,
    remark_id: int,
    text: str | None,
    on: str | None,
    who: str | None,
    via: str | None,
    lens: str | None,
) -> None:
    """Correct remark ID; the fields not given stay as they are.

    The version it replaces is kept: `remark show ID` lists every earlier version and
    `export` carries them. A lens of "none" or "" clears it.
    """
    from focusblock.cli.render import say
    from focusblock.store.remark_corrections import edit_remark

    if text == "-":
        text = sys.stdin.read()
    from focusblock.dates import given_date

    # an empty --on would re-date the remark to today
    edited = edit_remark(
        app.store(),
        remark_id,
        app.now(),
        text=text,
        on=given_date(on, "--on"),
        who=who,
        via=via,
        lens=lens,
    )
    if edited is None:
        say(f"Remark #{remark_id} already says that; nothing changed.")
        return
    remark, history = edited
    versions = len(history)
    say(
        f"Updated remark #{remark_id} of '{remark.account}'; "
        f"{versions} earlier version{'s' if versions != 1 else ''} kept "
        f"(focusblock remark show {remark_id})."
    )


@click.command("delete")
@click.argument("remark_ids", metavar="ID...", nargs=-1, required=True, type=REMARK_ID)
@click.pass_obj
def remark_delete(app: AppContext, remark_ids: tuple[int, ...]) -> None:
    """Delete remarks ID...: hidden from lists, plans and worksheets, still in export.

    Nothing is lost yet: `remark restore ID` brings one back; `remark purge ID... --yes`
    removes deleted remarks for good. All the numbers must be right, or none is deleted.
    """
    from focusblock.cli.render import say
    from focusblock.store.remark_corrections import delete_remarks

    views = delete_remarks(app.store(), remark_ids, app.now())
    for view in views:
        say(f"Deleted remark #{view.id} of '{view.account}' (focusblock remark restore {view.id}).")


@click.command("restore")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@click.pass_obj
def remark_restore(app: AppContext, remark_id: int) -> None:
    """Bring back the deleted remark ID, exactly as it was."""
    from focusblock.cli.render import say
    from focusblock.store.remark_corrections import restore_remark

    view = restore_remark(app.store(), remark_id)
    say(f"Restored remark #{view.id} of '{view.account}'.")


@click.command("purge")
@click.argument("remark_ids", metavar="ID...", nargs=-1, required=True, type=REMARK_ID)
@click.option("--yes", is_flag=True, help="Really remove them; without it, say what would go.")
@click.pass_obj
def remark_purge(app: AppContext, remark_ids: tuple[int, ...], yes: bool) -> None:
    """Remove deleted remarks ID... for good, with their earlier versions and answers.

    Only remarks already deleted (`remark delete`) can be purged; without --yes nothing
    happens and the error says what would be removed. There is no undo.
    """
    from focusblock.cli.render import say
    from focusblock.store.remark_corrections import describe_purge, purge_remarks

    summary = purge_remarks(app.store(), remark_ids, yes=yes)
    say(f"Purged {describe_purge(summary)}.")
