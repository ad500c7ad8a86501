"""A transaction that loses a race with another command's (PostgreSQL ends one of two that
wait for each other as a deadlock, or one that read what the other changed as a
serialization failure; SQLite's busy timeout runs out): it is run again a few times where
the store says so, and what still fails is one line with exit 9 saying that nothing was
saved and to run it again; never a traceback, never half of it kept."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from focusblock.errors import BadInput, Conflict
from focusblock.model import NewRemark
from focusblock.remark_input import check_remark
from focusblock.store import opening
from focusblock.store.importing import import_remarks
from focusblock.store.store import RACE_ATTEMPTS, Store, Transaction
from focusblock.store.tables import ACCOUNT, REMARK_TABLE
from tests.helpers import start_focusblock

pytestmark = pytest.mark.both_stores(
    "row locks, deadlocks and serialization failures are PostgreSQL's; SQLite queues writers"
)

Body = Callable[[Transaction], None]


@pytest.fixture
def store(store_target: str, run) -> Store:
    run("account", "add", "Acme")
    run("account", "add", "Beta")
    opened = Store.open(store_target, owner="me", all_owners=True)
    yield opened
    opened.close()


def _ids(store: Store) -> list[int]:
    with store.transaction(write=False) as tx:
        return list(tx.conn.scalars(select(ACCOUNT.id).order_by(ACCOUNT.id)))


def crossed_writes(store: Store, run_body: Callable[[Body], None]) -> tuple[dict, Counter]:
    """Two writers at once: the first writes Acme then Beta, the second Beta then Acme, each
    waiting (up to 2 s) for the other's first write before its second. On PostgreSQL they
    then wait for each other's row lock: a deadlock. SQLite lets one writer in at a time,
    so the second begins after the first committed. What each writer ended in, and how
    many times each one's transaction ran."""
    ids = _ids(store)
    first_written = [threading.Event(), threading.Event()]
    outcomes: dict[int, str] = {}
    runs: Counter[int] = Counter()

    def writer(me: int) -> None:
        first, second = ids if me == 0 else ids[::-1]

        def body(tx: Transaction) -> None:
            runs[me] += 1
            tx.update(ACCOUNT.id, first, {ACCOUNT.need: f"writer {me}"})
            first_written[me].set()
            first_written[1 - me].wait(2)
            tx.update(ACCOUNT.id, second, {ACCOUNT.consequence: f"writer {me}"})

        try:
            run_body(body)
            outcomes[me] = "saved"
        except Conflict as exc:
            outcomes[me] = f"{exc} (exit {exc.exit_code}, hint {exc.hint})"

    threads = [threading.Thread(target=writer, args=(me,)) for me in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes, runs


def _written(store: Store) -> set[str]:
    with store.transaction(write=False) as tx:
        rows = list(tx.conn.execute(select(ACCOUNT.need, ACCOUNT.consequence)))
    needs = {f"n: {need}" for need, _ in rows if need}
    return needs | {f"c: {consequence}" for _, consequence in rows if consequence}


def test_a_deadlock_is_a_one_line_conflict_and_nothing_of_it_is_kept(store, backend):
    def in_one_transaction(body: Body) -> None:
        with store.transaction() as tx:
            body(tx)

    outcomes, runs = crossed_writes(store, in_one_transaction)
    assert runs == {0: 1, 1: 1}
    if backend == "sqlite":
        assert outcomes == {0: "saved", 1: "saved"}
        return
    assert sorted(outcomes.values()).count("saved") == 1, outcomes
    loser = next(me for me, outcome in outcomes.items() if outcome != "saved")
    assert outcomes[loser] == (
        "another focusblock command changed the same things at the same time "
        "(deadlock detected); nothing was saved; run it again (exit 9, hint None)"
    )
    winner = 1 - loser
    assert _written(store) == {f"n: writer {winner}", f"c: writer {winner}"}


def test_a_deadlocked_transaction_is_run_again_and_both_are_kept(store, backend):
    outcomes, runs = crossed_writes(store, lambda body: store.retrying(body, what="an account"))
    assert outcomes == {0: "saved", 1: "saved"}
    assert sum(runs.values()) == (2 if backend == "sqlite" else 3), runs
    assert _written(store) == {f"{c}: writer {me}" for c in "nc" for me in (0, 1)}


@pytest.mark.slow  # twenty processes
def test_parallel_edits_of_one_remark_are_kept_or_refused_in_one_line(store_target, run):
    """20 `remark edit` of one remark at once: each is stored (its text is the remark's or
    one of its earlier versions) or, having lost a race it could not retry past, says so
    in one line with exit 9; none is lost, none ends in a traceback or exit 1."""
    run("account", "add", "Acme")
    remark_id = json.loads(run("remark", "add", "Acme", "first words", "--json").stdout)["id"]
    edits = [
        start_focusblock(store_target, "remark", "edit", str(remark_id), "--text", f"edit {n}")
        for n in range(20)
    ]
    results = [(n, e.wait(timeout=300), *e.communicate()) for n, e in enumerate(edits)]
    codes = sorted(code for _, code, _, _ in results)
    print(f"20 parallel remark edit: exit codes {codes}")
    for n, code, out, err in results:
        assert code in (0, 9), (n, code, err)
        assert "Traceback" not in err, err
        if code == 0:
            assert out.startswith(f"Updated remark #{remark_id}"), out
        else:  # one line (after the line a SQLite command says when it has to wait)
            said = [line for line in err.splitlines() if not line.startswith("waiting for")]
            assert len(said) == 1 and said[0].startswith("Error: another focusblock"), err
            assert said[0].endswith("nothing was saved; run it again"), err
    stored = [f"edit {n}" for n, code, _, _ in results if code == 0]
    shown = json.loads(run("remark", "show", str(remark_id), "--json").stdout)
    history = [version["text"] for version in shown["history"]]
    final = shown["remark"]["text"]
    assert final in stored
    # each stored edit replaced the one before it: the first words, then every edit but
    # the last as an earlier version, each once
    assert history[0] == "first words"
    assert sorted([*history[1:], final]) == sorted(stored)


class DriverError(Exception):
    """What psycopg raises, as far as SQLSTATE goes."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def test_a_race_lost_every_time_ends_in_one_line_naming_it(store):
    tries: list[int] = []

    def body(tx: Transaction) -> None:
        tries.append(1)
        tx.update(ACCOUNT.id, _first_id(tx), {ACCOUNT.need: "never kept"})
        failure = DriverError("could not serialize access due to concurrent update", "40001")
        raise OperationalError("UPDATE account ...", {}, failure)

    with pytest.raises(Conflict) as raised:
        store.retrying(body, what="account 'Acme'")
    assert len(tries) == RACE_ATTEMPTS
    assert str(raised.value) == (
        "another focusblock command changed account 'Acme' at the same time "
        f"(could not serialize access due to concurrent update; tried {RACE_ATTEMPTS} times); "
        "nothing was saved; run it again"
    )
    assert raised.value.exit_code == 9 and raised.value.hint is None
    assert _written(store) == set()


def test_an_import_that_loses_a_race_says_so_in_one_line(store):
    """An import is not run again (it reads its rows once, as a stream), but a deadlock in
    it is the same one line with exit 9, not "the store refused the import" with exit 1."""

    def rows() -> Iterator[NewRemark]:
        yield check_remark("Acme", "kept only if all is", None, None, None, None, date(2026, 12, 3))
        failure = DriverError("deadlock detected", "40P01")
        raise OperationalError("INSERT INTO remark ...", {}, failure)

    with pytest.raises(Conflict) as raised:
        import_remarks(store, rows(), dry_run=False)
    assert str(raised.value) == (
        "another focusblock command changed the same things at the same time "
        "(deadlock detected); nothing was saved; run it again"
    )
    assert raised.value.exit_code == 9
    with store.transaction(write=False) as tx:
        assert tx.conn.scalar(select(func.count()).select_from(REMARK_TABLE)) == 0


def _first_id(tx: Transaction) -> int:
    return int(tx.conn.scalar(select(ACCOUNT.id).order_by(ACCOUNT.id).limit(1)) or 0)


def test_only_races_are_run_again(store):
    tries: list[int] = []

    def refused(tx: Transaction) -> None:
        tries.append(1)
        raise BadInput("not like that")

    with pytest.raises(BadInput):
        store.retrying(refused, what="account 'Acme'")

    def broken(tx: Transaction) -> None:
        tries.append(1)
        raise OperationalError("UPDATE account ...", {}, DriverError("disk I/O error", "58030"))

    with pytest.raises(OperationalError):
        store.retrying(broken, what="account 'Acme'")
    assert len(tries) == 2


@pytest.mark.sqlite_only
def test_a_sqlite_lock_that_outlasts_the_busy_timeout_is_a_conflict_not_retried(
    store, db_path, monkeypatch
):
    """It has already waited the whole busy timeout: running it again would only wait as
    long again."""
    monkeypatch.setattr(opening, "SQLITE_BUSY_TIMEOUT_MS", 200)
    impatient = Store.open(str(db_path), owner="me", all_owners=True)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    tries: list[int] = []
    try:
        with pytest.raises(Conflict) as raised:
            impatient.retrying(lambda tx: tries.append(1), what="account 'Acme'")
    finally:
        other.execute("ROLLBACK")
        other.close()
        impatient.close()
    assert str(raised.value) == (
        "another focusblock command kept the store busy for longer than focusblock waits "
        "(database is locked); nothing was saved; run it again"
    )
    assert tries == []  # it never began


@pytest.mark.sqlite_only
def test_a_command_that_waited_out_the_busy_timeout_says_so_in_one_line(run, db_path, monkeypatch):
    monkeypatch.setattr(opening, "SQLITE_QUIET_WAIT_MS", 100)
    monkeypatch.setattr(opening, "SQLITE_BUSY_TIMEOUT_MS", 300)
    run("account", "add", "Acme")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = run("remark", "add", "Acme", "not now", code=9)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.stderr.splitlines() == [
        "waiting for another focusblock command (the store is busy)...",
        "Error: another focusblock command kept the store busy for longer than focusblock "
        "waits (database is locked); nothing was saved; run it again",
    ]
