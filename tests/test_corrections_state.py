"""Any sequence of corrections loses no text: a hypothesis state machine over the store.

Steps: add accounts and remarks, import rows (some naming near-duplicates), edit, delete
and restore remarks, rename, merge, delete and restore accounts. After every step:

- every text ever stored is in `export`, as a remark or an earlier version of one;
- a remark is flagged deleted in the export exactly when it was deleted and not restored;
- `remark list` shows exactly the remarks neither deleted nor of a deleted account.

Inverse steps check that a correction undoes exactly: delete then restore (remark or
account) gives back the very same export; edit then edit back gives back the same export
but for the two versions kept; rename then rename back gives it back but for the alias
the interim name leaves (every name an account has had keeps finding it). A merge has no
inverse (which of INTO's aliases and domains came from FROM is not kept); what it must
show is the invariants above: no text lost, nothing flagged that was not deleted.
Runs against SQLite through the store functions; a migrated template store is copied for
each example, so the machine stays within seconds.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from focusblock.errors import FocusblockError
from focusblock.model import NewRemark
from focusblock.names import name_key
from focusblock.remark_input import check_remark
from focusblock.store import account_corrections as accounts_fix
from focusblock.store import remark_corrections as remarks_fix
from focusblock.store.accounts import AccountFields, add_account, list_accounts
from focusblock.store.importing import import_remarks
from focusblock.store.portable import export_all
from focusblock.store.remarks import add_remark, list_remarks
from focusblock.store.store import Store

pytestmark = pytest.mark.slow  # a state machine: 30 runs of 15 steps over a store

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
NAMES = ["Acme Corp", "Globex Industries", "Initech", "Umbrella Health", "Océane Cosmétiques"]
# what a CSV might say for them: loose matches, typos, shortenings, strangers
IMPORT_NAMES = [*NAMES, "ACME corp, Inc.", "Globx Industries", "Initech GmbH", "Umbrella", "Zeta"]
RENAMES = ["Acme Corporation", "Globex", "Initech Labs", "Umbrella", "Wayne Enterprises"]
TEXTS = st.one_of(
    st.sampled_from(["Close takes six days.", "Budget is frozen.", "We lost two controllers."]),
    st.text(alphabet="abcxyz \u2019'&\n<>#", min_size=1, max_size=24).filter(lambda t: t.strip()),
)
DAYS = st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 9, 5))
LENSES = st.sampled_from([None, "need", "cost", "worry"])

_TEMPLATE: Path | None = None


def _template() -> Path:
    """A store migrated once; each example works on a copy of it."""
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="focusblock-state-"))
        _TEMPLATE = folder / "template.db"
        Store.open(str(_TEMPLATE), owner="me").close()
    return _TEMPLATE


def _remark(account: str, text: str, day: date, lens: str | None = None) -> NewRemark:
    return check_remark(account, text, None, day.isoformat(), "call", lens, today=day)


def _without(document: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != key}


class Corrections(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="focusblock-state-"))
        path = self.folder / "store.db"
        shutil.copy(_template(), path)
        self.store = Store.open(str(path), owner="me")
        self.texts: set[str] = set()  # every text ever stored
        self.deleted: set[int] = set()  # remarks deleted and not restored

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- what the store holds now ------------------------------------------------------

    def export(self) -> dict[str, Any]:
        return export_all(self.store)

    def live_accounts(self) -> list[str]:
        return sorted(a.name for a in list_accounts(self.store))

    def deleted_accounts(self) -> list[str]:
        return sorted(a["name"] for a in self.export()["accounts"] if a["deleted_at"])

    def remark_ids(self, deleted: bool) -> list[int]:
        document = self.export()
        hidden = {a["id"] for a in document["accounts"] if a["deleted_at"]}
        return sorted(
            r["id"]
            for r in document["remarks"]
            if r["account_id"] not in hidden and (r["deleted_at"] is not None) == deleted
        )

    def attempt(self, action: Any) -> bool:
        """Run a correction; a refusal (a one-line error) must change nothing."""
        before = self.export()
        try:
            action()
        except FocusblockError:
            assert self.export() == before
            return False
        return True

    # --- steps ---------------------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES))
    def add_account(self, name: str) -> None:
        self.attempt(lambda: add_account(self.store, name, AccountFields()))

    @precondition(lambda self: self.live_accounts())
    @rule(data=st.data(), text=TEXTS, day=DAYS, lens=LENSES, again=st.booleans())
    def add_remark(
        self, data: st.DataObject, text: str, day: date, lens: str | None, again: bool
    ) -> None:
        account = data.draw(st.sampled_from(self.live_accounts()))
        if self.attempt(lambda: add_remark(self.store, _remark(account, text, day, lens), again)):
            self.texts.add(text)

    @rule(
        rows=st.lists(st.tuples(st.sampled_from(IMPORT_NAMES), TEXTS, DAYS), max_size=4),
        new_accounts=st.booleans(),
    )
    def import_rows(self, rows: list[tuple[str, str, date]], new_accounts: bool) -> None:
        parsed = [_remark(name, text, day) for name, text, day in rows]
        if self.attempt(
            lambda: import_remarks(self.store, parsed, False, new_accounts=new_accounts)
        ):
            self.texts.update(text for _, text, _ in rows)

    @precondition(lambda self: self.remark_ids(deleted=False))
    @rule(data=st.data(), text=st.none() | TEXTS, day=st.none() | DAYS, lens=LENSES)
    def edit(
        self, data: st.DataObject, text: str | None, day: date | None, lens: str | None
    ) -> None:
        remark_id = data.draw(st.sampled_from(self.remark_ids(deleted=False)))
        changes = {"text": text, "on": day.isoformat() if day else None, "lens": lens or ""}
        edited = self.attempt(
            lambda: remarks_fix.edit_remark(self.store, remark_id, NOW, **changes)
        )
        if edited and text is not None:
            self.texts.add(text)

    @precondition(lambda self: self.remark_ids(deleted=False))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        ids = data.draw(st.sets(st.sampled_from(self.remark_ids(deleted=False)), min_size=1))
        if self.attempt(lambda: remarks_fix.delete_remarks(self.store, sorted(ids), NOW)):
            self.deleted |= ids

    @precondition(lambda self: self.remark_ids(deleted=True))
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        remark_id = data.draw(st.sampled_from(self.remark_ids(deleted=True)))
        if self.attempt(lambda: remarks_fix.restore_remark(self.store, remark_id)):
            self.deleted.discard(remark_id)

    @precondition(lambda self: self.live_accounts())
    @rule(data=st.data(), new=st.sampled_from(RENAMES))
    def rename(self, data: st.DataObject, new: str) -> None:
        old = data.draw(st.sampled_from(self.live_accounts()))
        self.attempt(lambda: accounts_fix.rename_account(self.store, old, new))

    @precondition(lambda self: len(self.live_accounts()) >= 2)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        source, target = data.draw(st.permutations(self.live_accounts()))[:2]
        self.attempt(lambda: accounts_fix.merge_accounts(self.store, source, target, NOW))

    @precondition(lambda self: self.live_accounts())
    @rule(data=st.data(), with_remarks=st.booleans())
    def delete_account(self, data: st.DataObject, with_remarks: bool) -> None:
        name = data.draw(st.sampled_from(self.live_accounts()))
        self.attempt(lambda: accounts_fix.delete_account(self.store, name, with_remarks, NOW))

    @precondition(lambda self: self.deleted_accounts())
    @rule(data=st.data())
    def restore_account(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(self.deleted_accounts()))
        self.attempt(lambda: accounts_fix.restore_account(self.store, name))

    # --- corrections and their inverses -----------------------------------------------

    @precondition(lambda self: self.remark_ids(deleted=False))
    @rule(data=st.data())
    def delete_then_restore(self, data: st.DataObject) -> None:
        remark_id = data.draw(st.sampled_from(self.remark_ids(deleted=False)))
        before = self.export()
        remarks_fix.delete_remarks(self.store, [remark_id], NOW)
        remarks_fix.restore_remark(self.store, remark_id)
        assert self.export() == before

    @precondition(lambda self: self.live_accounts())
    @rule(data=st.data())
    def delete_account_then_restore(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(self.live_accounts()))
        before = self.export()
        accounts_fix.delete_account(self.store, name, with_remarks=True, now=NOW)
        accounts_fix.restore_account(self.store, name)
        assert self.export() == before

    @precondition(lambda self: self.remark_ids(deleted=False))
    @rule(data=st.data(), text=TEXTS, lens=LENSES)
    def edit_then_edit_back(self, data: st.DataObject, text: str, lens: str | None) -> None:
        remark_id = data.draw(st.sampled_from(self.remark_ids(deleted=False)))
        before = self.export()
        old = next(r for r in before["remarks"] if r["id"] == remark_id)
        if not self.attempt(
            lambda: remarks_fix.edit_remark(self.store, remark_id, NOW, text=text, lens=lens or "")
        ):
            return
        self.texts.add(text)
        remarks_fix.edit_remark(
            self.store, remark_id, NOW, text=old["text"], lens=old["lens"] or ""
        )
        after = self.export()
        assert _without(after, "remark_revisions") == _without(before, "remark_revisions")
        added = after["remark_revisions"][len(before["remark_revisions"]) :]
        assert added == [] or [r["text"] for r in added] == [old["text"], text]

    @precondition(lambda self: self.live_accounts())
    @rule(data=st.data())
    def rename_then_rename_back(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(self.live_accounts()))
        interim = "Interim Name 7"
        before = self.export()
        if not self.attempt(lambda: accounts_fix.rename_account(self.store, name, interim)):
            return
        accounts_fix.rename_account(self.store, interim, name)
        after = self.export()
        old = {a["id"]: a for a in before["accounts"]}
        for account in after["accounts"]:
            was = old[account["id"]]
            if account["aliases"] != was["aliases"]:  # the renamed one: the interim name stays
                others = [a for a in was["aliases"] if name_key(a) != name_key(interim)]
                assert account["aliases"] == [*others, interim]
            strip = ("aliases", "updated_at")
            assert {k: v for k, v in account.items() if k not in strip} == {
                k: v for k, v in was.items() if k not in strip
            }
        assert _without(after, "accounts") == _without(before, "accounts")

    # --- what must hold after any sequence --------------------------------------------

    @invariant()
    def no_text_is_lost_and_deletions_are_flagged(self) -> None:
        document = self.export()
        kept = {r["text"] for r in document["remarks"]}
        kept |= {r["text"] for r in document["remark_revisions"]}
        assert self.texts <= kept
        flagged = {r["id"] for r in document["remarks"] if r["deleted_at"] is not None}
        assert flagged == self.deleted

    @invariant()
    def lists_show_exactly_what_is_not_deleted(self) -> None:
        listed = list_remarks(self.store).remarks
        assert sorted(r.id for r in listed) == self.remark_ids(deleted=False)


Corrections.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_corrections_never_lose_a_text() -> None:
    Corrections.TestCase().runTest()
