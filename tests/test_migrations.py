"""The schema: created by the migrations, in step with the models, guarded against newer code,
and upgrades that keep the rows stored before."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zipfile

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from focusblock.store.opening import make_engine, migrations_dir, to_url, upgrade
from focusblock.store.schema import HEAD, KNOWN_REVISIONS
from focusblock.store.store import Store
from focusblock.store.tables import METADATA
from tests.helpers import add_old_acme, all_remarks, count_remarks


def test_known_revisions_match_the_migration_scripts():
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(config)
    walked = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(walked) == KNOWN_REVISIONS
    assert script.get_current_head() == HEAD


@pytest.mark.both_stores("upgrades: the migrations build the models' schema, types and all")
def test_models_and_migrations_do_not_drift(store_target):
    store = Store.open(store_target, owner="me")
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, METADATA)
    finally:
        store.close()
    assert diff == []


def test_sqlite_pragmas_are_on(db_path):
    store = Store.open(str(db_path), owner="me")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    store.close()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sqlite_only
def test_newer_database_is_refused_and_left_unchanged(run, db_path):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "keep me")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _digest(db_path)
    result = run("account", "list", code=6)
    assert "newer than this focusblock knows" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _digest(db_path) == before
    assert not list(db_path.parent.glob("*.before-upgrade-*"))


@pytest.mark.sqlite_only
def test_foreign_database_is_refused(run, db_path):
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER)")
    conn.close()
    result = run("account", "list", code=6)
    assert "not made by focusblock" in result.stderr


@pytest.mark.sqlite_only
def test_garbage_file_is_a_one_line_error(run, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database" * 100)
    result = run("account", "list", code=6)
    assert "cannot open the database" in result.stderr


@pytest.mark.slow
@pytest.mark.slow  # builds a wheel
def test_built_wheel_carries_the_migrations(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("focusblock-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "focusblock/_migrations/env.py" in names
    assert "focusblock/_migrations/script.py.mako" in names
    for revision in KNOWN_REVISIONS:
        assert any(n.startswith(f"focusblock/_migrations/versions/{revision}_") for n in names)


def test_store_can_be_made_from_a_new_engine_twice(db_path):
    Store.open(str(db_path), owner="me").close()
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD


OLD_REMARKS = [
    ("Month-end close takes six days.", "2026-08-04", "need"),
    ("Line one\nline two; with a comma, and 'quotes'", "2026-09-01", None),
    ("Ωμέγα Привет 👋", "2026-10-01", "worry"),
]


def _fill_at_revision(path, revision):
    from focusblock.store.opening import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, revision)
    with engine.begin() as conn:
        add_old_acme(conn)
        for index, (text, heard, lens) in enumerate(OLD_REMARKS, start=1):
            conn.exec_driver_sql(
                "INSERT INTO remark (id, account_id, text, heard_on, via, lens, created_at) "
                "VALUES (?, 1, ?, ?, 'call', ?, '2026-08-01 00:00:00')",
                (index, text, heard, lens),
            )
    engine.dispose()


@pytest.mark.parametrize("revision", KNOWN_REVISIONS[:-1])
@pytest.mark.sqlite_only
def test_upgrade_from_every_earlier_revision_keeps_every_remark(
    run, db_path, revision, monkeypatch
):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me")
    db_path.parent.mkdir(parents=True)
    _fill_at_revision(db_path, revision)
    import json

    remarks = json.loads(run("remark", "list", "--json").stdout)
    assert [(r["text"], r["heard_on"], r["lens"]) for r in remarks] == OLD_REMARKS
    backups = list(db_path.parent.glob(f"*.before-upgrade-from-{revision}-*"))
    assert len(backups) == 1
    assert oct(backups[0].stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
        assert conn.execute("SELECT COUNT(*) FROM remark").fetchone()[0] == len(OLD_REMARKS)
    conn.close()
    run("account", "list")
    assert len(list(db_path.parent.glob("*.before-upgrade-*"))) == 1  # at head: no new backup


@pytest.mark.sqlite_only
def test_revision_0009_rehashes_edited_remarks_and_numbers_twins(run, db_path, monkeypatch):
    """A store edited before 0009: remark 1 went from 'six' to 'seven' days with its hash
    left at 'six', then 'seven' was added again on that date (the stale hash let it in)."""
    import hashlib
    import json

    from focusblock.store.opening import upgrade

    def fingerprint(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me")
    db_path.parent.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0008")
    with engine.begin() as conn:
        add_old_acme(conn)
        for remark_id, text, stored_hash in (
            (1, "We close in seven days.", fingerprint("We close in six days.")),
            (2, "We close in seven days.", fingerprint("We close in seven days.")),
            # a chain: 3 went from "eight" to "nine", 4 from "nine" to "ten"; 3 must not be
            # taken for a twin of 4's old words
            (3, "Nine days.", fingerprint("Eight days.")),
            (4, "Ten days.", fingerprint("Nine days.")),
        ):
            conn.exec_driver_sql(
                "INSERT INTO remark (id, account_id, text, heard_on, via, created_at, "
                "text_hash, repeat) VALUES (?, 1, ?, '2026-11-02', 'call', "
                "'2026-08-01 00:00:00', ?, 0)",
                (remark_id, text, stored_hash),
            )
        for remark_id, old in ((1, "We close in six days."), (3, "Eight days."), (4, "Nine days.")):
            conn.exec_driver_sql(
                "INSERT INTO remark_revision (remark_id, text, heard_on, via, replaced_at) "
                "VALUES (?, ?, '2026-11-02', 'call', '2026-11-03 00:00:00')",
                (remark_id, old),
            )
    engine.dispose()
    exported = json.loads(run("export").stdout)["remarks"]
    assert [(r["id"], r["text_hash"], r["repeat"]) for r in exported] == [
        (1, fingerprint("We close in seven days."), 1),
        (2, fingerprint("We close in seven days."), 0),
        (3, fingerprint("Nine days."), 0),
        (4, fingerprint("Ten days."), 0),
    ]
    # the old words are no stored remark's fingerprint now, only an earlier version's
    refused = run("remark", "add", "Acme", "We close in six days.", "--on", "2026-11-02", code=4)
    assert "remark #1 of 'Acme' said that on 2026-11-02 before it was corrected" in refused.stderr
    run("remark", "add", "Acme", "We close in six days.", "--on", "2026-11-02", "--again")


@pytest.mark.both_stores("upgrades: a migration adds a unique index over rows already stored")
@pytest.mark.fresh_store("it migrates the store one revision at a time itself")
def test_upgrade_keeps_duplicates_stored_before_and_refuses_new_ones(store_target, run):
    """A store at 0004 may hold exact duplicates (the old check-then-insert raced): after the
    upgrade every one of them is still there, and no further copy can be added."""
    engine = make_engine(to_url(store_target))
    upgrade(engine, "0004")
    with engine.begin() as conn:
        add_old_acme(conn)
        for index in (1, 2, 3):
            conn.exec_driver_sql(
                "INSERT INTO remark (id, account_id, text, heard_on, via, created_at) "
                f"VALUES ({index}, 1, 'twice told', '2026-08-02', 'call', '2026-08-01 00:00:00')"
            )
        conn.exec_driver_sql(
            "INSERT INTO reflection (account_id, remark_id, question, answer, written_at) "
            "VALUES (1, 2, 'q', 'an answer about the second copy', '2026-08-03 00:00:00')"
        )
    engine.dispose()
    os.environ["FOCUSBLOCK_EMAIL"] = "me"
    try:
        assert [r["id"] for r in all_remarks(run)] == [1, 2, 3]
        result = run("remark", "add", "Acme", "twice told", "--on", "2026-08-02", code=4)
        assert "already stored" in result.stderr
    finally:
        del os.environ["FOCUSBLOCK_EMAIL"]
    assert count_remarks(store_target) == 3
