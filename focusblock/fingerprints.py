"""Short fingerprints a worksheet prints beside what it shows, so `reflect` can tell
later whether the words an answer was written about are still the remark's words, and
which question an answer was written under even if its line was edited."""

from __future__ import annotations

import hashlib

# how the machine-read line under a Markdown worksheet's title begins: a file holding it is
# one focusblock wrote, whatever the seller made of its title
WORKSHEET_MARK = "<!-- focusblock worksheet "
WORDS_LENGTH = 16  # hex digits: 64 bits, no two of one seller's remarks will share one
QUESTION_LENGTH = 12


def words_of(text: str) -> str:
    """The fingerprint of a remark's exact words as a worksheet prints it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:WORDS_LENGTH]


def question_id(text: str) -> str:
    """A question's id: its words' fingerprint (the question bank has no other key)."""
    return hashlib.sha256(b"question\0" + text.encode("utf-8")).hexdigest()[:QUESTION_LENGTH]
