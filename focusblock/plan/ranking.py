"""Which accounts deserve a focus block this week, and why (METHOD.md, "Ranking").

A pure function of plain data: no database, no files, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from focusblock.names import name_key

FAR_FUTURE = datetime.max.replace(year=9000)


class RemarkFact(NamedTuple):
    heard_on: date
    lens: str | None
    answered: bool = False  # reflected on in a worksheet: no longer fresh


@dataclass(frozen=True)
class AccountFacts:
    account_id: int
    name: str
    stage: str
    need: str | None
    consequence: str | None
    decision_date: date | None
    next_call: datetime | None
    remarks: tuple[RemarkFact, ...]
    last_reflection: date | None = None
    last_block: date | None = None


@dataclass(frozen=True)
class RankingRules:
    week_start: datetime  # aware, in the user's zone
    week_end: datetime
    work_days: tuple[int, ...]
    lead_hours: float
    hopeful_quiet_days: int
    today: date


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
class LeftOut:
    account_id: int
    name: str
    kind: str  # closed | sold | disqualify | quiet | no-slot
    reason: str


@dataclass(frozen=True)
class Ranking:
    candidates: tuple[Candidate, ...]
    left_out: tuple[LeftOut, ...]


def days_after_week(rules: RankingRules, count: int = 2) -> list[date]:
    """The first `count` working days after the planned week."""
    days: list[date] = []
    day = rules.week_end.date()
    while len(days) < count and rules.work_days:
        if day.weekday() in rules.work_days:
            days.append(day)
        day += timedelta(days=1)
    return days


def call_soon(call: datetime | None, rules: RankingRules) -> bool:
    if call is None:
        return False
    if rules.week_start + timedelta(hours=rules.lead_hours) <= call < rules.week_end:
        return True
    return call.astimezone(rules.week_start.tzinfo).date() in days_after_week(rules)


def _when(call: datetime, rules: RankingRules) -> str:
    return call.astimezone(rules.week_start.tzinfo).strftime("%a %d %b %H:%M")


def rank(accounts: list[AccountFacts], rules: RankingRules) -> Ranking:
    ranked: list[tuple[tuple, Candidate]] = []
    left_out: list[LeftOut] = []
    for facts in accounts:
        outcome = _judge(facts, rules)
        if isinstance(outcome, LeftOut):
            left_out.append(outcome)
        else:
            ranked.append((_order_key(facts, outcome), outcome))
    ranked.sort(key=lambda pair: pair[0])
    left_out.sort(key=lambda item: (_KIND_ORDER.get(item.kind, 9), name_key(item.name)))
    return Ranking(tuple(c for _, c in ranked), tuple(left_out))


_KIND_ORDER = {"disqualify": 0, "quiet": 1, "sold": 2, "closed": 3}


def _order_key(facts: AccountFacts, candidate: Candidate) -> tuple:
    call = candidate.next_call.replace(tzinfo=None) if candidate.next_call else FAR_FUTURE
    decision = facts.decision_date or date.max
    since_block = facts.last_block or date.min  # never had one: longest since
    return (candidate.tier, call, decision, -candidate.fresh, since_block, name_key(facts.name))


def _judge(facts: AccountFacts, rules: RankingRules) -> Candidate | LeftOut:
    lenses = {r.lens for r in facts.remarks}
    has_need = bool(facts.need) or "need" in lenses
    has_consequence = bool(facts.consequence) or "cost" in lenses
    week_first_day = rules.week_start.date()
    has_date = facts.decision_date is not None and facts.decision_date >= week_first_day
    date_passed = facts.decision_date is not None and facts.decision_date < week_first_day
    compelling = has_need + has_consequence + has_date
    soon = call_soon(facts.next_call, rules)
    fresh = sum(
        1
        for r in facts.remarks
        if not r.answered and (facts.last_reflection is None or r.heard_on > facts.last_reflection)
    )
    latest = max((r.heard_on for r in facts.remarks), default=None)
    quiet_days = (rules.today - latest).days if latest else None

    def candidate(tier: int, reason: str, lead: tuple[str, ...] = ()) -> Candidate:
        flags: tuple[str, ...] = ()
        if date_passed:
            flags = (
                f"decision date {facts.decision_date} has passed: confirm a new date or disqualify",
            )
        return Candidate(
            account_id=facts.account_id,
            name=facts.name,
            tier=tier,
            reason=reason,
            next_call=facts.next_call,
            fresh=fresh,
            remark_count=len(facts.remarks),
            lead_lenses=lead,
            flags=flags,
        )

    def left(kind: str, reason: str) -> LeftOut:
        return LeftOut(facts.account_id, facts.name, kind, reason)

    if facts.stage == "not-sold":
        return left("closed", "not sold: closed")
    call_text = f"call {_when(facts.next_call, rules)}" if facts.next_call else ""
    if facts.stage == "sold":
        if soon:
            return candidate(2, f"sold; {call_text}: keep them successful")
        return left("sold", "sold; no call soon")

    hopeful_quiet = quiet_days is None or quiet_days >= rules.hopeful_quiet_days
    if not has_need and facts.decision_date is None and facts.next_call is None and hopeful_quiet:
        heard = (
            f"nothing heard for {quiet_days} days"
            if quiet_days is not None
            else "nothing heard yet"
        )
        return left(
            "disqualify", f"hopeful: no need stated, no decision date, no call booked, {heard}"
        )

    if soon and compelling == 3:
        return candidate(1, f"{call_text}; need, consequence and decision date all stated")
    if soon and has_need:
        missing, lead = _missing(has_consequence, has_date, date_passed)
        return candidate(2, f"{call_text}; need stated, missing {missing}", lead)
    if not soon and compelling >= 2 and fresh:
        return candidate(
            3,
            f"no call soon; {fresh} new remarks and a compelling need: "
            "use the block to earn the next meeting",
        )
    if soon:
        return candidate(4, f"{call_text}; discovery: no need stated yet", ("need",))
    if fresh:
        return candidate(5, f"{fresh} new remarks to reflect on; no call soon")
    since = f"nothing new since {latest.isoformat()}" if latest else "no remarks yet"
    if facts.next_call is not None:
        return left("quiet", f"{since}; next call {_when(facts.next_call, rules)} is not soon")
    return left("quiet", f"{since}, no call booked")


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
