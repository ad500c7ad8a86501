"""Before a plan rewrites or removes a week's worksheets: the answers typed into them.

A seller plans on Monday, writes answers into the week's Markdown worksheets on Tuesday,
and re-plans on Wednesday when a meeting lands. The re-plan rewrites those files (or
removes them, when a block is withdrawn), so first it reads each one exactly as
`reflect` would and stores its answers; the rewritten worksheet then shows them under
their questions. It reads every file an earlier plan recorded writing for the week, not
only those beside this plan's calendar file.

When an answer in a file cannot be stored (its remark purged or deleted since, words the
remark never had), or the file holds lines of the seller's under no question (a note
beside a remark, words typed on a question's own line, a question of their own left
unanswered), the storable answers are stored and the whole file is kept under a new name,
`<name>.answers-<when>.md`, before anything is written over it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from focusblock.byte_order import head_text, without_byte_order_mark
from focusblock.errors import FocusblockError
from focusblock.private_files import free_name
from focusblock.store.reflections import save_answers
from focusblock.store.store import Store
from focusblock.worksheet.answers import read_worksheet, stray_summary, worksheet_owner


@dataclass(frozen=True)
class KeptAnswers:
    """What a plan kept of one worksheet file the seller may have written in."""

    path: str
    saved: int  # answers stored now (the ones stored before are not counted)
    kept_as: str | None = None  # the file's new name, when some answers could not be stored
    not_stored: tuple[str, ...] = ()  # why, one line per remark


def keep_answers(
    store: Store,
    files: Mapping[str, Collection[Path]],
    replaced: Collection[Path],
    now: datetime,
) -> tuple[KeptAnswers, ...]:
    """Store the answers in each account's worksheet `files` (account name -> paths);
    a file that is in `replaced` (this plan writes over or removes it) and holds answers
    that cannot be stored is first renamed, so no writing is lost."""
    kept = []
    seen: set[Path] = set()
    about_to_go = {_key(path) for path in replaced}
    for account, paths in files.items():
        for path in paths:
            key = _key(path)
            if key in seen:
                continue
            seen.add(key)
            outcome = _keep(store, account, path, key in about_to_go, now)
            if outcome is not None:
                kept.append(outcome)
    return tuple(kept)


def _keep(
    store: Store, account: str, path: Path, about_to_go: bool, now: datetime
) -> KeptAnswers | None:
    data = _read(path)
    if data is None:
        return None
    try:
        text = without_byte_order_mark(data).decode("utf-8")
    except UnicodeDecodeError:
        # read as far as it reads (a UTF-16 file cut at an odd byte too): a worksheet of
        # ours is kept aside, never left to be written over
        if worksheet_owner(head_text(data), account) is None:
            return None
        return _set_aside(path, about_to_go, now, 0, ("not UTF-8 text: its answers not read",))
    title = worksheet_owner(text, account)  # a plan wrote it for this account
    if title is None:
        return None  # not a worksheet focusblock wrote: the writer refuses to replace it
    read = read_worksheet(text)
    answers = read.answers
    # lines under no question matter only in a file about to be written over
    summary = stray_summary(read.stray) if about_to_go else None
    stray = (summary,) if summary else ()
    if not answers and not read.earlier:
        return _set_aside(path, about_to_go, now, 0, stray) if stray else None
    try:
        report = save_answers(
            store, account, answers, now, sheet_of=title, keep_going=True, earlier=read.earlier
        )
    except FocusblockError as exc:  # another account's file, or an account gone
        return _set_aside(path, about_to_go, now, 0, (str(exc),))
    if report.not_stored or stray:
        why = (*report.not_stored, *stray)
        return _set_aside(path, about_to_go, now, report.saved, why)
    return KeptAnswers(str(path), report.saved) if report.saved else None


def _set_aside(
    path: Path, about_to_go: bool, now: datetime, saved: int, why: tuple[str, ...]
) -> KeptAnswers:
    """Keep the whole file under a new name if this plan is about to replace it."""
    if not about_to_go:
        return KeptAnswers(str(path), saved, None, why)
    new = free_name(path, f"answers-{now:%Y%m%dT%H%M%S}")
    os.replace(path, new)
    return KeptAnswers(str(path), saved, str(new), why)


def _read(path: Path) -> bytes | None:
    """A regular file's bytes (not a link: never followed to somewhere else); None when
    there is nothing to read."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_bytes()
    except OSError:
        return None


def _key(path: Path) -> Path:
    """One file however its path was spelled."""
    return Path(os.path.abspath(path))
