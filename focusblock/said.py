"""What a customer said, made into remarks a worksheet can quote (pure): names as a person
writes them, long turns cut at sentence ends, filler left out."""

from __future__ import annotations

import re

from focusblock.names import name_key

MAX_WORDS = 60  # a remark a worksheet can quote: longer turns are cut at sentence ends

# back-channel and filler: said, but nothing a seller could reflect on
FILLER = frozenset(
    {
        "mm-hmm", "mhm", "uh-huh", "hmm", "okay", "ok", "yeah", "yes", "yep", "no", "right",
        "sure", "thanks", "thank you", "great", "cool", "got it", "exactly", "i see", "ja",
        "genau", "danke", "oui", "d'accord", "alright", "perfect", "sounds good",
    }
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'“(\[]?[A-ZÀ-ÖØ-Þ0-9])")


def person_name(raw: str) -> str:
    """A name as a person would write it: "Meyer, Jonas" is Jonas Meyer; quotes and a
    mail address in angle brackets are left out."""
    name = re.sub(r"<[^>]*>", "", raw).strip().strip("\"'").strip()
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if last and first and " " not in last:
            name = f"{first} {last}"
    return " ".join(name.split())


def is_filler(text: str) -> bool:
    """Back-channel ("mm-hmm", "okay", "thanks") or a fragment of a single word ("Too
    expensive." is no filler)."""
    words = re.sub(r"[^\w\s'-]", " ", text.casefold()).split()
    return len(words) <= 1 or " ".join(words) in FILLER


def remarks_of(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """One turn's words as remarks: whole when short; cut at sentence ends when longer,
    sentences kept together up to `max_words` each (a single longer sentence stays whole)."""
    text = " ".join(text.split())
    if len(text.split()) <= max_words:
        return [text] if text else []
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in _SENTENCE_END.split(text):
        words = len(sentence.split())
        if current and count + words > max_words:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def speaker_key(name: str) -> str:
    """A speaker's name as compared: "Meyer, Jonas (ACME)" and "jonas meyer" are one;
    a bracketed note after a name (a company, "Guest", "External") is left out."""
    return name_key(person_name(re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", name)))


def address_key(address: str) -> str:
    """An address's local part as a name: jonas.meyer@acme.example is "jonas meyer"."""
    local = address.strip().lower().removeprefix("mailto:").strip("<>").partition("@")[0]
    return name_key(re.sub(r"[._-]+", " ", local))
