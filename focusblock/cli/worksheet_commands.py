"""`worksheet` and `reflect`: print the worksheet, and bring the answers back."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from focusblock.byte_order import without_byte_order_mark
from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.options import force_option
from focusblock.cli.output import json_output, say, shown
from focusblock.cli.working import Working
from focusblock.cli.worksheet_results import Reflected, kept_in, worksheet_json
from focusblock.errors import BadInput, FocusblockError
from focusblock.names import slug
from focusblock.private_files import (
    check_target,
    refuse_unless_a_file,
    shown_target,
    write_private,
)
from focusblock.store.account_people import people_of
from focusblock.store.reflections import save_answers
from focusblock.worksheet import rendering
from focusblock.worksheet.answers import read_worksheet, worksheet_owner
from focusblock.worksheet.from_store import account_worksheet
from focusblock.worksheet.pdf import render_pdf


@click.command()
@click.argument("account")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "pdf", "json"]),
    default="md",
    show_default=True,
    help="Markdown to fill in, HTML to print, PDF, or JSON for scripts (the page's remarks "
    "with their findings, questions and earlier answers; the account's people; see README).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write here; - is stdout, and a FIFO or device is written to as it is. "
    "[default: stdout for md, html and json; focus-<account>.pdf for pdf]",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every remark in full. [default: the ones not yet reflected on and the latest, "
    "up to 100; the rest are counted]",
)
@force_option
@pass_app
def worksheet(
    app: AppContext, account: str, fmt: str, out: Path | None, every: bool, force: bool
) -> None:
    """Print ACCOUNT's worksheet: every remark, oldest first, with questions to think about.

    Fill in the Markdown version and give it back with `focusblock reflect ACCOUNT --from
    FILE.md`; earlier answers appear under their questions next time.
    """
    if out is not None and str(out) == "-" and fmt != "pdf":
        out = None  # stdout, as when no file is named
    store = app.store(reading=True)  # a worksheet is written out, never into the store
    with Working(f"writing the worksheet of {account}") as working:
        sheet = account_worksheet(
            store,
            account,
            app.settings.questions_file,
            app.now(),
            every,
            app.settings.disqualify_after_remarks,
            app.settings.me,
        )
        if fmt == "pdf" and out is None:  # named for the account, whatever name was typed
            out = Path(f"focus-{slug(sheet.account)}.pdf")
        if out is not None:  # refused before the typesetting, the slow part
            check_target(out, "worksheet", store.files(), force)
        if fmt == "md":
            content: str | bytes = rendering.render_markdown(sheet, app.zone)
        elif fmt == "html":
            content = rendering.render_html([sheet], app.zone)
        elif fmt == "json":
            data = worksheet_json(sheet, people_of(store, sheet.account), app.zone)
            content = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            working.step(f"typesetting the PDF of {sheet.account} ({len(sheet.remarks)} remarks)")
            content = render_pdf([sheet], app.zone)
    if out is None:
        # a file's content: shown as is when piped (`> file.md`), made safe on a terminal
        text = str(content)
        # color=True: click would strip escape codes when piped, changing the text
        click.echo(shown(text) if sys.stdout.isatty() else text, nl=False, color=True)
        return
    write_private(out, content)
    say(f"Wrote {sheet.account}'s worksheet to {shown_target(out)}", err=True)


@click.command()
@click.argument("account")
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="FILE.md",
    help="Read a filled-in Markdown worksheet instead of opening an editor.",
)
@json_output
@pass_app
def reflect(app: AppContext, account: str, source: Path | None) -> Reflected:
    """Write your answers about ACCOUNT's remarks into the store.

    Opens the Markdown worksheet in $EDITOR (like `git commit`); write under each
    **Q:** line, save and close. The lines directly below a question, up to the next
    question or heading, are its answer. Questions left empty save nothing; editing a
    remark's text never changes the stored remark; reading the same file twice stores
    nothing twice.
    """
    if source is not None:
        return _save_file(app, account, source)
    text, edited = _edit(app, account)
    if text is None:
        _discard(edited)
        return Reflected(account, None)
    try:
        reflected = _save(app, account, text)
    except FocusblockError as exc:
        # what the seller typed stays where they can mend it, as a file not in UTF-8 does
        exc.hint = _kept_hint(edited, account, exc.hint)
        raise
    if reflected.stray:
        return replace(reflected, kept_at=edited)
    _discard(edited)
    return reflected


def _save_file(app: AppContext, account: str, source: Path) -> Reflected:
    """The answers of a worksheet file given with --from; a refusal names the file."""
    markdown = source.with_suffix(".md")
    if source.suffix.lower() in (".html", ".htm", ".pdf"):
        raise BadInput(
            f"{source}: a printed worksheet; answers are read from the Markdown worksheet",
            hint=f"focusblock reflect '{account}' --from {markdown}"
            if markdown.is_file()
            else "give the .md worksheet the plan wrote beside it",
        )
    try:
        return _save(app, account, _read(source, account))
    except BadInput as exc:
        if str(source) in str(exc):
            raise
        raise BadInput(f"{source}: {exc}", exc.hint, exc.details) from None


def _save(app: AppContext, account: str, text: str) -> Reflected:
    named = worksheet_owner(text, account)
    read = read_worksheet(text)
    report = save_answers(
        app.store(), account, read.answers, app.now(), sheet_of=named, earlier=read.earlier
    )
    return Reflected(account, report, tuple(read.stray))


def _kept_hint(path: Path, account: str, hint: str | None) -> str:
    return kept_in(path, account) if hint is None else f"{hint}; {kept_in(path, account)}"


def _discard(path: Path) -> None:
    for leftover in path.parent.iterdir():
        leftover.unlink()
    os.rmdir(path.parent)


def _read(path: Path, account: str) -> str:
    refuse_unless_a_file(path)
    data = without_byte_order_mark(path.read_bytes())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "your answers are kept in this file",
            hint=f"save it as UTF-8, then: focusblock reflect '{account}' --from {path}",
        ) from None


def _edit(app: AppContext, account: str) -> tuple[str | None, Path]:
    """What the seller wrote in the worksheet in $EDITOR (None: closed unchanged), and the
    file it is in, in a private folder of its own, until _discard."""
    sheet = account_worksheet(
        app.store(),
        account,
        app.settings.questions_file,
        app.now(),
        disqualify_after=app.settings.disqualify_after_remarks,
        seller=app.settings.me,
    )
    original = rendering.render_markdown(sheet, app.zone)
    folder = tempfile.mkdtemp(prefix="focusblock-")  # mode 0700: the remarks stay private
    path = Path(folder) / "worksheet.md"
    write_private(path, original)

    try:
        click.edit(filename=str(path), extension=".md")
    except BaseException:  # the editor failed or was interrupted: no private copy left
        _discard(path)
        raise
    edited = _read(path, account)  # not UTF-8: an error that keeps the file and names it
    return (None if edited == original else edited), path
