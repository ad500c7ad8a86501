"""What the store sums up of an account's remarks for the ranking, on every backend: how
many, their lenses (the latest used first), the latest day heard, and how many are fresh."""

from __future__ import annotations

from datetime import UTC, date, datetime

from focusblock.model import NewRemark, Via
from focusblock.store.accounts import AccountFields, add_account
from focusblock.store.planning import planning_facts
from focusblock.store.reflections import save_answers
from focusblock.store.remark_corrections import delete_remarks
from focusblock.store.remarks import add_remark
from focusblock.store.store import Store
from focusblock.store.views import Answer

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _remark(account: str, text: str, day: int, lens: str | None) -> NewRemark:
    return NewRemark(account, text, None, date(2026, 11, day), Via.CALL, lens)


def test_counts_lenses_latest_and_fresh_remarks(store_target):
    store = Store.open(store_target, owner="me")
    try:
        add_account(store, "Acme", AccountFields())
        add_account(store, "Bolt", AccountFields())
        add_account(store, "Quiet", AccountFields())
        ids = {}
        for text, day, lens in [
            ("old need", 2, "need"),
            ("old cost", 3, "cost"),
            ("answered risk", 10, "risk"),
            ("newer need", 10, "need"),  # same day as the risk, stored after it
            ("no lens", 12, None),
            ("deleted timing", 14, "timing"),
        ]:
            ids[text] = add_remark(store, _remark("Acme", text, day, lens)).id
        add_remark(store, _remark("Bolt", "only one", 1, "value"))
        delete_remarks(store, [ids["deleted timing"]], NOW)
        # a reflection on 5 November: remarks heard after it are fresh unless answered
        answers = [
            Answer(None, "What is their need?", "Uptime."),
            Answer(ids["answered risk"], "Why does it worry them?", "Audits."),
        ]
        save_answers(store, "Acme", answers, datetime(2026, 11, 5, 9, tzinfo=UTC), "Acme")

        facts = {f.name: f for f in planning_facts(store, "2026-W49").accounts}
    finally:
        store.close()
    acme, bolt, quiet = facts["Acme"], facts["Bolt"], facts["Quiet"]
    assert acme.remark_count == 5
    assert acme.lenses == ("need", "risk", "cost")
    assert acme.last_heard == date(2026, 11, 12)
    assert acme.fresh == 2  # "newer need" and "no lens"; the risk is answered
    assert (bolt.remark_count, bolt.lenses, bolt.last_heard, bolt.fresh) == (
        1,
        ("value",),
        date(2026, 11, 1),
        1,
    )
    assert (quiet.remark_count, quiet.lenses, quiet.last_heard, quiet.fresh) == (0, (), None, 0)
