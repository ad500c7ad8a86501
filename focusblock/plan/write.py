"""The plan's last step: worksheets and the .ics first, the store's short transaction last.

Rendering (Markdown, HTML, the week's PDF) happens before the store's write transaction
opens, so a slow PDF never holds SQLite's write lock. Files are written atomically, and
the store commits only after them: a crash leaves at worst a calendar file with blocks
the store does not know yet, which the next plan (same UIDs) writes again.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from focusblock.calendar.writing import BlockEvent, block_description, render_ics
from focusblock.config import Settings
from focusblock.plan.blocks import Change
from focusblock.plan.week import PlanBlock, PlanDecision, PlanOptions, PlanResult, default_out
from focusblock.private_files import ensure_private_dir, write_private
from focusblock.store.planning import save_week_blocks
from focusblock.store.store import Store
from focusblock.store.views import WorksheetMaterial
from focusblock.store.worksheets import worksheet_materials
from focusblock.worksheet.question_bank import QuestionBank, load_bank, questions_for

DESCRIPTION_QUESTIONS = 3


def write(
    store: Store, decision: PlanDecision, settings: Settings, options: PlanOptions, now: datetime
) -> PlanResult:
    """Write the worksheets, the .ics, then the blocks into the store (nothing in a dry run)."""
    if options.dry_run:
        return PlanResult(decision, None, (), 0, dry_run=True)
    out = options.out or default_out(decision.week)
    sheet_dir = options.worksheets_dir or out.parent
    written_blocks = [
        b
        for b in (*decision.blocks, *decision.cancelled)
        if not (options.only_changed and b.change in (Change.UNCHANGED, Change.STILL_CANCELLED))
    ]
    wanted = {b.account_id for b in (*decision.blocks, *written_blocks)}
    materials = worksheet_materials(store, wanted)
    bank = load_bank(settings.questions_file)
    sheets = _render_sheets(decision, materials, settings, now, bank)
    events = [_event(b, materials[b.account_id], options.private, bank) for b in written_blocks]

    written: list[str] = []
    ensure_private_dir(sheet_dir)
    for name, content in sheets.items():
        write_private(sheet_dir / name, content)
        written.append(str(sheet_dir / name))
    ensure_private_dir(out.parent)
    write_private(out, render_ics(events, now))
    blocks = [b.block for b in (*decision.blocks, *decision.cancelled)]
    save_week_blocks(store, decision.week.label, blocks, decision.seen)
    return PlanResult(decision, str(out), tuple(written), len(events), dry_run=False)


def _render_sheets(
    decision: PlanDecision,
    materials: dict[int, WorksheetMaterial],
    settings: Settings,
    now: datetime,
    bank: QuestionBank,
) -> dict[str, bytes | str]:
    """Each planned account's worksheet as Markdown (for `reflect`) and HTML, and the
    week's packet in plan order as HTML and (the `plan.pdf` setting) PDF."""
    from focusblock.worksheet.from_store import worksheet_from
    from focusblock.worksheet.pdf import render_pdf
    from focusblock.worksheet.rendering import PacketEntry, render_html, render_markdown

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
        )
        files[block.sheet_stem + ".md"] = render_markdown(worksheet, zone)
        files[block.sheet_stem + ".html"] = render_html([worksheet], zone)
        worksheets.append(worksheet)
        start = block.start.astimezone(zone)
        entries.append(PacketEntry(f"{start:%a %d %b %H:%M}", worksheet.account, block.reason))
    if worksheets:
        # one PDF for the week, the packet to print; each account's own sheet is in the HTML
        title, blocks = f"Focus worksheets, {decision.week.label}", tuple(entries)
        files[decision.packet_stem + ".html"] = render_html(worksheets, zone, title, blocks)
        if settings.pdf:
            files[decision.packet_stem + ".pdf"] = render_pdf(worksheets, zone, title, blocks)
    return files


def _event(
    block: PlanBlock, material: WorksheetMaterial, private: bool, bank: QuestionBank
) -> BlockEvent:
    return BlockEvent(
        uid=block.block.uid,
        sequence=block.block.sequence,
        start=block.start,
        end=block.end,
        summary=block.account,
        description="" if private else _description(block, material, bank),
        cancelled=block.block.cancelled,
        last_modified=block.block.updated_at,
        private=private,
    )


def _description(block: PlanBlock, material: WorksheetMaterial, bank: QuestionBank) -> str:
    newest_first = material.remarks[::-1]
    # what is missing first, then the lenses of the latest remarks; general questions last
    lenses = [*block.lead_lenses, *(r.lens for r in newest_first if r.lens)]
    questions: list[str] = []
    for lens in [*lenses, None]:
        for q in questions_for(bank, lens, material.account.stage):
            if q not in questions and len(questions) < DESCRIPTION_QUESTIONS:
                questions.append(q)
        if len(questions) >= DESCRIPTION_QUESTIONS:
            break
    remarks = [(r.heard_on.isoformat(), r.text) for r in newest_first]
    return block_description(block.account, block.reason, remarks, questions, block.worksheet)
