"""The plan's last step: worksheets and the .ics staged first, the store's short transaction last.

Before anything is written over, the answers typed into the week's worksheets are stored
(kept_answers.py). Rendering (Markdown, HTML, the week's PDF, the .ics) happens before the
store's write transaction opens, so a slow PDF never holds SQLite's write lock; each file
is written in full beside its target. Under the week's lock the plan only checks that no
other plan of the week was saved meanwhile, renames its files into place and commits: a
plan that loses that race leaves no file behind. A crash between the renames and the
commit leaves at worst files with blocks the store does not know yet, which the next plan
(same UIDs) writes again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from focusblock.calendar.publish import PublishReport, VdirReport, publish_caldav, write_vdir
from focusblock.calendar.sources import credentials_for
from focusblock.calendar.writing import EventText, event_text, render_ics, shown_text
from focusblock.config import Settings
from focusblock.errors import FocusblockError
from focusblock.model import FocusBlock
from focusblock.plan.blocks import Change
from focusblock.plan.glance import cover_grid
from focusblock.plan.kept_answers import KeptAnswers, keep_answers
from focusblock.plan.week import (
    PlanDecision,
    PlanOptions,
    PlanResult,
    decide,
    default_out,
    gather,
    glance_of_plan,
)
from focusblock.plan.withdrawn_sheets import remove, withdrawn_sheets
from focusblock.private_files import (
    StagedFiles,
    check_target,
    ensure_private_dir,
    file_state,
    free_name,
    shown_target,
    stream_kind,
)
from focusblock.store.planning import save_week_blocks
from focusblock.store.store import Store
from focusblock.store.views import WorksheetMaterial
from focusblock.store.worksheets import (
    last_weeks_worksheet_files,
    worksheet_files,
    worksheet_materials,
)
from focusblock.worksheet.from_store import worksheet_from
from focusblock.worksheet.pdf import render_pdf
from focusblock.worksheet.question_bank import QuestionBank
from focusblock.worksheet.rendering import PacketEntry, render_html, render_markdown
from focusblock.worksheet.week_grid import CoverGrid


def make_plan(
    store: Store,
    settings: Settings,
    options: PlanOptions,
    now: datetime,
    step: Callable[[str], None] | None = None,
) -> PlanResult:
    """Plan the week end to end: gather, decide, write. `step` hears what is being done
    (for a line on a terminal while a big plan runs)."""
    check_calendar_target(store, options)
    gathered = gather(store, settings, options, now)
    decision = decide(gathered, settings, options)
    sheets = sum(1 for b in decision.blocks if b.sheet_stem)
    if step is not None and sheets and not options.dry_run:
        noun = "worksheet" if sheets == 1 else "worksheets"
        step(f"planning {options.week.label}: writing {sheets} {noun}")
    return write(store, decision, settings, options, now, gathered.bank)


def write(
    store: Store,
    decision: PlanDecision,
    settings: Settings,
    options: PlanOptions,
    now: datetime,
    bank: QuestionBank,
) -> PlanResult:
    """Write the worksheets, the calendar file, then the blocks into the store; then publish.

    A dry run writes nothing; with --publish it says what publishing would change. The
    calendar file's target was checked before the calendars were read (check_calendar_target);
    `bank` is the question bank the plan's descriptions came from.
    """
    # a merged account's block is written cancelled too (never stored again): no ghost
    every = [*decision.blocks, *decision.cancelled, *decision.ghosts]
    if options.dry_run and not options.publish:
        return PlanResult(decision, None, (), 0, dry_run=True)
    all_events = [b.block for b in every]
    # the seller's own title and description, where they typed one, win over ours
    shown = {
        b.block.uid: b.block.user_text
        or shown_text(b.account, b.description, options.private, b.code)
        for b in every
    }

    def text(block: FocusBlock) -> tuple[str, str]:
        return shown[block.uid]

    # the terminal names the accounts: privacy is for what goes into the calendar
    names = {b.block.uid: b.account for b in every}

    if options.dry_run:
        published = _publish(options, settings, decision, all_events, text, now, names)
        return PlanResult(decision, None, (), 0, True, published)
    unchanged = (Change.UNCHANGED, Change.STILL_CANCELLED)
    events = [b.block for b in every if not (options.only_changed and b.change in unchanged)]
    # --only-changed with nothing changed: an empty calendar file would only mislead
    nothing_changed = (
        options.only_changed and options.write_file and not events and not options.out_is_folder
    )
    write_file = options.write_file and not nothing_changed
    out = options.out or default_out(store, decision.week)
    # stdout, a device or a FIFO takes the calendar alone: the worksheets go where they go
    # when no --out is given, never into /dev or the current folder
    streamed = not options.out_is_folder and stream_kind(out) is not None
    beside = default_out(store, decision.week) if streamed else out
    sheet_dir = options.worksheets_dir or beside.parent  # a vdir holds only the blocks' files
    # how each worksheet was before its answers were read: saved into since, it is kept
    # aside when this plan puts its new one in place
    read_as = {name: file_state(sheet_dir / name) for name in _markdown_names(decision)}
    before = {
        path: file_state(path)
        for path in _withdrawn_paths(decision, sheet_dir, set())
        if path.suffix == ".md"
    }
    kept = _keep_answers(store, decision, sheet_dir, now)
    # read after the answers were kept: the rewritten worksheets show them
    materials = worksheet_materials(store, {b.account_id for b in decision.blocks})
    sheets = _render_sheets(decision, materials, settings, now, bank)
    # every target is checked before anything is written: a refusal changes nothing
    protected = store.files()
    for name in sheets:
        check_target(sheet_dir / name, "worksheet", protected, options.force, answers_kept=True)
    ensure_private_dir(sheet_dir)
    markdown = {
        b.account_id: os.path.abspath(sheet_dir / f"{b.sheet_stem}.md")
        for b in decision.blocks
        if b.sheet_stem
    }
    vdirs: list[VdirReport] = []
    with StagedFiles() as staged:
        # everything rendered and written beside its target before the store's lock is
        # taken; under it only the check, the renames and the commit: a plan that finds
        # another plan of its week saved meanwhile leaves no file of its own behind
        for name, content in sheets.items():
            staged.add(sheet_dir / name, content, read_as.get(name))
        if write_file and not options.out_is_folder:
            if not streamed:
                ensure_private_dir(out.parent)
            staged.add(out, render_ics(events, text, now, options.private))

        def put_in_place() -> None:
            staged.put_in_place()
            if write_file and options.out_is_folder:  # small files, one per block
                vdirs.append(write_vdir(out, all_events, text, now, options.private))

        try:
            save_week_blocks(
                store,
                decision.week.label,
                [b.block for b in (*decision.blocks, *decision.cancelled, *decision.removed)],
                decision.seen,
                markdown,
                now,
                before_commit=put_in_place,
                written_text={uid: event_text(*shown[uid]) for uid in shown},
            )
        except FocusblockError as failed:
            # the week's blocks were not saved, but the answers read first were, and files
            # may have been kept aside: the message must not leave the seller looking
            failed.details.extend(_what_was_kept(kept, staged.set_aside))
            raise
    written = [str(sheet_dir / name) for name in sheets]
    kept += tuple(
        KeptAnswers(str(target), 0, str(aside), (SAVED_MEANWHILE,))
        for target, aside in staged.set_aside
    )
    vdir = vdirs[0] if vdirs else None
    removed, kept_aside = _remove_withdrawn_sheets(decision, sheet_dir, set(sheets), before)
    kept += kept_aside
    # after the store's commit, so a server that is down never loses the plan; publishing
    # again compares with what the server holds, so a failed publish is simply redone
    published = _publish(options, settings, decision, all_events, text, now, names)
    ics = shown_target(out) if write_file else None
    count = len(events) if write_file else 0
    return PlanResult(
        decision, ics, tuple(written), count, False, published, vdir, nothing_changed, removed, kept
    )


SAVED_MEANWHILE = (
    "saved into while this plan ran: its new answers are not read yet "
    "(focusblock reflect ACCOUNT --from that file)"
)


def _what_was_kept(kept: tuple[KeptAnswers, ...], set_aside: list[tuple[Path, Path]]) -> list[str]:
    lines = [
        f"kept {k.saved} answer{'' if k.saved == 1 else 's'} from {k.path} (in the store)"
        for k in kept
        if k.saved
    ]
    lines += [f"{k.path} is kept as {k.kept_as}" for k in kept if k.kept_as]
    lines += [f"{target} is kept as {aside}" for target, aside in set_aside]
    return lines


def _markdown_names(decision: PlanDecision) -> list[str]:
    return [f"{b.sheet_stem}.md" for b in decision.blocks if b.sheet_stem is not None]


def _keep_answers(
    store: Store, decision: PlanDecision, folder: Path, now: datetime
) -> tuple[KeptAnswers, ...]:
    """Before any worksheet is written over or removed: the answers typed into the week's
    worksheets, from this plan's folder and every file an earlier plan recorded."""
    week = decision.week.label
    planned = {b.account_id for b in decision.blocks}
    # a block the seller deleted in their calendar may still have a worksheet they wrote in
    names = {
        b.account_id: b.account for b in (*decision.removed, *decision.cancelled, *decision.blocks)
    }
    files: dict[str, list[Path]] = {name: [] for name in names.values()}
    replaced: list[Path] = []
    for b in decision.blocks:
        if b.sheet_stem is not None:
            replaced.append(folder / f"{b.sheet_stem}.md")
            files[b.account].append(replaced[-1])
    for b in decision.cancelled:
        if b.account_id not in planned:
            withdrawn = withdrawn_sheets(folder, week, b.account, ())
            replaced += [path for path in withdrawn if path.suffix == ".md"]
            files[b.account] += [path for path in withdrawn if path.suffix == ".md"]
    for account_id, paths in worksheet_files(store, week, names).items():
        files[names[account_id]] += [Path(p) for p in paths]
    # answers typed into last week's worksheets, before this week was planned: stored now,
    # so this week's worksheets show them (the files are left as they are)
    for account_id, paths in last_weeks_worksheet_files(store, week, planned).items():
        files[names[account_id]] += [Path(p) for p in paths]
    return keep_answers(store, files, replaced, now)


