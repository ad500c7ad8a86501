"""Names as a person compares them (case- and accent-insensitive), names made safe for
files, and the fixed words of the method: stages, channels and lenses."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


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


def slug(text: str, limit: int = 60) -> str:
    folded = name_key(text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return cleaned[:limit].rstrip("-") or "account"


class Stage(StrEnum):
    PENDING = "pending"
    SOLD = "sold"
    NOT_SOLD = "not-sold"


STAGES = tuple(stage.value for stage in Stage)

CHANNELS = ("call", "meeting", "email", "chat", "other")

# How people write a channel in exports and by hand, mapped to ours.
CHANNEL_SYNONYMS = {
    "phone": "call",
    "phone call": "call",
    "video": "meeting",
    "video call": "meeting",
    "visit": "meeting",
    "in person": "meeting",
    "e-mail": "email",
    "mail": "email",
    "message": "chat",
    "slack": "chat",
    "teams": "chat",
    "sms": "chat",
    "text": "chat",
}

# The one definition of the compelling-need facts, used by the ranking and the worksheet:
# the need is stated when the account's need is set or a remark carries NEED_LENS; the
# consequence of doing nothing, when it is set or a remark carries CONSEQUENCE_LENS.
NEED_LENS = "need"
CONSEQUENCE_LENS = "cost"

LENSES = (
    "need",
    "success",
    "risk",
    "worry",
    "change",
    "personal",
    "drive",
    "timing",
    "cost",
    "value",
    "objection",
    "decision",
)


def normalize_channel(value: str) -> str | None:
    """Our channel for a user's word, or None when it is not one we know."""
    word = " ".join(value.strip().lower().split())
    if word in CHANNELS:
        return word
    return CHANNEL_SYNONYMS.get(word)


def normalize_lens(value: str) -> str | None:
    word = value.strip().lower()
    return word if word in LENSES else None
