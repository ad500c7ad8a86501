"""The ranking rules, one by one: closed deals never get a block and sold ones only with a
call soon; hopeful deals (pending, no need, no date, no call, quiet for a month) are listed
for disqualification; the rest fall into tiers by call soon and compelling need (a need, a
consequence of doing nothing, a decision date), ordered inside a tier by next call,
decision date, fresh remarks, time since the last block, and name."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.plan.ranking import call_soon, rank
from focusblock.plan.rules import WeekRules
from focusblock.store.views import AccountFacts

ZONE = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 30)
RULES = WeekRules(
    Settings(timezone=ZONE.key, work_days=(0, 1, 2, 3, 4), lead_hours=2, hopeful_quiet_days=30),
    Week(MONDAY),
    now=datetime(2026, 11, 25, 12, 0, tzinfo=ZONE),  # today: 25 Nov
)
SOON = datetime(2026, 12, 3, 10, 0, tzinfo=ZONE)
LATER = datetime(2026, 12, 20, 10, 0, tzinfo=ZONE)


class Heard(NamedTuple):
    """One remark as these tests describe it; the store gives ranking only their sums."""

    heard_on: date
    lens: str | None
    answered: bool = False  # reflected on in a worksheet: no longer fresh


RECENT = (Heard(date(2026, 11, 20), None),)


Account = tuple[AccountFacts, datetime | None]  # an account and its next call


def facts(i: int, next_call: datetime | None = None, **kw) -> Account:
    base = dict(
        account_id=i,
        name=f"A{i}",
        stage="pending",
        need=None,
        consequence=None,
        decision_date=None,
        remarks=RECENT,
    )
    base.update(kw)
    remarks = sorted(base.pop("remarks"), key=lambda r: r.heard_on)
    since = base.get("last_reflection")
    base.update(
        remark_count=len(remarks),
        lenses=tuple(dict.fromkeys(r.lens for r in reversed(remarks) if r.lens)),
        last_heard=max((r.heard_on for r in remarks), default=None),
        fresh=sum(1 for r in remarks if not r.answered and (since is None or r.heard_on > since)),
    )
    return AccountFacts(**base), next_call


def ranked(accounts: list[Account]):
    calls = {a.account_id: call for a, call in accounts if call is not None}
    return rank([a for a, _ in accounts], calls, RULES)


def judged(f: Account):
    ranking = ranked([f])
    return (ranking.candidates or ranking.left_out)[0]


def test_tier_1_call_soon_and_compelling():
    c = judged(facts(1, need="n", consequence="c", decision_date=date(2027, 1, 1), next_call=SOON))
    assert c.tier == 1 and "need, consequence and decision date all stated" in c.reason


def test_tier_2_names_what_is_missing_and_leads_with_those_lenses():
    c = judged(facts(1, need="n", next_call=SOON))
    assert c.tier == 2
    assert "missing the cost of doing nothing and a decision date" in c.reason
    assert c.lead_lenses == ("cost", "timing")


def test_need_and_consequence_can_come_from_remark_lenses():
    remarks = (Heard(date(2026, 11, 1), "need"), Heard(date(2026, 11, 2), "cost"))
    c = judged(facts(1, remarks=remarks, decision_date=date(2027, 1, 1), next_call=SOON))
    assert c.tier == 1


def test_tier_3_no_call_but_compelling_and_fresh():
    c = judged(facts(1, need="n", consequence="c"))
    assert c.tier == 3 and "earn the next meeting" in c.reason


def test_tier_4_discovery():
    c = judged(facts(1, next_call=SOON))
    assert c.tier == 4 and "discovery: no need stated yet" in c.reason


def test_tier_5_fresh_only():
    c = judged(facts(1, next_call=LATER))
    assert c.tier == 5


def test_nothing_new_and_no_call_is_left_out_with_the_date():
    f = facts(
        1,
        need="n",
        remarks=(Heard(date(2026, 10, 1), None),),
        last_reflection=date(2026, 10, 5),
    )
    left = judged(f)
    assert left.kind == "quiet" and left.reason == "nothing new since 2026-10-01, no call booked"


def test_not_sold_is_closed_and_sold_only_with_a_call():
    assert judged(facts(1, stage="not-sold", next_call=SOON)).reason == "not sold: closed"
    assert judged(facts(1, stage="sold")).kind == "sold"
    assert judged(facts(1, stage="sold", next_call=SOON)).tier == 2


def test_hopeful_deals_are_flagged_for_disqualification():
    left = judged(facts(1, remarks=(Heard(date(2026, 9, 1), None),)))
    assert left.kind == "disqualify"
    assert (
        "no need stated, no decision date, no call booked, nothing heard for 85 days" in left.reason
    )


def test_answered_remarks_are_not_fresh():
    answered = (Heard(date(2026, 11, 20), None, answered=True),)
    left = judged(facts(1, need="n", remarks=answered))
    assert left.kind == "quiet"
    assert judged(facts(1, need="n", remarks=RECENT)).tier == 5


def test_passed_decision_date_is_flagged_but_eligible():
    c = judged(facts(1, need="n", decision_date=date(2026, 11, 1), next_call=SOON))
    assert c.tier == 2
    assert any("confirm a new date or disqualify" in flag for flag in c.flags)


def test_monday_call_after_the_week_counts_as_soon():
    assert call_soon(datetime(2026, 12, 7, 9, 0, tzinfo=ZONE), RULES)
    assert call_soon(datetime(2026, 12, 8, 9, 0, tzinfo=ZONE), RULES)
    assert not call_soon(datetime(2026, 12, 9, 9, 0, tzinfo=ZONE), RULES)
    assert not call_soon(datetime(2026, 11, 30, 1, 0, tzinfo=ZONE), RULES)  # inside the lead time


def test_order_inside_a_tier():
    accounts = [
        facts(1, name="Zed", next_call=LATER),
        facts(2, name="Alpha", next_call=None, remarks=RECENT * 3),
        facts(3, name="Beta", next_call=None, remarks=RECENT * 5),
        facts(4, name="Early", next_call=datetime(2026, 12, 10, 9, 0, tzinfo=ZONE)),
    ]
    names = [c.name for c in ranked(accounts).candidates]
    assert names == ["Early", "Zed", "Beta", "Alpha"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["pending", "sold", "not-sold"]),
            st.booleans(),
            st.booleans(),
            st.none() | st.dates(date(2026, 10, 1), date(2027, 3, 1)),
            st.none() | st.integers(-5, 40),
            st.lists(
                st.builds(
                    Heard,
                    st.dates(date(2026, 6, 1), date(2026, 11, 25)),
                    st.none() | st.sampled_from(["need", "cost", "risk"]),
                    st.booleans(),
                ),
                max_size=5,
            ),
        ),
        max_size=12,
    )
)
def test_every_account_appears_exactly_once_with_a_reason(rows):
    accounts = [
        facts(
            i,
            stage=stage,
            need="n" if need else None,
            consequence="c" if cons else None,
            decision_date=decision,
            next_call=None if days is None else RULES.week_start + timedelta(days=days, hours=10),
            remarks=tuple(remarks),
        )
        for i, (stage, need, cons, decision, days, remarks) in enumerate(rows)
    ]
    ranking = ranked(accounts)
    seen = [c.account_id for c in ranking.candidates] + [x.account_id for x in ranking.left_out]
    assert sorted(seen) == list(range(len(rows)))
    assert all(c.reason for c in ranking.candidates) and all(x.reason for x in ranking.left_out)
    assert [c.tier for c in ranking.candidates] == sorted(c.tier for c in ranking.candidates)


def test_calls_are_compared_as_instants_not_wall_times():
    utc = ZoneInfo("UTC")
    new_york_ten = datetime(2026, 12, 2, 10, 0, tzinfo=ZONE)  # 15:00 UTC
    utc_two = datetime(2026, 12, 2, 14, 0, tzinfo=utc)  # 09:00 in New York: earlier
    accounts = [
        facts(
            1,
            name="Later",
            next_call=new_york_ten,
            need="n",
            consequence="c",
            decision_date=date(2027, 1, 1),
        ),
        facts(
            2,
            name="Earlier",
            next_call=utc_two,
            need="n",
            consequence="c",
            decision_date=date(2027, 1, 1),
        ),
    ]
    assert [c.name for c in ranked(accounts).candidates] == ["Earlier", "Later"]


@given(
    st.lists(st.integers(0, 4 * 24 * 60), min_size=2, max_size=6, unique=True),
    st.lists(
        st.sampled_from(["UTC", "Asia/Tokyo", "Europe/Berlin", "America/Los_Angeles"]),
        min_size=6,
        max_size=6,
    ),
)
def test_writing_the_same_instants_in_other_zones_never_changes_the_order(minutes, zones):
    base = RULES.week_start + timedelta(days=1)

    def accounts(in_zones: bool):
        return [
            facts(
                i,
                name=f"A{i}",
                need="n",
                consequence="c",
                decision_date=date(2027, 1, 1),
                next_call=(base + timedelta(minutes=m)).astimezone(
                    ZoneInfo(zones[i]) if in_zones else ZONE
                ),
            )
            for i, m in enumerate(minutes)
        ]

    plain = [c.account_id for c in ranked(accounts(False)).candidates]
    mixed = [c.account_id for c in ranked(accounts(True)).candidates]
    assert plain == mixed