def _withdrawn_paths(decision: PlanDecision, folder: Path, written: set[str]) -> list[Path]:
    planned = {b.account_id for b in decision.blocks}
    return [
        path
        for b in decision.cancelled
        if b.account_id not in planned
        for path in withdrawn_sheets(folder, decision.week.label, b.account, written)
    ]


def _remove_withdrawn_sheets(
    decision: PlanDecision,
    folder: Path,
    written: set[str],
    read_as: dict[Path, tuple[int, int] | None],
) -> tuple[tuple[str, ...], tuple[KeptAnswers, ...]]:
    """After the store's commit: the worksheets an earlier plan wrote for blocks this plan
    withdrew (still-cancelled ones too, so a plan interrupted before this step is redone).
    One saved into since its answers were read (`read_as`) is kept under another name."""
    gone, kept = [], []
    for path in _withdrawn_paths(decision, folder, written):
        if path in read_as and file_state(path) not in (None, read_as[path]):
            aside = free_name(path, "changed")
            os.replace(path, aside)
            kept.append(KeptAnswers(str(path), 0, str(aside), (SAVED_MEANWHILE,)))
        else:
            gone.append(path)
    return remove(gone), tuple(kept)


def check_calendar_target(store: Store, options: PlanOptions) -> None:
    """Refuse an --out that must not be written over (the store, a file that is neither
    ours nor a calendar) before anything slow runs: calendars read, worksheets typeset."""
    if options.write_file and not options.out_is_folder and not options.dry_run:
        out = options.out or default_out(store, options.week)
        check_target(out, "calendar", store.files(), options.force)


