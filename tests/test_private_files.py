"""Atomic, private writes, and the temporaries that killed writers leave behind."""

from __future__ import annotations

import os
import stat
import time

from focusblock.private_files import STALE_AFTER_SECONDS, write_private


def test_write_is_private_and_replaces(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "plan.ics"
    target.write_text("old")
    write_private(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["plan.ics"]


def test_stale_temporaries_of_killed_writers_are_cleared(tmp_path):
    stale = tmp_path / ".plan.ics.abc123.tmp"
    fresh = tmp_path / ".plan.ics.def456.tmp"
    other = tmp_path / ".other.ics.ghi789.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_text("half")
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_private(tmp_path / "plan.ics", "whole")
    assert not stale.exists()
    assert fresh.exists(), "a young temporary may belong to a writer still running"
    assert other.exists(), "only this target's temporaries are touched"
