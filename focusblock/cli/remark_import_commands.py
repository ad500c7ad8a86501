"""`remark import`: remarks from CSV files, and the customers' words from emails and call
transcripts (whose speakers a calendar event may place). Apart from the other remark
commands, which load none of this: the `remark` group loads it when it runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from focusblock.calendar.calls import AccountSignature, CallMatcher, event_of_call
from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.import_results import FileImport, FileProblem, FilesImported, RemarkImported
from focusblock.cli.options import busy_option
from focusblock.cli.output import ImportProgress, json_output
from focusblock.dates import given_date, read_remark_date
from focusblock.errors import BadInput, UnknownAccount
from focusblock.model import Person, Via
from focusblock.names import name_key
from focusblock.people import own_domains
from focusblock.plan.busy import read_busy
from focusblock.private_files import refuse_unless_a_file
from focusblock.remark_input import is_remarks_header, read_remarks_csv
from focusblock.said import speaker_key
from focusblock.store.account_people import people_of, remark_speakers
from focusblock.store.accounts import account_domains, list_accounts
from focusblock.store.importing import ImportReport, committed_message, import_remarks
from focusblock.transcripts import MAX_BYTES, read_transcript

if TYPE_CHECKING:
    from focusblock.calendar.events import CalendarEvent
    from focusblock.store.store import Store

DRY_RUN_KEPT = "it was a dry run: nothing was changed"
CALL_LOOKBACK_DAYS = 60  # a transcript without a date: its call is among these days' events


@click.command("import")
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Check the files and report; change nothing.")
@click.option(
    "--dates",
    type=click.Choice(["dmy", "mdy"], case_sensitive=False),
    help="The order of dates like 03/04/2026 in a CSV file: day first (dmy) or month first "
    "(mdy). [default: decided from the rows that can be read only one way]",
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
    help="The day the words were said, for an email or a transcript that does not say. "
    "[default: the file's own date, or the call's event in the calendar]",
)
@click.option(
    "--me",
    "me",
    multiple=True,
    metavar="NAME",
    help="Your name as a transcript shows it (repeatable; adds to the setting 'me'): "
    "your words are never stored.",
)
@click.option(
    "--account",
    metavar="NAME",
    help="The account a transcript's call was with: once you (and colleagues) are known, "
    "every other speaker is taken as this customer.",
)
@click.option(
    "--via",
    type=click.Choice([Via.CALL.value, Via.MEETING.value], case_sensitive=False),
    default=Via.CALL.value,
    show_default=True,
    help="How a transcript's words were heard.",
)
@busy_option
@json_output
@pass_app
def remark_import(
    app: AppContext,
    files: tuple[Path, ...],
    dry_run: bool,
    dates: str | None,
    new_accounts: bool,
    on: str | None,
    me: tuple[str, ...],
    account: str | None,
    via: str,
    busy_files: tuple[str, ...],
    as_json: bool,
) -> RemarkImported | FilesImported:
    """Import remarks from CSV files, or the customers' words from call transcripts and
    emails. Several files at once: each is all or nothing, and the report names each.

    \b
    A call transcript (told by its content): WebVTT from Teams, Zoom or Google Meet,
    SubRip (.srt, e.g. Otter), or text with "Name: words" lines (Otter, Meet's export).
    Only the customer's turns are stored, cut into remarks a worksheet can quote, via
    call, with the file and minute as their source; filler ("mm-hmm", "okay") is left
    out. Speakers are placed by the call's event in the calendar (--busy or
    calendars.busy: an attendee of that name at an account's domain is the customer, at
    your own domains a colleague), by the accounts' people (account person), by your
    own names (--me, setting 'me'), and last by --account. A speaker who cannot be
    placed stops that file; nothing of it is stored. The call's day comes from --on,
    a Zoom file name, the file's header, or the calendar event.

    \b
    An .eml or .mbox file: each message's own new words (no quoted replies, greeting or
    signature) become remarks of the account whose domain sent it, dated by the message,
    via email; your own and your colleagues' messages, and senders at no account's
    domain, are skipped and listed.

    \b
    A CSV file: columns (header row, any order, case-insensitive): account, text, who,
    on, via, lens. Only account and text are required; CRM headers such as "Account
    Name", "Note" and "Date" are understood. Comma, semicolon or tab separated, UTF-8
    with or without BOM; a text holding the delimiter must be in double quotes. Dates:
    YYYY-MM-DD always; 19/11/2026 or 03.04.2026 in one day/month order for the whole
    file (--dates); never after today. Accounts not yet known are created. If any row
    is bad, nothing of the file is imported and every bad row is listed.

    Each customer who spoke or wrote becomes a person of their account, with the title
    their signature or their own words give (account show; account person to correct).
    A remark already stored (same account, words and day) is skipped, so importing the
    same file twice adds nothing; so are words a remark had before `remark edit`
    corrected them (its text or date), and a deleted remark's. A name differing from an
    account's only by case, accents, punctuation or a legal suffix (Inc, GmbH) is that
    account; a name one typo away stops the file with "did you mean", unless
    --new-accounts.
    """
    for file in files:
        refuse_unless_a_file(file)
    kinds = {file: _kind_of(file) for file in files}
    if on is not None and "csv" in kinds.values():  # it would date nothing the user expects
        raise click.UsageError(
            "--on dates an email or a transcript; in a CSV file each row has its date "
            "(the 'on' column)"
        )
    typed = given_date(on, "--on")
    day = read_remark_date(typed, "--on", app.today()) if typed is not None else None
    how = ImportOptions(dry_run, dates, new_accounts, day, me, account, Via(via.lower()),
                        busy_files, as_json)  # fmt: skip
    if len(files) == 1:
        return _import_file(app, files[0], kinds[files[0]], how)
    done: list[FileImport] = []
    # mail first: a sender is placed by their address, the surest sign, and becomes a
    # person whose name then places them in a transcript of the same command
    for file in sorted(files, key=lambda f: _ORDER[kinds[f]]):
        try:
            imported = _import_file(app, file, kinds[file], how)
            done.append(FileImport(str(file), imported))
            if dry_run:
                how.found_people.extend(imported.report.people_added)
        except (BadInput, UnknownAccount) as exc:  # that file only: the others go on
            problem = FileProblem(str(exc), tuple(exc.details), exc.hint)
            done.append(FileImport(str(file), None, problem))
    return FilesImported(tuple(done), dry_run)


_ORDER = {"mail": 0, "csv": 1, "transcript": 2}


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool
    dates: str | None
    new_accounts: bool
    on: date | None
    me: tuple[str, ...]
    account: str | None
    via: Via
    busy: tuple[str, ...]
    as_json: bool
    # people a dry run's earlier files would have added: a later file sees them as the
    # real run will (an email's sender placing a transcript's speaker)
    found_people: list[Person] = field(default_factory=list)


def _kind_of(path: Path) -> str:
    """ "mail", "csv" or "transcript", by the file's first bytes; a file that cannot be
    read is taken by its name, and its reader says why."""
    from focusblock.emails import is_email

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return "csv" if path.suffix.lower() in (".csv", ".tsv") else "transcript"
    if is_email(head) or path.suffix.lower() in (".eml", ".mbox"):
        return "mail"  # by its name, not mail inside (an empty mailbox): mail's reader says so
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("WEBVTT"):
        return "transcript"
    if is_remarks_header(text.split("\n", 1)[0]):
        return "csv"
    return "csv" if path.suffix.lower() in (".csv", ".tsv") else "transcript"


def _import_file(app: AppContext, path: Path, kind: str, how: ImportOptions) -> RemarkImported:
    if path.is_dir():
        raise BadInput(f"{path}: a folder; give the files in it (e.g. {path}/*.vtt)")
    if kind == "mail":
        return _import_emails(app, path, how.dry_run, how.on, how.as_json)
    if kind == "transcript":
        return _import_transcript(app, path, how)
    return _import_csv(app, path, how)


def _import_csv(app: AppContext, file: Path, how: ImportOptions) -> RemarkImported:
    dates = how.dates.lower() if how.dates else None
    csv_file = read_remarks_csv(file, today=app.today(), dates=dates)
    store = app.store()
    progress = ImportProgress(lambda: (csv_file.bytes_read, csv_file.total_bytes))
    try:
        report = import_remarks(
            store,
            csv_file.rows(),
            dry_run=how.dry_run,
            progress=progress,
            new_accounts=how.new_accounts,
            listed=how.as_json,  # a script gets each remark; a person the counts
        )
    finally:
        progress.close()
    return RemarkImported(
        report,
        tuple(csv_file.ignored_columns),
        how.dry_run,
        _kept(report),
        activity_types=tuple(csv_file.activity_types),
    )


def _kept(report: ImportReport) -> str:
    return committed_message(report) if report.committed else DRY_RUN_KEPT


def _import_emails(
    app: AppContext, path: Path, dry_run: bool, day: date | None, as_json: bool
) -> RemarkImported:
    """An .eml or .mbox file's customers' words, as one import (all or nothing)."""
    from focusblock.capture import a_customers_address, remarks_from_emails
    from focusblock.emails import MAX_BYTES, read_emails

    settings = app.settings
    store = app.store()
    domains = account_domains(store)
    own = own_domains(settings.email, settings.colleague_domains)
    wanted = a_customers_address(domains, own, settings.email)
    captured = remarks_from_emails(
        read_emails(path.name, _bounded_bytes(path, MAX_BYTES, "mail"), wanted),
        domains,
        own,
        settings.email,
        app.zone,
        day,
        app.today(),
    )
    report = import_remarks(
        store, iter(captured.rows), dry_run=dry_run, listed=as_json, people=captured.people
    )
    report.skipped.extend(captured.skipped)
    return RemarkImported(
        report, (), dry_run, _kept(report), tuple(captured.skipped), tuple(captured.speakers)
    )


def _bounded_bytes(path: Path, limit: int, what: str) -> bytes:
    """The file's bytes, refused by its size before it is read into memory, and a file
    that cannot be read said in one line."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise BadInput(f"{path}: {size:,} bytes; {what} is read up to {limit:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _import_transcript(app: AppContext, path: Path, how: ImportOptions) -> RemarkImported:
    """A call transcript's customer turns, as one import (all or nothing)."""
    from focusblock.capture import Placing, remarks_from_transcript

    transcript = read_transcript(path.name, _bounded_bytes(path, MAX_BYTES, "a transcript"))
    settings, zone = app.settings, app.zone
    began, day = _when_the_call_began(transcript.began, zone)
    day = how.on or day
    event = None
    specs = how.busy or settings.busy_sources
    if specs and transcript.speakers:
        if began is not None:
            start, end = began - timedelta(days=1), began + timedelta(days=1)
        elif day is not None:
            start = datetime.combine(day, time(0), zone)
            end = start + timedelta(days=1)
        else:  # the file does not say when: the call is among the last weeks' events
            end = app.now()
            start = end - timedelta(days=CALL_LOOKBACK_DAYS)
        reading = read_busy(settings, specs, start, end, app.now(), ours=frozenset())
        event = event_of_call(reading.events, transcript.speakers, began)
    if day is None and event is not None:
        day = event.start.astimezone(zone).date()
    if day is None:
        looked = " (no calendar event matched its speakers)" if specs else ""
        raise BadInput(f"{path}: the file does not say when the call was{looked}; give --on DATE")
    if day > app.today():
        raise BadInput(f"{path}: the call's day {day} is after today; give --on DATE")
    store = app.store()
    own = own_domains(settings.email, settings.colleague_domains)
    placing = Placing(
        account_domains(store),
        own,
        settings.email,
        event.attendee_names if event else (),
        _known_people(people_of(store), [*remark_speakers(store), *how.found_people]),
        (*settings.me, *how.me),
        how.account,
        _call_with(store, event, own, settings.email) if event else None,
    )
    captured = remarks_from_transcript(transcript, path.name, placing, day, how.via)
    report = import_remarks(
        store,
        iter(captured.rows),
        dry_run=how.dry_run,
        new_accounts=how.new_accounts,
        listed=how.as_json,
        people=captured.people,
    )
    report.skipped.extend(captured.skipped)
    call = None
    if event is not None:
        call = f"'{event.summary}' {event.start.astimezone(zone):%Y-%m-%d %H:%M} ({event.source})"
    return RemarkImported(
        report, (), how.dry_run, _kept(report), (), tuple(captured.speakers), day, call
    )


def _call_with(
    store: Store, event: CalendarEvent, own: frozenset[str], seller: str | None
) -> str | None:
    """The one account the event is a call with, as the plan recognises calls (attendee
    domain, the account's name or alias in the title); None for none or several."""
    views = list_accounts(store)
    matcher = CallMatcher(
        [AccountSignature(v.id, (v.name, *v.aliases), v.domains) for v in views], own, seller
    )
    found, _ = matcher.calls_in(event)
    names = {v.id: v.name for v in views}
    return names[next(iter(found))] if len(found) == 1 else None


def _known_people(stored: list[Person], found: list[Person]) -> list[Person]:
    """The store's people, and those found besides (who said an account's remarks, what a
    dry run's earlier files found), each once."""
    seen = {(name_key(p.account), speaker_key(p.name)) for p in stored}
    more = [p for p in found if (name_key(p.account), speaker_key(p.name)) not in seen]
    return [*stored, *{(name_key(p.account), speaker_key(p.name)): p for p in more}.values()]


def _when_the_call_began(
    began: datetime | None, zone: tzinfo
) -> tuple[datetime | None, date | None]:
    """The call's start as an instant (None when the file gives only a day or nothing),
    and its day on the seller's clock. A file's naive time is the seller's own clock; a
    naive midnight is a day without a time (Meet's export writes the date alone)."""
    if began is None:
        return None, None
    if began.tzinfo is None:
        day = began.date()
        return (None if began.time() == time(0) else began.replace(tzinfo=zone)), day
    return began, began.astimezone(zone).date()
