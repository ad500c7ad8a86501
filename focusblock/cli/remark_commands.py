"""`remark add | list | import | show | edit | delete | restore | purge`."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import lens_option, page_options, since_date, via_option
from focusblock.cli.output import ImportProgress, json_output
from focusblock.cli.results import (
    RemarkAdded,
    RemarkEdited,
    RemarkImported,
    RemarkList,
    RemarkRestored,
    RemarksDeleted,
    RemarkShown,
    RemarksPurged,
)
from focusblock.dates import given_date, read_remark_date
from focusblock.errors import BadInput
from focusblock.people import own_domains
from focusblock.remark_input import check_remark, read_remarks_csv
from focusblock.store.accounts import account_domains
from focusblock.store.importing import committed_message, import_remarks
from focusblock.store.remark_corrections import (
    delete_remarks,
    describe_purge,
    edit_remark,
    purge_remarks,
    restore_remark,
    show_remark,
)
from focusblock.store.remarks import add_remark, list_remarks, stream_remarks

DEFAULT_LIMIT = 50


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
    "--again",
    is_flag=True,
    help="Store it even if the same text is stored for that date (or was, before an edit).",
)
@json_output
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
) -> RemarkAdded:
    """Record TEXT, something ACCOUNT said, word for word. TEXT '-' reads it from stdin.

    ACCOUNT may differ from the account's name by case, accents, punctuation or a legal
    suffix ('acme inc' for 'ACME'); a name one typo away says "did you mean". The same
    text on the same date is refused as a duplicate, and so are the words a remark had
    on that date before `remark edit` corrected them, unless --again.
    """
    if text == "-":
        text = sys.stdin.read()
    new = check_remark(account, text, who, given_date(on, "--on"), via, lens, today=app.today())
    return RemarkAdded(add_remark(app.store(), new, again=again))


@remark.command("list")
@click.argument("account", required=False)
@page_options(DEFAULT_LIMIT)
@json_output
@click.pass_obj
def remark_list(
    app: AppContext, account: str | None, limit: int, show_all: bool, since: str | None
) -> RemarkList:
    """List the newest remarks, of one ACCOUNT or of all (oldest of them first).

    \b
    Without --all, the newest 50 (--limit N); a line says how many were left out
    (on stderr with --json). --json prints the same remarks as a JSON list.
    """
    after = since_date(app, since)
    if show_all:
        return RemarkList(stream=partial(stream_remarks, app.store(), account, since=after))
    page = list_remarks(app.store(), account, limit=limit, since=after)
    return RemarkList(page.remarks, page.total, limit)


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
@click.option(
    "--on",
    "on",
    metavar="DATE",
    help="The day the words were said, for an email without a date. [default: its date]",
)
@json_output
@click.pass_obj
def remark_import(
    app: AppContext,
    file: Path,
    dry_run: bool,
    dates: str | None,
    new_accounts: bool,
    on: str | None,
    as_json: bool,
) -> RemarkImported:
    """Import remarks from a CSV file, or the customers' words from an email file.

    \b
    An .eml or .mbox file (told by its content): each message's own new words (no quoted
    replies, greeting or signature) become remarks of the account whose domain sent it,
    dated by the message, via email; your own and your colleagues' messages, and senders
    at no account's domain, are skipped and listed. Importing it again adds nothing,
    nor brings back words corrected since with `remark edit`.

    A CSV file is imported all or nothing:

    \b
    Columns (header row, any order, case-insensitive): account, text, who, on, via, lens.
    Only account and text are required; CRM headers such as "Account Name", "Note" and
    "Date" are understood. Comma, semicolon or tab separated, UTF-8 with or without BOM;
    a text holding the delimiter must be in double quotes (a row with more cells than
    the header is refused). Dates: YYYY-MM-DD always; 19/11/2026 or 03.04.2026 in one
    day/month order for the whole file (--dates); never after today. Accounts not yet
    known are created. A remark already stored (same account, text and date) is
    skipped, so importing the same file twice adds nothing; so is a row of words a
    remark had before `remark edit` corrected them (its text or date), or a deleted
    remark. If any row is bad, nothing is imported and every bad row is listed.

    A name differing from an account's only by case, accents, quotes, punctuation, "&"
    or a legal suffix (Inc, Ltd, GmbH, LLC, S.A.) is that account. A name one typo
    away from an account, or a shortening of it, stops the import with "did you mean"
    per name, unless --new-accounts.
    """
    if _is_mail(file):
        return _import_emails(app, file, dry_run, given_date(on, "--on"), as_json)
    if on is not None:  # silently ignored, it would date nothing the user expects
        raise click.UsageError(
            "--on dates an email file; in a CSV file each row has its date (the 'on' column)"
        )
    csv_file = read_remarks_csv(file, today=app.today(), dates=dates.lower() if dates else None)
    store = app.store()
    progress = ImportProgress(lambda: (csv_file.bytes_read, csv_file.total_bytes))
    try:
        report = import_remarks(
            store,
            csv_file.rows(),
            dry_run=dry_run,
            progress=progress,
            new_accounts=new_accounts,
            listed=as_json,  # a script gets each remark; a person the counts
        )
    finally:
        progress.close()
    dry = "it was a dry run: nothing was changed"
    kept = committed_message(report) if report.committed else dry
    return RemarkImported(report, tuple(csv_file.ignored_columns), dry_run, kept)


def _is_mail(path: Path) -> bool:
    from focusblock.emails import is_email

    try:
        with path.open("rb") as handle:
            return is_email(handle.read(4096))
    except OSError:
        return False  # the CSV reader says why it cannot be read


def _import_emails(
    app: AppContext, path: Path, dry_run: bool, on: str | None, as_json: bool
) -> RemarkImported:
    """An .eml or .mbox file's customers' words, as one import (all or nothing)."""
    from focusblock.capture import remarks_from_emails
    from focusblock.emails import MAX_BYTES, read_emails

    size = path.stat().st_size
    if size > MAX_BYTES:  # refused before it is read into memory
        raise BadInput(f"{path}: {size:,} bytes; mail is read up to {MAX_BYTES:,} bytes")
    settings = app.settings
    day = read_remark_date(on, "--on", app.today()) if on else None
    store = app.store()
    captured = remarks_from_emails(
        read_emails(path.name, path.read_bytes()),
        account_domains(store),
        own_domains(settings.email, settings.colleague_domains),
        settings.email,
        app.zone,
        day,
    )
    report = import_remarks(store, iter(captured.rows), dry_run=dry_run, listed=as_json)
    report.skipped.extend(captured.skipped)
    dry = "it was a dry run: nothing was changed"
    kept = committed_message(report) if report.committed else dry
    return RemarkImported(report, (), dry_run, kept, tuple(captured.skipped))


@remark.command("show")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@json_output
@click.pass_obj
def remark_show(app: AppContext, remark_id: int) -> RemarkShown:
    """Show remark ID and every earlier version of it, oldest first.

    A deleted remark is shown too, marked as deleted.
    """
    return RemarkShown(*show_remark(app.store(), remark_id))


@remark.command("edit")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@click.option("--text", metavar="TEXT", help="What they said, corrected. '-' reads it from stdin.")
@click.option("--on", "on", metavar="DATE", help="When you heard it (YYYY-MM-DD).")
@click.option("--who", metavar="NAME", help='Who said it ("" clears it).')
@via_option
@lens_option
@json_output
@click.pass_obj
def remark_edit(
    app: AppContext,
    remark_id: int,
    text: str | None,
    on: str | None,
    who: str | None,
    via: str | None,
    lens: str | None,
) -> RemarkEdited:
    """Correct remark ID; the fields not given stay as they are.

    The version it replaces is kept: `remark show ID` lists every earlier version and
    `export` carries them. A lens of "none" or "" clears it.
    """
    if text == "-":
        text = sys.stdin.read()
    # an empty --on would re-date the remark to today
    store = app.store()
    edited = edit_remark(
        store,
        remark_id,
        app.now(),
        text=text,
        on=given_date(on, "--on"),
        who=who,
        via=via,
        lens=lens,
    )
    if edited is None:  # it already says that
        return RemarkEdited(*show_remark(store, remark_id), changed=False)
    return RemarkEdited(*edited, changed=True)


@remark.command("delete")
@click.argument("remark_ids", metavar="ID...", nargs=-1, required=True, type=REMARK_ID)
@json_output
@click.pass_obj
def remark_delete(app: AppContext, remark_ids: tuple[int, ...]) -> RemarksDeleted:
    """Delete remarks ID...: hidden from lists, plans and worksheets, still in export.

    Nothing is lost yet: `remark restore ID` brings one back; `remark purge ID... --yes`
    removes deleted remarks for good. All the numbers must be right, or none is deleted.
    """
    return RemarksDeleted(delete_remarks(app.store(), remark_ids, app.now()))


@remark.command("restore")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@json_output
@click.pass_obj
def remark_restore(app: AppContext, remark_id: int) -> RemarkRestored:
    """Bring back the deleted remark ID, exactly as it was."""
    return RemarkRestored(restore_remark(app.store(), remark_id))


@remark.command("purge")
@click.argument("remark_ids", metavar="ID...", nargs=-1, required=True, type=REMARK_ID)
@click.option("--yes", is_flag=True, help="Really remove them; without it, say what would go.")
@json_output
@click.pass_obj
def remark_purge(app: AppContext, remark_ids: tuple[int, ...], yes: bool) -> RemarksPurged:
    """Remove deleted remarks ID... for good, with their earlier versions and answers.

    Only remarks already deleted (`remark delete`) can be purged; without --yes nothing
    happens and the error says what would be removed. There is no undo.
    """
    summary = purge_remarks(app.store(), remark_ids, yes=yes)
    return RemarksPurged(summary, describe_purge(summary))
