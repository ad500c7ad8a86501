"""What `plan` prints and returns as JSON: the blocks, the week strip under them, calls,
withdrawn blocks, the accounts left out, then what was written or published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from focusblock.cli.busy_results import CALL_HEADERS, call_row
from focusblock.cli.output import (
    Result,
    Table,
    iso,
    moment_text,
    plural,
    print_table,
    say,
    span_text,
    warn,
)
from focusblock.cli.result_parts import call_json
from focusblock.cli.week_strip import print_week_strip
from focusblock.model import LeftOutKind
from focusblock.plan.blocks import Change
from focusblock.plan.week import glance_of_plan

if TYPE_CHECKING:
    from focusblock.calendar.publish import PublishReport, VdirReport
    from focusblock.config import Settings
    from focusblock.model import LeftOut
    from focusblock.plan.blocks import PlanBlock
    from focusblock.plan.glance import WeekGlance
    from focusblock.plan.kept_answers import KeptAnswers
    from focusblock.plan.week import PlanDecision, PlanResult


DISQUALIFY_TITLE = "Candidates for disqualification (no block: decide whether to keep them)"
REPLACE_ADVICE = (
    "Replacing blocks imported before: Google Calendar keeps the old copy of a moved block, so "
    "delete last import's 'Focus:' events first, then import; Outlook duplicates on re-import, "
    "so delete the old 'Focus:' events (search 'Focus:') before importing. Apple Calendar and "
    "Thunderbird update them in place."
)
IMPORT_ADVICE = (
    "Import the .ics into Google Calendar (Settings > Import & export > Import) or Outlook "
    "(File > Open & Export > Import)."
)


def block_json(block: PlanBlock, zone: tzinfo) -> dict[str, Any]:
    return {
        "account": block.account,
        "start": iso(block.start, zone),
        "end": iso(block.end, zone),
        "uid": block.block.uid,
        "reason": block.reason,
        "sequence": block.block.sequence,
        "change": block.change.value,
        "why_here": block.why_here,
        "worksheet": block.worksheet,
        "flags": list(block.flags),
        "call": call_json(block.call, zone),
    }


def left_out_json(line: LeftOut) -> dict[str, Any]:
    return {"account": line.account, "reason": line.reason, "kind": line.kind.value}


def _published_json(report: PublishReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "target": report.target,
        "created": list(report.created),
        "updated": list(report.updated),
        "deleted": list(report.deleted),
        "unchanged": list(report.unchanged),
        "left_alone": report.left_alone,
        "dry_run": report.dry_run,
    }


def _vdir_json(report: VdirReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "folder": report.folder,
        "written": list(report.written),
        "unchanged": list(report.unchanged),
        "removed": list(report.removed),
    }


@dataclass(frozen=True)
class PlanShown(Result):
    """`plan`: blocks, the week strip under them, calls, withdrawn blocks, left out; then
    what was written. In JSON the blocks carry their UIDs, the ids of the events."""

    result: PlanResult
    settings: Settings  # the working hours of the week strip
    quiet: bool = False  # --quiet: only what changed (warnings and errors as always)
    ics_on_stdout: bool = False  # --out -: stdout holds the calendar, this report stderr

    def beside_data(self) -> bool:
        return self.ics_on_stdout

    def json(self, zone: tzinfo) -> Any:
        result, decision = self.result, self.result.decision
        return {
            "week": decision.week.label,
            "timezone": decision.timezone,
            "blocks": [block_json(b, zone) for b in decision.blocks],
            "cancelled": [block_json(b, zone) for b in decision.cancelled],
            "removed_by_you": [block_json(b, zone) for b in decision.removed],
            "merged_away": [block_json(b, zone) for b in decision.ghosts],
            "left_out": [left_out_json(x) for x in decision.left_out],
            "warnings": list(decision.warnings),
            "ics_file": result.ics_file,
            "worksheets": list(result.worksheets),
            "events_written": result.events_written,
            "dry_run": result.dry_run,
            "published": _published_json(result.published),
            "vdir": _vdir_json(result.vdir),
            "removed_worksheets": list(result.removed),
            "kept_answers": [
                {
                    "path": k.path,
                    "saved": k.saved,
                    "kept_as": k.kept_as,
                    "not_stored": list(k.not_stored),
                }
                for k in result.kept
            ],
        }

    def warnings(self) -> Sequence[str]:
        return self.result.decision.warnings

    def text(self, zone: tzinfo) -> None:
        result = self.result
        if self.quiet:
            _print_changes(result, zone)
            return
        glance = glance_of_plan(result.decision, self.settings)
        _print_decision(result.decision, zone, glance, result.published)
        if result.published is not None:
            print_published(result.published)
        if result.dry_run:
            say("Dry run: nothing written, the store unchanged.")
            return
        print_kept_answers(result.kept)
        _print_written(result)
        if result.removed:
            names = ", ".join(Path(p).name for p in result.removed)
            files = plural(len(result.removed), "worksheet file")
            say(f"Removed {files} of withdrawn blocks: {names}.")


def _print_changes(result: PlanResult, zone: tzinfo) -> None:
    """For a plan run by a scheduler (--quiet): one line per block that changed, and what
    publishing or the worksheets changed; nothing at all when nothing did."""
    decision = result.decision
    week = decision.week.label
    for b in (*decision.blocks, *decision.cancelled, *decision.removed):
        if b.change in (Change.UNCHANGED, Change.STILL_CANCELLED):
            continue
        would = "would be " if result.dry_run else ""
        say(f"{week}: {b.account}: {would}{b.change} ({moment_text(b.start, zone)}): {b.reason}")
    published = result.published
    if published is not None:
        for label, titles in (
            ("created", published.created),
            ("updated", published.updated),
            ("deleted", published.deleted),
            ("cancelled, your notes kept", published.cancelled),
        ):
            if titles:
                say(f"{published.target}: {label}: {', '.join(titles)}")
        warn(published.failed)
    print_kept_answers(result.kept)


def print_kept_answers(kept: Sequence[KeptAnswers]) -> None:
    """What the plan read from the worksheets before writing over or removing them."""
    for k in kept:
        if k.saved:
            say(f"Worksheets: kept {plural(k.saved, 'answer')} from {k.path} (now in the store).")
        if k.not_stored:
            where = f"the file is kept as {k.kept_as}" if k.kept_as else "the file is left as it is"
            say(
                f"Worksheets: some answers in {k.path} could not be stored; {where}: "
                + "; ".join(k.not_stored)
            )


def _print_decision(
    decision: PlanDecision,
    zone: tzinfo,
    glance: WeekGlance | None,
    published: PublishReport | None = None,
) -> None:
    _print_blocks(decision, zone)
    if glance is not None:
        print_week_strip(glance)
    calls = [call_row(b.account, b.call, zone) for b in decision.blocks if b.call]
    if calls:
        print_table(Table("Calls", CALL_HEADERS, calls))
    removed = set(published.deleted) if published is not None else set()
    for b in decision.cancelled:
        if b.change == Change.CANCELLED:
            say(
                f"Withdrawn: {b.account} (was {moment_text(b.start, zone)}): "
                f"{b.reason}; {_what_became_of(b, removed, published)}."
            )
    for b in decision.ghosts:
        say(
            f"Withdrawn: the block of an account merged into {b.account} "
            f"(was {moment_text(b.start, zone)}): cancelled, so no copy stays in your calendar."
        )
    for b in decision.removed:
        if b.change == Change.REMOVED:
            say(f"{b.account} (was {moment_text(b.start, zone)}): {b.reason}.")
    disqualify = [x for x in decision.left_out if x.kind == LeftOutKind.DISQUALIFY]
    others = [x for x in decision.left_out if x.kind != LeftOutKind.DISQUALIFY]
    if others:
        rows = [(x.account, x.reason) for x in others]
        print_table(Table("Left out", ("account", "why"), rows))
    if disqualify:
        rows = [(x.account, x.reason) for x in disqualify]
        print_table(Table(DISQUALIFY_TITLE, ("account", "why"), rows))


def _what_became_of(block: PlanBlock, removed: set[str], published: PublishReport | None) -> str:
    """What was done with a withdrawn block: publishing removed it from the calendar (the
    report names blocks by account), or the .ics marks it cancelled for the user to act on."""
    if published is not None and block.account in removed:
        return f"{'would be ' if published.dry_run else ''}removed from your calendar"
    return "marked cancelled in the .ics: delete it in your calendar"


def _print_blocks(decision: PlanDecision, zone: tzinfo) -> None:
    rows = []
    for b in decision.blocks:
        minutes = int((b.end - b.start).total_seconds() // 60)
        note = "" if b.change in (Change.NEW, Change.UNCHANGED) else f" [{b.change}]"
        reason = "; ".join([b.reason, *b.flags]) + note
        rows.append((b.account, span_text(b.start, b.end, zone), f"{minutes} min", reason))
    title = f"Focus blocks, week {decision.week.label} ({decision.timezone})"
    if rows:
        print_table(Table(title, ("account", "when", "length", "why"), rows))
    else:
        say(f"{title}: none placed.")


def _print_written(result: PlanResult) -> None:
    decision = result.decision
    files = ""
    if result.worksheets:
        folder = Path(result.worksheets[0]).parent
        files = f"{plural(len(result.worksheets), 'worksheet file')} to {folder}"
    if result.vdir is not None:
        v = result.vdir
        say(
            f"Calendar folder {v.folder}: {len(v.written)} written, {len(v.unchanged)} "
            f"unchanged, {len(v.removed)} removed (sync it with vdirsyncer)."
        )
    if result.nothing_changed:
        say(
            f"Nothing changed since the last plan of {decision.week.label}; "
            "no .ics written (--only-changed)."
        )
    if result.ics_file is None or result.vdir is not None:
        if files:
            say(f"Wrote {files}.")
        return
    say(
        f"Wrote {plural(result.events_written, 'event')} to {result.ics_file}"
        + (f" and {files}." if files else ".")
    )
    if result.published is not None:
        return  # the blocks are in the CalDAV calendar already: importing would duplicate them
    changed = any(
        b.change in (Change.MOVED, Change.RESTORED, Change.UPDATED) for b in decision.blocks
    )
    if changed or any(b.change == Change.CANCELLED for b in decision.cancelled):
        say(REPLACE_ADVICE)
    else:
        say(IMPORT_ADVICE)


def print_published(report: PublishReport) -> None:
    """One line per kind of change to the CalDAV calendar, naming the blocks."""
    for label, titles in (
        ("created", report.created),
        ("updated", report.updated),
        ("deleted", report.deleted),
        ("cancelled, your notes kept", report.cancelled),
    ):
        verb = "would be" if report.dry_run else ("was" if len(titles) == 1 else "were")
        if titles:
            say(f"{report.target}: {len(titles)} {verb} {label}: {', '.join(titles)}")
    alone = "it is" if report.left_alone == 1 else "they are"
    say(
        f"{report.target}: {len(report.unchanged)} unchanged; "
        f"{plural(report.left_alone, 'other event')} left as {alone}."
    )
    warn(report.failed)
