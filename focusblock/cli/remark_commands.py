"""`remark add | list | import`; show, edit, delete, restore and purge are in
remark_correction_commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import json_option, lens_option, page_options, since_date, via_option

DEFAULT_LIMIT = 50


@click.group()
def remark() -> None:
    """What customers said, verbatim: the material of every focus block."""


@remark.command("add")
@click.argument("account")
@click.argument("text")
@click.option("--who", metavar="NAME", help="Who said it.")
@click.option(
    "--on",
    "on",
    metavar="DATE",
    help="When you heard it: YYYY-MM-DD, or a date that reads one way only. [default: today]",
)
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
    from focusblock.dates import given_date
    from focusblock.remark_input import check_remark
    from focusblock.store.remarks import add_remark

    if text == "-":
        text = sys.stdin.read()
    new = check_remark(account, text, who, given_date(on, "--on"), via, lens, today=app.today())
    view = add_remark(app.store(), new, again=again)
    try:
        say(f"Added remark #{view.id} to '{view.account}' ({view.heard_on.isoformat()}).")
    except KeyboardInterrupt:
        from focusblock.store.importing import ImportInterrupted

        raise ImportInterrupted(f"remark #{view.id} was stored") from None


@remark.command("list")
@click.argument("account", required=False)
@page_options(DEFAULT_LIMIT)
@json_option
@click.pass_obj
def remark_list(
    app: AppContext,
    account: str | None,
    limit: int,
    show_all: bool,
    since: str | None,
    as_json: bool,
) -> None:
    """List the newest remarks, of one ACCOUNT or of all (oldest of them first).

    \b
    Without --all, the newest 50 (--limit N); a line on stderr says how many were left
    out. --json prints the same remarks as a JSON list.
    """
    from focusblock.cli import render
    from focusblock.store.remarks import list_remarks, stream_remarks

    after = since_date(app, since)
    if show_all:
        with stream_remarks(app.store(), account, since=after) as (total, views):
            if as_json:
                render.echo_json_list(render.remark_json(v, app.zone) for v in views)
            else:
                render.print_remarks_stream(views, total)
        return
    page = list_remarks(app.store(), account, limit=limit, since=after)
    if as_json:
        render.echo_json([render.remark_json(v, app.zone) for v in page.remarks])
    else:
        render.print_remarks(page.remarks, page.total)
    render.say_left_out(page.left_out, page.total, limit, to_stderr=as_json)


@remark.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option(
    "--dates",
    type=click.Choice(["dmy", "mdy"], case_sensitive=False),
    help="The order of dates like 03/04/2026: day first (dmy) or month first (mdy). "
    "[default: decided from the rows that can be read only one way]",
)
@click.option(
    "--new-accounts",
    is_flag=True,
    help="Create accounts for names close to an existing one, instead of stopping.",
)
@click.pass_obj
def remark_import(
    app: AppContext, file: Path, dry_run: bool, dates: str | None, new_accounts: bool
) -> None:
    """Import remarks from a CSV file, all or nothing.

    \b
    Columns (header row, any order, case-insensitive): account, text, who, on, via, lens.
    Only account and text are required; CRM headers such as "Account Name", "Note" and
    "Date" are understood. Comma, semicolon or tab separated, UTF-8 with or without BOM;
    a text holding the delimiter must be in double quotes (a row with more cells than
    the header is refused). Dates: YYYY-MM-DD always; 19/11/2026 or 03.04.2026 in one
    day/month order for the whole file (--dates); never after today. Accounts not yet
    known are created. A remark already stored (same account, text and date) is
    skipped, so importing the same file twice adds nothing. If any row is bad, nothing
    is imported and every bad row is listed.

    A name differing from an account's only by case, accents, quotes, punctuation, "&"
    or a legal suffix (Inc, Ltd, GmbH, LLC, S.A.) is that account. A name one typo
    away from an account, or a shortening of it, stops the import with "did you mean"
    per name, unless --new-accounts.
    """
    from focusblock.cli import render
    from focusblock.remark_input import read_remarks_csv
    from focusblock.store.importing import ImportInterrupted, committed_message, import_remarks

    csv_file = read_remarks_csv(file, today=app.today(), dates=dates.lower() if dates else None)
    store = app.store()
    progress = render.ImportProgress(lambda: (csv_file.bytes_read, csv_file.total_bytes))
    try:
        report = import_remarks(
            store,
            csv_file.rows(),
            dry_run=dry_run,
            progress=progress,
            new_accounts=new_accounts,
        )
    finally:
        progress.close()
    try:
        verb = "Would add" if dry_run else "Added"
        render.say(
            f"{verb} {render.plural(report.added, 'remark')}; "
            f"skipped {report.skipped_duplicates:,} already stored."
        )
        if report.accounts_created:
            names = report.accounts_created
            created = ", ".join(names[:20]) + (
                f" and {len(names) - 20} more" if len(names) > 20 else ""
            )
            render.say(f"{verb} {render.plural(len(names), 'new account')}: {created}")
        if csv_file.ignored_columns:
            ignored = csv_file.ignored_columns
            more = f" and {len(ignored) - 10:,} more" if len(ignored) > 10 else ""
            render.say(f"Ignored columns: {', '.join(c[:40] for c in ignored[:10])}{more}")
        if dry_run:
            render.say("Dry run: nothing was changed.")
    except KeyboardInterrupt:
        if not report.committed:
            raise ImportInterrupted("it was a dry run: nothing was changed") from None
        raise ImportInterrupted(committed_message(report)) from None


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
