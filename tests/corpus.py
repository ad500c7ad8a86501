"""Access to ../shared/corpus/calendars: present in CI, maybe absent in a user's clone."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*/*.ics")) if CORPUS.is_dir() else []


def require_corpus() -> None:
    if CORPUS.is_dir():
        return
    message = f"the shared calendar corpus is not at {CORPUS}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must have it")
    pytest.skip(f"{message} (a user's clone has no ../shared); corpus tests skipped")


def manifest_status() -> dict[str, str]:
    """file (relative to the corpus) -> 'reads' or 'fails', from MANIFEST.md's last column."""
    text = (CORPUS / "MANIFEST.md").read_text(encoding="utf-8")
    pattern = re.compile(r"^\| `([^`]+\.ics)` \|.*\| (reads|fails)[^|]*\|\s*$", re.MULTILINE)
    return {m.group(1): m.group(2) for m in pattern.finditer(text)}


def corpus_params() -> list:
    files = corpus_files()
    if not files:
        return [pytest.param(None, id="corpus-missing")]
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in files]
