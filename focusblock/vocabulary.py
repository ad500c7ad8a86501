"""The fixed words of the method: stages, channels and lenses (see METHOD.md)."""

STAGES = ("pending", "sold", "not-sold")

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
