"""File names made from customer names: readable, ASCII, safe on every file system."""

from __future__ import annotations

import re

from focusblock.matching import name_key


def slug(text: str, limit: int = 60) -> str:
    folded = name_key(text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return cleaned[:limit].rstrip("-") or "account"
