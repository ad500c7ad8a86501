"""What the correction commands print: a remark with its history, merges and deletes.

Everything goes through render.say() and render.echo_table(), which make user text safe
for the terminal; the JSON shape of `remark show` is `remark_detail_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from focusblock.cli.render import echo_table, fmt_date, fmt_time, iso, plural, remark_json, say

if TYPE_CHECKING:
    from focusblock.model import Remark, RemarkVersion
    from focusblock.store.account_corrections import DeleteReport, LeftInCalendar, MergeReport


def remark_detail_json(
    remark: Remark, history: Sequence[RemarkVersion], zone: tzinfo
) -> dict[str, Any]:
    return {
        "remark": remark_json(remark, zone),
        "deleted_at": iso(remark.deleted_at, zone),
        "imported_from": remark.source,
        "repeat": remark.repeat,
        "history": [
            {
                "text": v.text,
                "who": v.who,
                "heard_on": iso(v.heard_on, zone),
                "via": v.via,
                "lens": v.lens,
                "replaced_at": iso(v.replaced_at, zone),
            }
            for v in history
        ],
    }


def print_remark_detail(r: Remark, history: Sequence[RemarkVersion], zone: tzinfo) -> None:
    facts = [
        ("account", r.account),
        ("heard", fmt_date(r.heard_on)),
        ("who", r.who or "-"),
        ("via", r.via),
        ("lens", r.lens or "-"),
        *([("imported from", r.source)] if r.source else []),
        *([("repeat", f"stored again on purpose (#{r.repeat})")] if r.repeat else []),
        *(
            [("deleted", f"{fmt_time(r.deleted_at, zone)}; remark restore {r.id}")]
            if r.deleted_at
            else []
        ),
        ("what they said", r.text),
    ]
    echo_table(f"Remark #{r.id}", ("field", "value"), facts)
    if not history:
        say("No earlier versions: never edited.")
        return
    rows = [
        (
            fmt_time(v.replaced_at, zone),
            fmt_date(v.heard_on),
            v.who or "-",
            v.via,
            v.lens or "-",
            v.text,
        )
        for v in history
    ]
    headers = ("replaced", "heard", "who", "via", "lens", "what they said")
    echo_table(f"{plural(len(rows), 'earlier version')}, oldest first", headers, rows)


def print_left_in_calendar(
    blocks: Sequence[LeftInCalendar], zone: tzinfo, replan_withdraws: bool = False
) -> None:
    for block in blocks:
        when = f"'{block.account}' on {fmt_time(block.start, zone)} ({block.week})"
        if replan_withdraws:  # the store still has the block, so the plan cancels it
            say(
                f"Note: the focus block for {when} stays in your calendar until the next plan "
                f"of {block.week} withdraws it (or delete it there)."
            )
        else:
            say(
                f"Note: the focus block for {when} is no longer kept; delete it from your "
                "calendar if it is there."
            )


def print_merge(report: MergeReport, zone: tzinfo) -> None:
    target = report.target.name if report.target else "?"
    say(
        f"Merged '{report.source}' into '{target}': {plural(report.remarks, 'remark')}, "
        f"{plural(report.reflections, 'answer')}, {plural(report.blocks, 'focus block')} "
        f"moved; '{report.source}' is now an alias of '{target}'."
    )
    print_left_in_calendar(report.dropped_blocks, zone)


def print_account_deleted(report: DeleteReport, zone: tzinfo) -> None:
    with_remarks = f" with its {plural(report.remarks, 'remark')}" if report.remarks else ""
    say(
        f"Deleted account '{report.account}'{with_remarks}; it is hidden until: "
        f"focusblock account restore '{report.account}'"
    )
    print_left_in_calendar(report.left_in_calendar, zone, replan_withdraws=True)
