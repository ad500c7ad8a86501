"""What made `remark import` and `remark list --all` fast must not change what they store or
show: the folded search words each remark keeps (remark.search_text) are the words the
plain per-character rule gives, for every character there is."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusblock.names import _DROPPED, _SEARCH_PIECES, name_key, search_key
from focusblock.visible import INVISIBLE

_GROUP_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _folded_by_rule(text: str) -> str:
    """names._folded as first written: one Python expression per character."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_key_by_rule(text: str) -> str:
    """search_key as it filled remark.search_text (migration 0016 and every insert since)."""
    folded = "".join(ch for ch in _folded_by_rule(text) if ch not in _DROPPED)
    folded = _GROUP_COMMA.sub("", folded)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def _every_character() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]


def test_search_words_of_every_character_are_those_stored_before():
    """Every character there is, in pieces of 512 characters."""
    every = _every_character()
    for i in range(0, len(every), 512):
        text = "".join(every[i : i + 512])
        assert search_key(text) == search_key_by_rule(text), f"from U+{ord(every[i]):04X}"
        assert name_key(text) == _folded_by_rule(text.translate(_NO_INVISIBLE))


@pytest.mark.slow
def test_search_words_of_every_character_beside_others_are_those_stored_before():
    """Each character between letters, and between digit groups ('1X,800', where a dropped
    character makes the comma a digit group's)."""
    every = _every_character()
    for i in range(0, len(every), 64):
        text = "".join(f"a{ch}b 1{ch},800 {ch}{ch.upper()} " for ch in every[i : i + 64])
        assert search_key(text) == search_key_by_rule(text), f"from U+{ord(every[i]):04X}"


_NO_INVISIBLE = {ord(ch): None for ch in INVISIBLE}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_search_words_of_any_text_are_those_stored_before(text):
    assert search_key(text) == search_key_by_rule(text)
    assert search_key(text.upper()) == search_key_by_rule(text.upper())


# white space of every kind beside what folds across it: digits and their group commas,
# dropped dots and apostrophes, combining marks, characters NFKD makes into several
TRICKY = (
    " \t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2007\u2028\u3000"
    "01239,.'\u2019\u00b4\u00a8"
    "\u0301\u0308\u0345aA\u00e9\u0130\u00df\u2474\u00bd\ufb01"
    "\u03a3\u03c3\u03c2\u0390\u0149\u01f0\u212a"
)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=40))
def test_search_words_across_white_space_are_those_stored_before(text):
    """search_key folds each piece between white space once and remembers it: the same
    words as folding the whole text, also after the memory of pieces starts again."""
    assert search_key(text) == search_key_by_rule(text)


def test_forgetting_the_pieces_changes_no_words(monkeypatch):
    monkeypatch.setattr(_SEARCH_PIECES, "MAX", 3)
    texts = ["Zürich 1,800 S.A.", "café CAFÉ", "1,800,000 don\u2019t", "Zürich\u00a0café"] * 3
    assert [search_key(t) for t in texts] == [search_key_by_rule(t) for t in texts]
    assert len(_SEARCH_PIECES) <= 3


def test_an_import_sets_the_page_cache_back_for_the_next_command(tmp_path):
    """An import raises SQLite's page cache while it writes (the indexes of a big import
    outgrow the default 2 MB); the pooled connection is given back as it was."""
    from datetime import date

    from focusblock.remark_input import parse_remarks_csv
    from focusblock.store.importing import import_remarks
    from focusblock.store.store import Store

    store = Store.open(str(tmp_path / "s.db"), owner="me@example.com")
    try:
        with store.transaction(write=False) as tx:
            default = tx.conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        raw = b"account,text,on\nAcme,budget is approved,2026-10-01\nAcme,no rollout,2026-10-02\n"
        parsed = parse_remarks_csv(raw, "notes.csv", today=date(2026, 11, 1))
        report = import_remarks(store, iter(parsed.rows), dry_run=False, new_accounts=True)
        assert report.added == 2
        with store.transaction(write=False) as tx:
            assert tx.conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == default
            stored = tx.conn.exec_driver_sql("SELECT search_text FROM remark ORDER BY id").all()
        assert [s for (s,) in stored] == ["budget is approved", "no rollout"]
    finally:
        store.close()
