"""What a customer said, made into remarks a worksheet can quote (pure): names as a person
writes them, long turns cut at sentence ends, filler left out."""

from __future__ import annotations

import re
from collections.abc import Iterator

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
    # words counted by the spaces between them, never listed: a transcript of one line is
    # one turn of up to 20 MB, and a list of its words took 12 times that
    text = _one_spaced(text)
    if _word_count(text) <= max_words:
        return [text] if text else []
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in _sentences(text):
        words = _word_count(sentence)
        if current and count + words > max_words:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        pieces.append(" ".join(current))
    return pieces


_PIECE_CHARS = 65_536  # of a long text made one-spaced at a time
_SPACE = re.compile(r"\s")


def _one_spaced(text: str) -> str:
    """The text's words one space apart, as " ".join(text.split()) makes them, a piece at
    a time (each cut where a space is), so no list of every word is ever held."""
    if len(text) <= _PIECE_CHARS:
        return " ".join(text.split())
    pieces: list[str] = []
    start = 0
    while start < len(text):
        space = _SPACE.search(text, start + _PIECE_CHARS)
        end = len(text) if space is None else space.start()
        piece = " ".join(text[start:end].split())
        if piece:
            pieces.append(piece)
        start = end
    return " ".join(pieces)


def _sentences(text: str) -> Iterator[str]:
    """The sentences of a one-spaced text, one at a time."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        yield text[start : end.start()]
        start = end.end()
    yield text[start:]


def _word_count(text: str) -> int:
    """The words of a one-spaced text."""
    return text.count(" ") + 1 if text else 0
