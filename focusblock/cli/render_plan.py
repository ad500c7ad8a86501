"""The plan as a person reads it (blocks, then who was left out and why), and as JSON.

Part of the rendering layer: every piece of user text goes through cli/render.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from focusblock.cli.render import echo_table, iso, plural, say
from focusblock.model import LeftOutKind
from focusblock.plan.blocks import Change

if TYPE_CHECKING:  # `busy` prints calls too, and must not load the whole planner for it
    from focusblock.calendar.publish import PublishReport, VdirReport
    from focusblock.model import Call, LeftOut
    from focusblock.plan.blocks import PlanBlock
    from focusblock.plan.glance import WeekGlance
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


def call_json(call: Call | None, zone: tzinfo) -> dict[str, Any] | None:
    if call is None:
        return None
    return {
        "summary": call.summary,
        "start": iso(call.start, zone),
        "source": call.source,
        "matched_by": call.matched_by,
    }


def call_line(account: str, call: Call, zone: tzinfo) -> tuple[str, str, str, str]:
    """(account, the event's title, when, how it was recognised and where)."""
    where = Path(call.source).name if "://" not in call.source else call.source
    when = f"{call.start.astimezone(zone):%a %d %b %H:%M}"
    return (account, call.summary, when, f"{call.matched_by}; {where}")


CALL_HEADERS = ("account", "next call taken from your calendar", "when", "recognised by")


def left_out_json(line: LeftOut) -> dict[str, Any]:
    return {"account": line.account, "reason": line.reason, "kind": line.kind.value}


def plan_json(result: PlanResult, zone: tzinfo) -> dict[str, Any]:
    decision = result.decision
    return {
        "week": decision.week.label,
        "timezone": decision.timezone,
        "blocks": [block_json(b, zone) for b in decision.blocks],
        "cancelled": [block_json(b, zone) for b in decision.cancelled],
        "left_out": [left_out_json(x) for x in decision.left_out],
        "warnings": list(decision.warnings),
        "ics_file": result.ics_file,
        "worksheets": list(result.worksheets),
        "events_written": result.events_written,
        "dry_run": result.dry_run,
        "published": _published_json(result.published),
        "vdir": _vdir_json(result.vdir),
        "removed_worksheets": list(result.removed),
    }


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


def print_plan(result: PlanResult, zone: tzinfo, glance: WeekGlance | None = None) -> None:
    """The plan for a person: blocks, the week strip under them (when given), calls,
    withdrawn blocks, left out; then what was written."""
    _print_decision(result.decision, zone, glance)
    if result.published is not None:
        print_published(result.published)
    if result.dry_run:
        say("Dry run: nothing written, the store unchanged.")
        return
    _print_written(result)
    if result.removed:
        names = ", ".join(Path(p).name for p in result.removed)
        say(
            f"Removed {plural(len(result.removed), 'worksheet file')} of withdrawn blocks: {names}."
        )


def _print_decision(decision: PlanDecision, zone: tzinfo, glance: WeekGlance | None) -> None:
    _print_blocks(decision, zone)
    if glance is not None:
        from focusblock.cli.week_strip import print_week_strip

        print_week_strip(glance)
    calls = [call_line(b.account, b.call, zone) for b in decision.blocks if b.call]
    if calls:
        echo_table("Calls", CALL_HEADERS, calls)
    for b in decision.cancelled:
        if b.change == Change.CANCELLED:
            say(
                f"Withdrawn: {b.account} (was {b.start.astimezone(zone):%a %d %b %H:%M}): "
                f"{b.reason}; marked cancelled in the .ics: delete it in your calendar."
            )
    disqualify = [x for x in decision.left_out if x.kind == LeftOutKind.DISQUALIFY]
    others = [x for x in decision.left_out if x.kind != LeftOutKind.DISQUALIFY]
    if others:
        echo_table("Left out", ("account", "why"), [(x.account, x.reason) for x in others])
    if disqualify:
        echo_table(
            DISQUALIFY_TITLE, ("account", "why"), [(x.account, x.reason) for x in disqualify]
        )


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


def _print_blocks(decision: PlanDecision, zone: tzinfo) -> None:
    rows = []
    for b in decision.blocks:
        start, end = b.start.astimezone(zone), b.end.astimezone(zone)
        minutes = int((b.end - b.start).total_seconds() // 60)
        note = "" if b.change in (Change.NEW, Change.UNCHANGED) else f" [{b.change}]"
        reason = "; ".join([b.reason, *b.flags]) + note
        rows.append(
            (b.account, f"{start:%a %d %b}", f"{start:%H:%M}-{end:%H:%M}", f"{minutes} min", reason)
        )
    title = f"Focus blocks, week {decision.week.label} ({decision.timezone})"
    if rows:
        echo_table(title, ("account", "day", "time", "length", "why"), rows)
    else:
        say(f"{title}: none placed.")


def print_published(report: PublishReport) -> None:
    """One line per kind of change to the CalDAV calendar, naming the blocks."""
    for label, titles in (
        ("created", report.created),
        ("updated", report.updated),
        ("deleted", report.deleted),
    ):
        verb = "would be" if report.dry_run else ("was" if len(titles) == 1 else "were")
        if titles:
            say(f"{report.target}: {len(titles)} {verb} {label}: {', '.join(titles)}")
    alone = "it is" if report.left_alone == 1 else "they are"
    say(
        f"{report.target}: {len(report.unchanged)} unchanged; "
        f"{plural(report.left_alone, 'other event')} left as {alone}."
    )


def print_busy_calls(calls: Sequence[tuple[str, Call]], zone: tzinfo) -> None:
    """The event `plan` would take as each account's next call."""
    if calls:
        rows = [call_line(account, call, zone) for account, call in calls]
        echo_table("Calls", CALL_HEADERS, rows)
