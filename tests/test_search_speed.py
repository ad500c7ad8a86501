"""`remark search` over 100,000 remarks (bench/generate.py's store, as bench/search.py
measures it): each search bounded in time, and its count the same as folding every
remark's text in Python and checking the words one by one."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from focusblock.names import search_key
from focusblock.store.remarks import search_remarks
from focusblock.store.store import Store

BENCH = Path(__file__).resolve().parent.parent / "bench"
BOUND_SECONDS = 5.0  # measured 0.25-1.1 s on a loaded 2-core machine; a scan per word


@pytest.mark.slow
def test_search_over_100000_remarks_is_bounded_and_exact(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path / "big.db"
    generate.generate_store(path, 2_000, 100_000)
    store = Store.open(str(path), owner=generate.OWNER)
    try:
        with store.engine.connect() as conn:
            texts = conn.exec_driver_sql("SELECT text FROM remark").scalars().all()
        assert len(texts) == 100_000
        folded = [search_key(t) for t in texts]
        for typed in ("ZURICH", "paulo sao", "smorgasbord naive roadmap", "nowhere"):
            words = search_key(typed).split()
            expected = sum(all(w in f for w in words) for f in folded)
            start = time.perf_counter()
            page = search_remarks(store, typed, limit=50)
            elapsed = time.perf_counter() - start
            assert elapsed < BOUND_SECONDS, f"{typed!r} took {elapsed:.2f} s"
            assert page.total == expected
            assert len(page.remarks) == min(50, expected)
            newest = [(r.heard_on, r.id) for r in page.remarks]
            assert newest == sorted(newest, reverse=True)
    finally:
        store.close()
