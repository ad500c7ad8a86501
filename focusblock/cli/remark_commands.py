"""`remark add | list | search | show | edit | delete | restore | purge`; `remark import` is
in remark_import_commands.py, loaded when it runs."""

from __future__ import annotations

import sys
from functools import partial

import click

from focusblock.cli import load_command
from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.options import (
    edit_via_option,
    lens_option,
    page_options,
    since_date,
    via_option,
)
from focusblock.cli.output import json_output
from focusblock.cli.remark_results import (
    RemarkAdded,
    RemarkEdited,
    RemarkList,
    RemarkRestored,
    RemarksDeleted,
    RemarksFound,
    RemarkShown,
    RemarksPurged,
)
from focusblock.dates import given_date
from focusblock.errors import BadInput, UnknownRemark
from focusblock.model import LARGEST_ID
from focusblock.remark_input import MAX_REMARK_CHARS, check_remark
from focusblock.store.remark_corrections import (
    delete_remarks,
    describe_purge,
    edit_remark,
    purge_remarks,
    restore_remark,
    show_remark,
)
from focusblock.store.remarks import (
    add_remark,
    list_remarks,
    search_remarks,
    search_words,
    stream_remarks,
)

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
        number = int(text)
        if number > LARGEST_ID:  # no store can hold it, nor be asked for it
            raise UnknownRemark(f"no remark #{number}: remark numbers end at {LARGEST_ID}")
        return number


REMARK_ID = RemarkId()

# A remark is at most 20,000 characters (4 bytes each at most): more is refused unread,
# so `remark add A - < /dev/zero` ends.
MAX_STDIN_BYTES = 4 * MAX_REMARK_CHARS + 4


def text_from_stdin() -> str:
    """A remark's text read from stdin as UTF-8 (a byte-order mark is dropped), or BadInput
    naming the first byte that is not: Python's own reading would carry it on as a
    surrogate that fails far later, in the store."""
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise BadInput(
            f"stdin: more than {MAX_REMARK_CHARS:,} characters; a remark holds at most that"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"stdin: not UTF-8 text (byte 0x{data[exc.start]:02x} at byte {exc.start + 1}); "
            "expected UTF-8: save or pipe the text as UTF-8"
        ) from None


# subcommand -> (module, attribute, short help), as in the command table
# (focusblock/cli/__init__.py): `remark --help` lists it without loading it
LOADED_WHEN_RUN = {
    "import": (
        "remark_import_commands",
        "remark_import",
        "Import remarks from CSV files, or the customers' words from call transcripts and emails.",
    )
}


class RemarkGroup(click.Group):
    """The remark commands, and `remark import` loaded only when it runs (or `remark
    --help` lists it): it reads CSV files, mail, transcripts and calendars, code that no
    other remark command needs, as the command table loads each command's module."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LOADED_WHEN_RUN])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in LOADED_WHEN_RUN:
            return super().get_command(ctx, cmd_name)
        module, attribute, _ = LOADED_WHEN_RUN[cmd_name]
        return load_command(module, attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)  # as click's own
        rows = []
        for name in names:
            if name in LOADED_WHEN_RUN:  # its help line, without loading it
                command = click.Command(name, help=LOADED_WHEN_RUN[name][2])
            else:
                command = self.commands[name]
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=RemarkGroup)
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
@pass_app
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
        text = text_from_stdin()
    new = check_remark(account, text, who, given_date(on, "--on"), via, lens, today=app.today())
    return RemarkAdded(add_remark(app.store(), new, again=again))


@remark.command("list")
@click.argument("account", required=False)
@page_options(DEFAULT_LIMIT)
@json_output
@pass_app
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
        return RemarkList(
            stream=partial(stream_remarks, app.store(reading=True), account, since=after)
        )
    page = list_remarks(app.store(reading=True), account, limit=limit, since=after)
    return RemarkList(page.remarks, page.total, limit)


@remark.command("search")
@click.argument("text")
@click.option("--account", metavar="NAME", help="Only the remarks of this account.")
@page_options(DEFAULT_LIMIT, order="newest first")
@json_output
@pass_app
def remark_search(
    app: AppContext,
    text: str,
    account: str | None,
    limit: int,
    show_all: bool,
    since: str | None,
) -> RemarksFound:
    """Find the remarks that say every word of TEXT, in any order, across every account.

    \b
    Case, accents, quotes and punctuation aside: 'cafe' finds "Café", "dont" finds
    "don't"; a word may be part of a longer one ('price' finds "prices").
    Deleted remarks and accounts are left out. Newest first; without --all the newest
    50 (--limit N). --json prints the remarks as `remark list --json` does.
    """
    after = since_date(app, since)
    search_words(text)  # nothing to look for: the error before the store is opened
    within = (f" of {account}" if account else "") + (f" since {after}" if after else "")
    if show_all:
        found = partial(stream_remarks, app.store(reading=True), account, since=after, search=text)
        return RemarksFound(stream=found, searched=text, within=within)
    page = search_remarks(app.store(reading=True), text, account, limit=limit, since=after)
    return RemarksFound(page.remarks, page.total, limit, searched=text, within=within)


@remark.command("show")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@json_output
@pass_app
def remark_show(app: AppContext, remark_id: int) -> RemarkShown:
    """Show remark ID and every earlier version of it, oldest first.

    A deleted remark is shown too, marked as deleted.
    """
    return RemarkShown(*show_remark(app.store(reading=True), remark_id))


@remark.command("edit")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@click.option("--text", metavar="TEXT", help="What they said, corrected. '-' reads it from stdin.")
@click.option("--on", "on", metavar="DATE", help="When you heard it (YYYY-MM-DD).")
@click.option("--who", metavar="NAME", help='Who said it ("" clears it).')
@edit_via_option
@lens_option
@json_output
@pass_app
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
        text = text_from_stdin()
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
        remark, history, _ = show_remark(store, remark_id)
        return RemarkEdited(remark, history, changed=False)
    return RemarkEdited(*edited, changed=True)


@remark.command("delete")
@click.argument("remark_ids", metavar="ID...", nargs=-1, required=True, type=REMARK_ID)
@json_output
@pass_app
def remark_delete(app: AppContext, remark_ids: tuple[int, ...]) -> RemarksDeleted:
    """Delete remarks ID...: hidden from lists, plans and worksheets, still in export.

    Nothing is lost yet: `remark restore ID` brings one back; `remark purge ID... --yes`
    removes deleted remarks for good. All the numbers must be right, or none is deleted.
    """
    return RemarksDeleted(delete_remarks(app.store(), remark_ids, app.now()))


@remark.command("restore")
@click.argument("remark_id", metavar="ID", type=REMARK_ID)
@json_output
@pass_app
def remark_restore(app: AppContext, remark_id: int) -> RemarkRestored:
    """Bring back the deleted remark ID, exactly as it was."""
    return RemarkRestored(restore_remark(app.store(), remark_id))


@remark.command("purge")
@click.argument("remark_ids", metavar="ID...", nargs=-1, required=True, type=REMARK_ID)
@click.option("--yes", is_flag=True, help="Really remove them; without it, say what would go.")
@json_output
@pass_app
def remark_purge(app: AppContext, remark_ids: tuple[int, ...], yes: bool) -> RemarksPurged:
    """Remove deleted remarks ID... for good, with their earlier versions and answers.

    Only remarks already deleted (`remark delete`) can be purged; without --yes nothing
    happens and the error says what would be removed. There is no undo.
    """
    summary = purge_remarks(app.store(), remark_ids, yes=yes)
    return RemarksPurged(summary, describe_purge(summary))
