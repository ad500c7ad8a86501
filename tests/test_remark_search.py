"""`remark search TEXT`: every word of TEXT, in any order, case, accents, quotes and
punctuation aside, across the accounts the user sees; newest first, paged like `remark
list`. The same results on SQLite and PostgreSQL (a LIKE per word over the folded words
the store keeps in remark.search_text), also for a store upgraded from before the column."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from focusblock.store.opening import make_engine, to_url, upgrade
from focusblock.store.remarks import _like_escaped
from tests.helpers import _one_line_error, add_old_acme

pytestmark = pytest.mark.both_stores(
    "LIKE, case and collation differ between the stores; the search must not"
)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"

REMARKS = [
    # (account, text, heard_on): numbered 1.. in this order
    ("Café Müller GmbH", "Die PREISERHÖHUNG kam überraschend.", "2026-10-01"),
    ("Café Müller GmbH", "We can\u2019t sign before the \u201caudit\u201d is done.", "2026-10-05"),
    ("Northgate Freight", "The audit team can't wait, pricing is the issue", "2026-10-03"),
    ("Northgate Freight", "Nothing about that here.", "2026-10-07"),
    ("Northgate Freight", "50% of the budget_2027 goes to AUDITS", "2026-10-09"),
    ("Gone Ltd", "An audit of a deleted account", "2026-10-10"),
    ("Northgate Freight", "A deleted audit remark", "2026-10-11"),
]


@pytest.fixture
def said(run, tmp_path):
    """Three accounts' remarks: Gone Ltd deleted with its remark, and remark #7 deleted."""
    for name in ("Café Müller GmbH", "Northgate Freight", "Gone Ltd"):
        run("account", "add", name)
    lines = ["account,text,on"]
    for account, text, heard in REMARKS:
        quoted = text.replace('"', '""')
        lines.append(f'{account},"{quoted}",{heard}')
    csv = tmp_path / "said.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("remark", "import", str(csv))
    run("remark", "delete", "7")
    run("account", "delete", "Gone Ltd", "--with-remarks")
    return run


def found(run, *args: str) -> list[int]:
    return [r["id"] for r in json.loads(run("remark", "search", *args, "--json").stdout)]


def test_case_and_accents_are_folded_both_ways(said):
    assert found(said, "preiserhohung") == [1]
    assert found(said, "ÜBERRASCHEND kam") == [1]
    assert found(said, "café müller") == []  # the account's name is not the remark's words


def test_quotes_and_punctuation_do_not_matter(said):
    # typed straight, stored curly, and the other way round
    assert found(said, "can't") == [2, 3]
    assert found(said, "can\u2019t sign") == [2]
    assert found(said, "cant") == [2, 3]
    assert found(said, '"audit" done') == [2]
    assert found(said, "budget 2027") == [5]
    assert found(said, "budget_2027") == [5]
    assert found(said, "50%") == [5]


def test_every_word_in_any_order(said):
    assert found(said, "done audit") == [2]
    assert found(said, "audit pricing") == [3]
    assert found(said, "pricing audit") == [3]
    assert found(said, "audit nowhere") == []


def test_newest_first_without_deleted_remarks_or_accounts(said):
    # 5 (Oct 9: AUDITS), 2 (Oct 5), 3 (Oct 3); not 6 (account deleted) or 7 (remark deleted)
    assert found(said, "audit") == [5, 2, 3]


def test_account_and_since(said):
    assert found(said, "audit", "--account", "Northgate Freight") == [5, 3]
    assert found(said, "audit", "--since", "2026-10-04") == [5, 2]
    assert found(said, "audit", "--account", "Northgate Freight", "--since", "2026-10-04") == [5]
    missing = said("remark", "search", "audit", "--account", "Nowhere Inc", code=3)
    assert "Nowhere Inc" in _one_line_error(missing)


def test_pages_like_remark_list(said):
    page = said("remark", "search", "audit", "--limit", "2", "--json")
    assert [r["id"] for r in json.loads(page.stdout)] == [5, 2]
    assert "Showing the newest 2 of 3 remarks" in page.stderr
    every = said("remark", "search", "audit", "--all", "--json")
    assert [r["id"] for r in json.loads(every.stdout)] == [5, 2, 3]
    table = said("remark", "search", "audit", "--all").stdout
    assert table.index("#5") < table.index("#2") < table.index("#3")
    assert "3 remarks" in table


def test_json_is_the_shape_of_remark_list(said):
    listed = json.loads(said("remark", "list", "--json").stdout)
    searched = json.loads(said("remark", "search", "preiserhöhung", "--json").stdout)
    assert searched == [r for r in listed if r["id"] == 1]
    assert list(searched[0]) == ["id", "account", "text", "who", "heard_on", "via", "lens"]


def test_text_output_and_nothing_found(said):
    table = said("remark", "search", "Preiserhöhung").stdout
    assert "#1" in table and "Die PREISERHÖHUNG kam überraschend." in table
    assert said("remark", "search", "zeppelin").stdout.strip() == "No remark says 'zeppelin'."
    nothing = said("remark", "search", "zeppelin", "--all").stdout.strip()
    assert nothing == "No remark says 'zeppelin'."


def test_a_search_of_no_words_is_a_one_line_error(said):
    for text in ("%", "_", "  ", "\u201c\u201d"):
        result = said("remark", "search", text, code=4)
        assert "nothing to search for" in _one_line_error(result)