def _publish(
    options: PlanOptions,
    settings: Settings,
    decision: PlanDecision,
    events: list[FocusBlock],
    text: EventText,
    now: datetime,
    names: Mapping[str, str],
) -> PublishReport | None:
    """Publish to the --publish calendar, if any; `names` (UID -> account) name the blocks
    in the report."""
    if not options.publish:
        return None
    return publish_caldav(
        options.publish,
        events,
        text,
        credentials_for(settings),
        now,
        private=options.private,
        dry_run=options.dry_run,
        timeout=settings.fetch_timeout,
        ours=decision.ours,
        week=decision.week.label,
        hands_off={b.block.uid for b in decision.removed},
        named=lambda block: names[block.uid],
    )


def _render_sheets(
    decision: PlanDecision,
    materials: dict[int, WorksheetMaterial],
    settings: Settings,
    now: datetime,
    bank: QuestionBank,
) -> dict[str, bytes | str]:
    """Each planned account's worksheet as Markdown (for `reflect`) and HTML, and the
    week's packet in plan order as HTML and (the `plan.pdf` setting) PDF."""
    zone = ZoneInfo(settings.timezone)
    today = now.astimezone(zone).date()
    files: dict[str, bytes | str] = {}
    worksheets, entries = [], []
    for block in decision.blocks:
        if block.sheet_stem is None:
            continue
        worksheet = worksheet_from(
            materials[block.account_id],
            bank,
            today,
            block.next_call,
            block.lead_lenses,
            (block.reason, *block.flags),
            settings.disqualify_after_remarks,
            settings.me,
        )
        files[block.sheet_stem + ".md"] = render_markdown(worksheet, zone)
        files[block.sheet_stem + ".html"] = render_html([worksheet], zone)
        worksheets.append(worksheet)
        start = block.start.astimezone(zone)
        entries.append(PacketEntry(f"{start:%a %d %b %H:%M}", worksheet.account, block.reason))
    if worksheets:
        # one PDF for the week, the packet to print; each account's own sheet is in the HTML
        title, blocks = f"Focus worksheets, {decision.week.label}", tuple(entries)
        grid = _cover_grid(decision, settings)
        files[decision.packet_stem + ".html"] = render_html(worksheets, zone, title, blocks, grid)
        if settings.pdf:
            pdf = render_pdf(worksheets, zone, title, blocks, grid=grid)
            files[decision.packet_stem + ".pdf"] = pdf
    return files


def _cover_grid(decision: PlanDecision, settings: Settings) -> CoverGrid:
    """The week at a glance for the packet's cover."""
    return cover_grid(glance_of_plan(decision, settings), ZoneInfo(settings.timezone))
