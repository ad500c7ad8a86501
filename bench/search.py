#!/usr/bin/env python3
"""`remark search` over 100,000 remarks: the time per search on SQLite, and on PostgreSQL
when its server binaries are installed (a throwaway cluster, as the tests start).

    python bench/search.py [--remarks 100000] [--runs 5] [--limit-seconds 2]

Each search is timed in the process (the store's search_remarks, median of --runs), and
once as the command a user types (a fresh process: start-up included). Exits 1 when a
median is over --limit-seconds, so a slower search fails loudly. The store is generated
once per size and seed in bench/.cache (SQLite); PostgreSQL gets a new one each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402 - bench/ is not a package

ACCOUNTS = 2_000
# typed as a user would (no accents, another case, any order); the generated remarks are
# made of generate.WORDS, so 'cafe' is in about a third of them and 'nowhere' in none
SEARCHES = (
    ("one common word", "CAFE", ()),
    ("three words, any order", "paulo zurich sao", ()),
    ("four words", "smorgasbord naive roadmap renewal", ()),
    ("a word in none (every row read)", "nowhere", ()),
    ("one account", "budget", ("--account", "Customer 00042")),
    ("--since", "rollout cafe", ("--since", "2026-11-01")),
)


def timed(store: object, text: str, options: tuple[str, ...], runs: int) -> tuple[float, int]:
    """Median seconds of one search through the store, and how many remarks it found."""
    from focusblock.store.remarks import search_remarks

    account = options[1] if options[:1] == ("--account",) else None
    since = None
    if options[:1] == ("--since",):
        from datetime import date

        since = date.fromisoformat(options[1])
    times = []
    total = 0
    for _ in range(runs):
        start = time.perf_counter()
        page = search_remarks(store, text, account, limit=50, since=since)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        total = page.total
    return statistics.median(times), total


def as_a_command(target: str, text: str) -> float:
    """Seconds of `focusblock remark search TEXT --json` in a fresh process."""
    env = dict(os.environ, FOCUSBLOCK_EMAIL=generate.OWNER, FOCUSBLOCK_PLAN_PDF="false")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "focusblock", "--db", target, "remark", "search", text, "--json"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"remark search failed:\n{done.stderr.decode()[-2000:]}")
    return elapsed


def bench(name: str, target: str, runs: int, limit: float) -> list[str]:
    """Print the table of one store; the searches over `limit` seconds."""
    from focusblock.store.store import Store

    store = Store.open(target, owner=generate.OWNER)
    slow = []
    try:
        print(f"\n{name}: {target.rsplit('/', 1)[-1]}")
        print(f"{'search':40} {'found':>8} {'median ms':>10}")
        for label, text, options in SEARCHES:
            seconds, total = timed(store, text, options, runs)
            print(f"{label:40} {total:8,} {seconds * 1000:10.1f}")
            if seconds > limit:
                slow.append(f"{name}: {label} took {seconds:.2f} s")
    finally:
        store.close()
    whole = as_a_command(target, SEARCHES[1][1])
    print(f"{'the command, fresh process (3 words)':40} {'':8} {whole * 1000:10.1f}")
    return slow


def sqlite_store(remarks: int) -> str:
    path = CACHE / f"search-{remarks}.db"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        start = time.perf_counter()
        generate.generate_store(path, ACCOUNTS, remarks)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s")
    return str(path)


def postgres_store(remarks: int) -> tuple[object, str] | None:
    try:
        from tests.postgres_server import Cluster

        cluster = Cluster()
    except BaseException as exc:
        print(f"\nPostgreSQL: not measured ({exc})")
        return None
    url = cluster.new_database()
    start = time.perf_counter()
    generate.generate_store(url, ACCOUNTS, remarks)  # type: ignore[arg-type]
    # what autovacuum does soon after a big import: without the table's statistics the
    # planner joins blind and every search took 1.3-1.8 s instead of 0.3 s (measured)
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()
    print(f"generated {remarks:,} remarks on PostgreSQL in {time.perf_counter() - start:.1f} s")
    return cluster, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remarks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit-seconds", type=float, default=2.0)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("TMPDIR", tempfile.gettempdir())
    slow = bench("SQLite", sqlite_store(args.remarks), args.runs, args.limit_seconds)
    if not args.no_postgres:
        started = postgres_store(args.remarks)
        if started is not None:
            cluster, url = started
            try:
                slow += bench("PostgreSQL", url, args.runs, args.limit_seconds)
            finally:
                cluster.stop()  # type: ignore[attr-defined]
    for line in slow:
        print(f"SLOW: {line}", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