def test_like_wildcards_are_no_wildcards(said):
    # '%' and '_' fold to spaces, so a typed word is never a wildcard ('budget%2027' is
    # 'budget' and '2027'); the LIKE pattern escapes them all the same
    assert found(said, "budget%2027") == [5]
    assert found(said, "t%e") == found(said, "t e")
    assert _like_escaped("50%_a\\b") == "50\\%\\_a\\\\b"


def test_edit_restore_and_import_keep_the_search_in_step(said, run_on, tmp_path):
    said("remark", "edit", "4", "--text", "Now the Überprüfung matters.")
    assert found(said, "uberprufung") == [4]
    assert found(said, "nothing about") == []
    said("remark", "restore", "7")
    assert found(said, "deleted audit") == [7]
    # a backup restored into a new store is found the same, even with its folded words
    # changed in the file (they are made again from the text)
    document = json.loads(said("export").stdout)
    for row in document["remarks"]:
        row["search_text"] = "tampered"
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    restored = run_on(tmp_path / "restored" / "focusblock.db")
    restored("import-all", str(backup))
    assert found(restored, "audit") == found(said, "audit") == [7, 5, 2, 3]
    assert found(restored, "tampered") == []


def _search_migration():
    """The revision that adds remark.search_text, read from its file (its number may change
    when branches merge): its own id and the one before it."""
    (path,) = MIGRATIONS.glob("*_remark_search_text.py")
    spec = importlib.util.spec_from_file_location("search_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.revision, module.down_revision


@pytest.mark.fresh_store("it makes the store at the revision before the search column")
def test_upgrade_fills_the_folded_words_of_remarks_stored_before(store_target, run):
    revision, before = _search_migration()
    engine = make_engine(to_url(store_target))
    upgrade(engine, before)
    with engine.begin() as conn:
        add_old_acme(conn)
        for index, (text, deleted) in enumerate(
            (("Ça coûte TROP cher", None), ("O\u2019Brien said: trop tard", "2026-08-05 00:00:00")),
            start=1,
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO remark (id, account_id, text, heard_on, via, created_at, "
                    "text_hash, repeat, deleted_at) VALUES (:id, 1, :text, :heard, 'call', "
                    "'2026-08-01 00:00:00', :digest, 0, :deleted)"
                ),
                {
                    "id": index,
                    "text": text,
                    "heard": f"2026-08-0{index}",
                    "digest": f"h{index}",
                    "deleted": deleted,
                },
            )
    engine.dispose()
    os.environ["FOCUSBLOCK_EMAIL"] = "me"
    try:
        assert found(run, "ca coute trop") == [1]
        run("remark", "restore", "2")
        assert found(run, "obrien trop") == [2]
        assert found(run, "trop") == [2, 1]
    finally:
        del os.environ["FOCUSBLOCK_EMAIL"]
    engine = make_engine(to_url(store_target))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() != before
        folded = conn.exec_driver_sql("SELECT search_text FROM remark ORDER BY id").scalars()
        assert list(folded) == ["ca coute trop cher", "obrien said trop tard"]
    engine.dispose()
    assert revision  # the id the lead may renumber lives only in the migration's file


def test_a_merged_account_s_remarks_are_found_under_the_account_they_moved_to(said):
    said("account", "add", "Northgate Freight Limited")
    said(
        "remark", "add", "Northgate Freight Limited", "Zölle kosten uns Zeit", "--on", "2026-10-02"
    )
    said("account", "merge", "Northgate Freight Limited", "Northgate Freight")
    (moved,) = json.loads(said("remark", "search", "zolle", "--json").stdout)
    assert moved["account"] == "Northgate Freight" and moved["text"] == "Zölle kosten uns Zeit"
    assert found(said, "zeit", "--account", "Northgate Freight") == [moved["id"]]


def test_control_characters_in_what_is_found_are_shown_escaped(said):
    said(
        "remark", "add", "Northgate Freight", "Escape \x1b[31mred\x1b[0m here", "--on", "2026-10-02"
    )
    table = said("remark", "search", "escape red").stdout
    assert "\x1b" not in table
    assert "\\x1b[31mred\\x1b[0m" in table
    nothing = said("remark", "search", "\x1b[2Jgone").stdout
    assert "\x1b" not in nothing and "No remark says" in nothing


def test_every_remark_of_an_empty_store_closes_its_cursor(run):
    # `--all` streams through a server-side cursor on PostgreSQL: one nothing was read from
    # was left open (pytest saw "Exception ignored in ServerCursorMixin.__del__")
    assert run("remark", "list", "--all").stdout.strip() == "No remarks yet."
    assert json.loads(run("remark", "list", "--all", "--json").stdout) == []


def test_nothing_found_names_the_filters_that_left_everything_out(run):
    run("account", "add", "Kestrel")
    run("remark", "add", "Kestrel", "The trucks wait.", "--on", "2026-11-02")
    said = run("remark", "search", "trucks", "--since", "2026-11-20").stdout.strip()
    assert said == "No remark since 2026-11-20 says 'trucks'."


def test_a_figure_is_found_with_or_without_its_digit_group_commas(run):
    run("account", "add", "Kestrel")
    run("remark", "add", "Kestrel", "About $1,800 per wasted truck roll.")
    for typed in ("1800", "1,800", "$1,800"):
        found = json.loads(run("remark", "search", typed, "--json").stdout)
        assert len(found) == 1, typed
