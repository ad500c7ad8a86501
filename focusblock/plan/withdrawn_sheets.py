"""The worksheets of blocks a re-plan withdrew: removed from beside the .ics, when ours.

A plan writes `<week>-<account>.md` and `.html` for each block. When a later plan of the
same week withdraws that account's block, its worksheets would stay behind and be
printed with the week's packet; they are removed. Only files that are this account's
worksheets as focusblock writes them (the Markdown starts with "# Focus: <account>", the
HTML is our document with that title) are removed: a file of the same name the user
made is never touched, and neither is a symbolic link.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from pathlib import Path

from markupsafe import escape

from focusblock.names import slug

SAME_NAME_LIMIT = 10  # two accounts whose names fold alike get -2, -3, ... (plan/week.py)
HEAD_BYTES = 4096  # what is read of a file to tell whether it is ours


def withdrawn_sheets(folder: Path, week: str, account: str, keep: Collection[str]) -> list[Path]:
    """The files in `folder` that are `account`'s worksheets of `week`, written by an earlier
    plan; names in `keep` (written by this plan) are left out."""
    base = f"{week}-{slug(account)}"
    stems = [base, *(f"{base}-{n}" for n in range(2, SAME_NAME_LIMIT))]
    found = []
    for stem in stems:
        for name, ours in ((stem + ".md", _our_markdown), (stem + ".html", _our_html)):
            path = folder / name
            if name not in keep and ours(_head(path), account):
                found.append(path)
    return found


def remove(paths: list[Path]) -> tuple[str, ...]:
    """Remove the files; one already gone is no error."""
    removed = []
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(str(path))
    return tuple(removed)


def _head(path: Path) -> str:
    """The start of a regular file (not a link) as text; empty for anything else."""
    try:
        if path.is_symlink() or not path.is_file():
            return ""
        with path.open("rb") as file:
            return file.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _our_markdown(head: str, account: str) -> bool:
    return head.startswith(f"# Focus: {account}\n")


def _our_html(head: str, account: str) -> bool:
    return head.startswith("<!DOCTYPE html>") and f"<title>Focus: {escape(account)}</title>" in head
