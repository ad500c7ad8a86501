"""What a customer said, made into remarks a worksheet can quote (pure): names as a person
writes them, long turns cut at sentence ends, filler left out."""

from __future__ import annotations

import re
from collections.abc import Iterator

from focusblock.names import name_key

MAX_WORDS = 60  # a remark a worksheet can quote: longer turns are cut at sentence ends
LONGEST_SENTENCE = 3  # times MAX_WORDS: a sentence longer than that is no sentence, it is cut

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
    sentences kept together up to `max_words` each. A single sentence stays whole up to
    three times that; longer (speech-to-text without punctuation, a pasted log) it is cut
    every `max_words` words, so no remark outgrows what a worksheet can quote."""
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
        if words > max_words * LONGEST_SENTENCE:
            if current:
                pieces.append(" ".join(current))
                current, count = [], 0
            pieces.extend(_word_runs(sentence, max_words))
            continue
        if current and count + words > max_words:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(sentence)
        count += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def _word_runs(sentence: str, size: int) -> Iterator[str]:
    """A one-spaced sentence cut every `size` words, found by their spaces, not listed."""
    start = 0
    while start < len(sentence):
        end = start
        for _ in range(size):
            space = sentence.find(" ", end + 1)
            if space < 0:
                end = len(sentence)
                break
            end = space
        yield sentence[start:end]
        start = end + 1


def speaker_key(name: str) -> str:
    """A speaker's name as compared: "Meyer, Jonas (ACME)" and "jonas meyer" are one;
    a bracketed note after a name (a company, "Guest", "External") is left out."""
    return name_key(person_name(re.sub(r"\s*[(\[][^)\]]*[)\]]\s*$", "", name)))


def address_key(address: str) -> str:
    """An address's local part as a name: jonas.meyer@acme.example is "jonas meyer"."""
    local = address.strip().lower().removeprefix("mailto:").strip("<>").partition("@")[0]
    return name_key(re.sub(r"[._-]+", " ", local))


# words that make a signature's line read as a job title ("Head of Logistics", "CFO",
# "Leiter Einkauf", "Einkaufsleiterin"); a German compound ending in -leiter(in) counts too
_TITLE_WORD = re.compile(
    r"\b(head|director|manager|lead|vp|svp|evp|vice[ -]president|chief|ceo|cfo|cto|coo|cio|"
    r"cmo|cro|cpo|officer|engineer|buyer|procurement|purchasing|analyst|consultant|"
    r"specialist|coordinator|owner|founder|co-founder|partner|president|controller|"
    r"treasurer|administrator|architect|supervisor|superintendent|accountant|"
    r"geschäftsführer(in)?|vorstand|prokurist(in)?|einkäufer(in)?|einkauf|referent(in)?|"
    r"sachbearbeiter(in)?|\w*leiter(in)?|\w*leitung)\b",
    re.IGNORECASE,
)
# what a title line never holds: a phone or street number, an address on the web or in
# mail, a label ("Tel:", "Office:"), or a company's legal form (then it names the company)
_NO_TITLE = re.compile(
    r"\d|@|https?:|www\.|\.(com|de|net|org|io|co|example)\b|:|"
    r"\b(gmbh|ag|kg|se|inc|ltd|llc|plc|corp|corporation|s\.a|sarl|bv|oy|ab)\b\.?",
    re.IGNORECASE,
)
_PART_SEPARATOR = re.compile(r"\s*[|·•]\s*|\s+[-\u2013\u2014]\s+")
_TITLE_MAX_WORDS = 8  # longer lines are sentences (a disclaimer, a slogan), not titles
_LINES_AFTER_NAME = 3  # a title is written right under the name, or on its line


def role_in_signature(signature: str, name: str) -> str | None:
    """The sender's job title as their signature says it ("Head of Logistics"), or None.

    The title is the part after "|", "," or a dash on the line that gives `name`, or a line just
    under it (without the name in the signature: one of its first lines) that holds a
    title word (head, director, manager, CFO, Leiter...) and nothing that reads as a
    phone, an address, a company or a sentence. Cautious: no role beats a wrong one.
    """
    lines = [" ".join(line.split()) for line in signature.splitlines()]
    lines = [line for line in lines if line and line not in {"--", "-- "}]
    wanted = _name_words(name)
    for index, line in enumerate(lines):
        parts = _PART_SEPARATOR.split(line)
        first, _, after_comma = parts[0].partition(",")
        if _is_name(first, wanted):
            rest = [after_comma, *parts[1:]] if after_comma else parts[1:]
            return _first_title(rest) or _first_title(
                lines[index + 1 : index + 1 + _LINES_AFTER_NAME]
            )
    return None if any(wanted & _name_words(line) for line in lines) else _first_title(lines[:4])


def _is_name(text: str, wanted: set[str]) -> bool:
    """Whether `text` gives the name whose words are `wanted`, perhaps with a title or a
    middle name ("Dr. Klaus Werner", "Jonas K. Meyer"); a mail address gives no name."""
    if "@" in text:
        return False
    words = _name_words(text)
    return bool(wanted) and wanted <= words and len(words) <= len(wanted) + 2


def _name_words(text: str) -> set[str]:
    """The words of a name, compared without case: "Meyer, Jonas" gives jonas and meyer."""
    return {word.casefold() for word in re.findall(r"[^\W\d_]+", person_name(text))}


def _first_title(candidates: list[str]) -> str | None:
    for line in candidates:
        for part in _PART_SEPARATOR.split(line):
            title = _title(part) or next(
                (t for t in map(_title, part.split(",")) if t is not None), None
            )
            if title is not None:
                return title
    return None


def _title(text: str) -> str | None:
    title = " ".join(text.split()).strip(" -\u2013\u2014,;/")  # dashes and separators around it
    if not title or len(title.split()) > _TITLE_MAX_WORDS or _NO_TITLE.search(title):
        return None
    if not title[0].isalpha() or title.endswith((".", "!", "?")):
        return None
    return title if _TITLE_WORD.search(title) else None


# "I'm the head of logistics", "I am Head of Operations here", "as CFO, I ...", "my role is
# procurement lead": a speaker saying their own title
_SAYS_ROLE = re.compile(
    r"\b(?:i['\u2019]m|i am|as|my role is|my title is|i work as)\s+(?:the\s+|a\s+|an\s+|our\s+)?"
    r"(?P<title>[^\W\d_][\w&' -]{1,60}?)(?=\s*(?:[,.;:!?]|\bhere\b|\bat\b|\bfor\b|\band\b|$))",
    re.IGNORECASE,
)


def role_in_words(text: str) -> str | None:
    """The speaker's own job title when their words say it ("I'm the head of logistics"
    gives "head of logistics"), or None; cautious like role_in_signature."""
    for found in _SAYS_ROLE.finditer(text):
        title = _title(found["title"])
        # the title word leads ("head of logistics", "senior buyer"), or it is no title:
        # "I am happy with the manager" says nothing of their role
        if title and len(title.split()) <= 5 and _TITLE_WORD.search(" ".join(title.split()[:2])):
            return title
    return None


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
