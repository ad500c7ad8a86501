"""Which accounts deserve a focus block this week, and why.

A pure function of plain data: no database, no files, no clock. The rules, in order:
closed deals never get a block and sold ones only with a call soon; hopeful deals
(pending, no need, no date, no call, quiet for a month) are listed for
disqualification, and so are pending deals with no call booked where none of need,
their figures for the cost of doing nothing, who signs and a decision date has been
heard after `priority.disqualify_after_remarks` remarks; the rest fall into tiers by
call soon and compelling need (a need, a consequence of doing nothing, a decision date),
ordered inside a tier by next call,
decision date, fresh remarks, time since the last block, and name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from focusblock.model import LeftOut, LeftOutKind
from focusblock.names import CONSEQUENCE_LENS, NEED_LENS, Stage, name_key
from focusblock.plan.rules import WeekRules
from focusblock.store.views import AccountFacts
from focusblock.worksheet.deal import disqualify_reason

FAR_FUTURE = datetime.max.replace(year=9000, tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    account_id: int
    name: str
    tier: int
    reason: str
    next_call: datetime | None
    fresh: int
    remark_count: int
    lead_lenses: tuple[str, ...] = ()  # what is missing: the worksheet starts there
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    candidates: tuple[Candidate, ...]
    left_out: tuple[LeftOut, ...]


def days_after_week(rules: WeekRules, count: int = 2) -> list[date]:
    """The first `count` working days after the planned week."""
    days: list[date] = []
    day = rules.week_end.date()
    while len(days) < count and rules.settings.work_days:
        if day.weekday() in rules.settings.work_days:
            days.append(day)
        day += timedelta(days=1)
    return days


def call_soon(call: datetime | None, rules: WeekRules) -> bool:
    """The call is inside the week (at least the lead time after its start) or in the
    first two working days after it: a Monday call gets its block the week before."""
    if call is None:
        return False
    if rules.week_start + timedelta(hours=rules.settings.lead_hours) <= call < rules.week_end:
        return True
    return call.astimezone(rules.week_start.tzinfo).date() in days_after_week(rules)


def _when(call: datetime, rules: WeekRules) -> str:
    return call.astimezone(rules.week_start.tzinfo).strftime("%a %d %b %H:%M")


IN_PROGRESS = "planned earlier this week and you have begun its worksheet: kept for the week"


def rank(
    accounts: Sequence[AccountFacts],
    calls: Mapping[int, datetime],
    rules: WeekRules,
    planned: Mapping[int, date] | None = None,
    unheard: frozenset[int] = frozenset(),
) -> Ranking:
    """Candidates for a block in priority order, and every other account with its reason.

    `calls` holds each account's next call, where one is known. `planned` holds the
    accounts an earlier plan of this week gave a block, with the day it was planned:
    answering its worksheet since leaves nothing new to reflect on, which must not take
    the block away (it stays among the last candidates). `unheard` holds the accounts
    whose remarks' words speak to none of the need, the cost of doing nothing and who
    signs (unheard_basics).
    """
    ranked: list[tuple[tuple[object, ...], Candidate]] = []
    left_out: list[LeftOut] = []
    for facts in accounts:
        outcome = _judge(facts, calls.get(facts.account_id), rules, unheard)
        if isinstance(outcome, LeftOut) and _in_progress(facts, outcome, planned or {}):
            outcome = Candidate(
                account_id=facts.account_id,
                name=facts.name,
                tier=5,
                reason=IN_PROGRESS,
                next_call=calls.get(facts.account_id),
                fresh=0,
                remark_count=facts.remark_count,
            )
        if isinstance(outcome, LeftOut):
            left_out.append(outcome)
        else:
            ranked.append((_order_key(facts, outcome), outcome))
    ranked.sort(key=lambda pair: pair[0])
    left_out.sort(key=lambda item: (_KIND_ORDER.get(item.kind, 9), name_key(item.account)))
    return Ranking(tuple(c for _, c in ranked), tuple(left_out))


def _in_progress(facts: AccountFacts, outcome: LeftOut, planned: Mapping[int, date]) -> bool:
    """Quiet only because the seller answered the block's worksheet since it was planned."""
    since = planned.get(facts.account_id)
    answered = facts.last_reflection
    return (
        outcome.kind is LeftOutKind.QUIET
        and since is not None
        and answered is not None
        and answered >= since
    )


_KIND_ORDER = {
    LeftOutKind.DISQUALIFY: 0,
    LeftOutKind.QUIET: 1,
    LeftOutKind.SOLD: 2,
    LeftOutKind.CLOSED: 3,
}


def _order_key(facts: AccountFacts, candidate: Candidate) -> tuple[object, ...]:
    # instants, not wall times: 14:00 UTC is before 10:00 in New York
    call = candidate.next_call.astimezone(UTC) if candidate.next_call else FAR_FUTURE
    decision = facts.decision_date or date.max
    since_block = facts.last_block or date.min  # never had one: longest since
    return (candidate.tier, call, decision, -candidate.fresh, since_block, name_key(facts.name))


@dataclass(frozen=True)
class MethodFacts:
    """The facts the ranking rules are stated in, for one account and week."""

    has_need: bool  # the account's need is set, or a remark with lens need exists
    has_consequence: bool  # the consequence is set, or a remark with lens cost exists
    has_date: bool  # a decision date on or after the week's start
    date_passed: bool  # a decision date before the week's start
    soon: bool  # the next call is in the week or the two working days after it
    fresh: int  # remarks heard after the last reflection, not yet answered
    latest: date | None  # when the latest remark was heard
    quiet_days: int | None  # days since then, or since the account was added if none

    @property
    def compelling(self) -> int:
        return self.has_need + self.has_consequence + self.has_date


