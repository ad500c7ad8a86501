"""Comparing names the way a person does: case- and accent-insensitive."""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    """'  Café  Müller GmbH' and 'cafe muller gmbh' give the same key."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def normalize_domain(text: str) -> str:
    domain = text.strip().lower().lstrip("@")
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    return domain.rstrip(".")
