#!/usr/bin/env python3
"""Whether a change made to speed up `remark import` and `remark list` changed what they
give: the same CSV imported with two source trees, and the same store listed by both,
must give the same bytes.

    bench/same_outputs.py BEFORE_TREE AFTER_TREE CSV STORE [--account NAME]

BEFORE_TREE and AFTER_TREE are checkouts of focusblock (e.g. a `git worktree` of main and
this branch), run with this Python (its packages: sqlalchemy, click, ...). CSV is a remarks
file (cut the bench's big one with the csv module, never with `head`); STORE a store with
an account of many remarks (bench/.cache/store-account-100000.db; it is copied, never
written). Compared: the import's report (text, and --json of a second import that skips
every row), every stored remark and account (search_text included), `export` as JSON and
CSV (the import's own timestamps blanked), `remark list --all` (text and --json) and
`remark search` of a few words. Prints each output as same or DIFFERENT; exit 1 if any
differs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

SEARCHES = ("budget", "sao paulo", "zurich", "cafe", "1800", "quartalsgesprach", "привет")
# created_at of the rows an import adds: the time of that run
STAMP = re.compile(rb"20\d\d-\d\d-\d\d[T ][0-9:.]+(\+00:00|Z)?")


def outputs(tree: Path, csv_file: Path, store: Path, account: str, work: Path) -> dict[str, bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "FOCUSBLOCK_TIMEZONE": "America/New_York",
        "FOCUSBLOCK_EMAIL": "bench@example.com",
        "FOCUSBLOCK_NOW": "2026-11-25T09:00:00-05:00",
        "FOCUSBLOCK_CONFIG": str(work / "none.toml"),
        "XDG_CACHE_HOME": str(work / "cache"),
    }
    (work / "none.toml").write_text("")

    def run(db: Path, *args: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-m", "focusblock", "--db", str(db), *args],
            env=env,
            capture_output=True,
            timeout=3600,
        )
        return done.stdout + b"\n--- stderr, exit %d\n" % done.returncode + done.stderr

    imported = work / "imported.db"
    got = {"import": run(imported, "remark", "import", str(csv_file))}
    got["import again --json"] = run(imported, "remark", "import", str(csv_file), "--json")
    for form in ("json", "csv"):
        out = work / f"export.{form}"
        run(imported, "export", "--format", form, "--out", str(out))
        got[f"export --format {form}"] = STAMP.sub(b"TS", out.read_bytes())
    got["remark list --all --json (imported)"] = run(imported, "remark", "list", "--all", "--json")
    for words in SEARCHES:
        got[f"remark search {words!r}"] = run(
            imported, "remark", "search", words, "--all", "--json"
        )
    got["stored rows"] = _stored(imported)
    listed = work / "listed.db"
    shutil.copy(store, listed)
    run(listed, "account", "list")  # brings it to the tree's schema before it is listed
    got["remark list --all"] = run(listed, "remark", "list", account, "--all")
    got["remark list --all --json"] = run(listed, "remark", "list", account, "--all", "--json")
    got["remark list"] = run(listed, "remark", "list", account)
    return got


def _stored(db: Path) -> bytes:
    digest = hashlib.sha256()
    with sqlite3.connect(db) as conn:
        for row in conn.execute(
            "SELECT id, account_id, text, who, heard_on, via, lens, imported_from, text_hash,"
            " deleted_at, repeat, search_text FROM remark ORDER BY id"
        ):
            digest.update(repr(row).encode())
        for row in conn.execute("SELECT id, name, name_key, owner FROM account ORDER BY id"):
            digest.update(repr(row).encode())
    return digest.hexdigest().encode()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("csv", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--account", default="Big Account")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="focusblock-same-"))
    try:
        (work / "before").mkdir()
        (work / "after").mkdir()
        before = outputs(args.before.resolve(), args.csv, args.store, args.account, work / "before")
        after = outputs(args.after.resolve(), args.csv, args.store, args.account, work / "after")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    differ = [name for name in before if before[name] != after[name]]
    for name in before:
        print(
            f"{'DIFFERENT' if name in differ else 'same':<10} {name} ({len(after[name]):,} bytes)"
        )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