def method_facts(facts: AccountFacts, next_call: datetime | None, rules: WeekRules) -> MethodFacts:
    """What the rules need to know of an account, computed once."""
    week_first_day = rules.week_start.date()
    latest = facts.last_heard
    return MethodFacts(
        has_need=bool(facts.need) or NEED_LENS in facts.lenses,
        has_consequence=bool(facts.consequence) or CONSEQUENCE_LENS in facts.lenses,
        has_date=facts.decision_date is not None and facts.decision_date >= week_first_day,
        date_passed=facts.decision_date is not None and facts.decision_date < week_first_day,
        soon=call_soon(next_call, rules),
        fresh=facts.fresh,
        latest=latest,
        quiet_days=(rules.today - heard).days if (heard := latest or facts.created) else None,
    )


def _judge(
    facts: AccountFacts,
    next_call: datetime | None,
    rules: WeekRules,
    unheard: frozenset[int] = frozenset(),
) -> Candidate | LeftOut:
    m = method_facts(facts, next_call, rules)

    def candidate(tier: int, reason: str, lead: tuple[str, ...] = ()) -> Candidate:
        flags: tuple[str, ...] = ()
        if m.date_passed:
            flags = (
                f"decision date {facts.decision_date} has passed: confirm a new date or disqualify",
            )
        return Candidate(
            account_id=facts.account_id,
            name=facts.name,
            tier=tier,
            reason=reason,
            next_call=next_call,
            fresh=m.fresh,
            remark_count=facts.remark_count,
            lead_lenses=lead,
            flags=flags,
        )

    def left(kind: LeftOutKind, reason: str) -> LeftOut:
        return LeftOut(facts.account_id, facts.name, kind, reason)

    if facts.stage == Stage.NOT_SOLD:
        return left(LeftOutKind.CLOSED, "not sold: closed")
    call_text = f"call {_when(next_call, rules)}" if next_call else ""
    if facts.stage == Stage.SOLD:
        if m.soon:
            return candidate(2, f"sold; {call_text}: keep them successful")
        return left(LeftOutKind.SOLD, "sold; no call soon")
    if _hopeful(facts, next_call, m, rules):
        days = "day" if m.quiet_days == 1 else "days"
        heard = f"nothing heard for {m.quiet_days} {days}" if m.quiet_days else "nothing heard yet"
        reason = f"hopeful: no need stated, no decision date, no call booked, {heard}"
        return left(LeftOutKind.DISQUALIFY, reason)
    if _nothing_basic_heard(facts, next_call, m, rules, unheard):
        return left(LeftOutKind.DISQUALIFY, disqualify_reason(facts.remark_count))

    if m.soon and m.compelling == 3:
        return candidate(1, f"{call_text}; need, consequence and decision date all stated")
    if m.soon and m.has_need:
        missing, lead = _missing(m.has_consequence, m.has_date, m.date_passed)
        return candidate(2, f"{call_text}; need stated, missing {missing}", lead)
    if not m.soon and m.compelling >= 2 and m.fresh:
        return candidate(
            3,
            f"no call soon; {m.fresh} new {_remarks(m.fresh)} and a compelling need: "
            "use the block to earn the next meeting",
        )
    if m.soon:
        return candidate(4, f"{call_text}; discovery: no need stated yet", ("need",))
    if m.fresh:
        return candidate(5, f"{m.fresh} new {_remarks(m.fresh)} to reflect on; no call soon")
    since = f"nothing new since {m.latest.isoformat()}" if m.latest else "no remarks yet"
    if next_call is not None:
        return left(LeftOutKind.QUIET, f"{since}; next call {_when(next_call, rules)} is not soon")
    return left(LeftOutKind.QUIET, f"{since}, no call booked")


def _hopeful(
    facts: AccountFacts, next_call: datetime | None, m: MethodFacts, rules: WeekRules
) -> bool:
    """Pending, no need, no date, no call booked, and quiet for the configured days."""
    quiet = m.quiet_days is None or m.quiet_days >= rules.settings.hopeful_quiet_days
    return not m.has_need and facts.decision_date is None and next_call is None and quiet


def might_be_unheard(facts: AccountFacts, after: int) -> bool:
    """Whether an account's facts leave its remarks' words to tell whether anything basic
    was heard: pending, `after` remarks or more, no need, consequence or decision date set
    and no remark with the need or cost lens."""
    return (
        facts.stage == Stage.PENDING
        and facts.remark_count >= after
        and not facts.need
        and not facts.consequence
        and facts.decision_date is None
        and NEED_LENS not in facts.lenses
        and CONSEQUENCE_LENS not in facts.lenses
    )


def _nothing_basic_heard(
    facts: AccountFacts,
    next_call: datetime | None,
    m: MethodFacts,
    rules: WeekRules,
    unheard: frozenset[int],
) -> bool:
    """No call booked, and none of need, figures, signer and date heard after the
    configured number of remarks."""
    after = rules.settings.disqualify_after_remarks
    return (
        next_call is None
        and m.compelling == 0
        and facts.account_id in unheard
        and might_be_unheard(facts, after)
    )


def _missing(
    has_consequence: bool, has_date: bool, date_passed: bool
) -> tuple[str, tuple[str, ...]]:
    names, lenses = [], []
    if not has_consequence:
        names.append("the cost of doing nothing")
        lenses.append("cost")
    if not has_date:
        names.append("a current decision date" if date_passed else "a decision date")
        lenses.append("timing")
    return " and ".join(names), tuple(lenses)


def _remarks(count: int) -> str:
    return "remark" if count == 1 else "remarks"
