"""`remark add | list | import`; show, edit, delete, restore and purge are in
remark_correction_commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import json_option, lens_option, via_option


@click.group()
def remark() -> None:
    """What customers said, verbatim: the material of every focus block."""


@remark.command("add")
@click.argument("account")
@click.argument("text")
@click.option("--who", metavar="NAME", help="Who said it.")
@click.option("--on", "on", metavar="DATE", help="When you heard it. [default: today]")
@via_option
@lens_option
@click.option(
    "--again", is_flag=True, help="Store it even if the same text is stored for that date."
)
@click.pass_obj
def remark_add(
    app: AppContext,
    account: str,
    text: str,
    who: str | None,
    on: str | None,
    via: str | None,
    lens: str | None,
    again: bool,
) -> None:
    """Record TEXT, something ACCOUNT said, word for word. TEXT '-' reads it from stdin.

    ACCOUNT may differ from the account's name by case, accents, punctuation or a legal
    suffix ('acme inc' for 'ACME'); a name one typo away says "did you mean". The same
    text on the same date is refused as a duplicate, unless --again.
    """
    from focusblock.cli.render import say
    from focusblock.remark_input import check_remark
    from focusblock.store.remarks import add_remark

    if text == "-":
        text = sys.stdin.read()
    new = check_remark(account, text, who, on, via, lens, today=app.today())
    view = add_remark(app.store(), new, again=again)
    say(f"Added remark #{view.id} to '{view.account}' ({view.heard_on.isoformat()}).")


@remark.command("list")
@click.argument("account", required=False)
@json_option
@click.pass_obj
def remark_list(app: AppContext, account: str | None, as_json: bool) -> None:
    """List remarks, of one ACCOUNT or of all, oldest first."""
    from focusblock.cli import render
    from focusblock.store.remarks import list_remarks

    views = list_remarks(app.store(), account)
    if as_json:
        render.echo_json([render.remark_json(v, app.zone) for v in views])
        return
    render.print_remarks(views)


@remark.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option(
    "--new-accounts",
    is_flag=True,
    help="Create accounts for names close to an existing one, instead of stopping.",
)
@click.pass_obj
def remark_import(app: AppContext, file: Path, dry_run: bool, new_accounts: bool) -> None:
    """Import remarks from a CSV file, all or nothing.

    \b
    Columns (header row, any order, case-insensitive): account, text, who, on, via, lens.
    Only account and text are required; CRM headers such as "Account Name", "Note" and
    "Date" are understood. Comma, semicolon or tab separated, UTF-8 with or without BOM.
    Accounts not yet known are created. A remark already stored (same account, text and
    date) is skipped, so importing the same file twice adds nothing. If any row is bad,
    nothing is imported and every bad row is listed.

    A name differing from an account's only by case, accents, quotes, punctuation, "&"
    or a legal suffix (Inc, Ltd, GmbH, LLC, S.A.) is that account. A name one typo
    away from an account, or a shortening of it, stops the import with "did you mean"
    per name, unless --new-accounts.
    """
    from focusblock.cli.render import say
    from focusblock.remark_input import read_remarks_csv
    from focusblock.store.remarks import import_remarks

    parsed = read_remarks_csv(file, today=app.today())
    report = import_remarks(app.store(), parsed.rows, dry_run=dry_run, new_accounts=new_accounts)
    verb = "Would add" if dry_run else "Added"
    say(f"{verb} {report.added} remarks; skipped {report.skipped_duplicates} already stored.")
    if report.accounts_created:
        created = ", ".join(report.accounts_created)
        say(f"{verb} {len(report.accounts_created)} new accounts: {created}")
    if parsed.ignored_columns:
        say(f"Ignored columns: {', '.join(parsed.ignored_columns)}")
    if dry_run:
        say("Dry run: nothing was changed.")


def _add_correction_commands() -> None:
    from focusblock.cli import remark_correction_commands as corrections

    for command in (
        corrections.remark_show,
        corrections.remark_edit,
        corrections.remark_delete,
        corrections.remark_restore,
        corrections.remark_purge,
    ):
        remark.add_command(command)


_add_correction_commands()
