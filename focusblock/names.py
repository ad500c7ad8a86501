"""Names as a person compares them (case- and accent-insensitive), names made safe for
files, and the fixed words of the method: stages, lenses, and the words people use for
a channel (model.Via)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from enum import StrEnum

from focusblock.model import Via
from focusblock.visible import INVISIBLE


def name_key(text: str) -> str:
    """'  Café  Müller GmbH' and 'cafe muller gmbh' give the same key; so do 'Acme' and
    'Ac\u200bme' (characters that print as nothing are folded away: a name pasted from a
    web page or a mail still finds its account)."""
    if text.isascii():  # no invisible character is ASCII: most names, at C speed
        return _folded(text)
    return _folded(text.translate(_NO_INVISIBLE))


def _folded(text: str) -> str:
    """Case and accents folded (NFKD), white space collapsed."""
    if text.isascii():  # NFKD changes no ASCII character, and none of them combines
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = decomposed.translate(_NO_COMBINING)
    return " ".join(stripped.casefold().split())


_NO_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))  # str.translate: each one dropped


class _Translation(dict[int, int | None]):
    """A str.translate table filled as characters are met: `rule` says what a character
    becomes (None: dropped). str.translate then runs in C, one dictionary look-up a
    character, instead of a Python expression a character (a 100,000-row import spent
    half its time in those)."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, code: int) -> int | None:
        becomes = self.rule(chr(code))
        self[code] = value = None if becomes is None else ord(becomes)
        return value


def search_key(text: str) -> str:
    """The words of `text` as `remark search` compares them: case and accents folded
    (NFKD), dots and apostrophes dropped ("don\u2019t" and "don't" are 'dont', "S.A." is
    'sa'), a comma between digit groups too ("1,800" is '1800'), every other character
    that is neither a letter nor a digit a space between words. What the store keeps in
    remark.search_text; a change here needs a migration that fills the column again."""
    # Each piece between white space folds alone (NFKD and case folding work a character
    # at a time, nothing above joins across white space), and remarks repeat their words:
    # a piece met before is a dictionary look-up, not a fold (most of a big import's time)
    return " ".join(" ".join(map(_SEARCH_PIECES.__getitem__, text.split())).split())


def _search_words_of(piece: str) -> str:
    """search_key of `piece`, folded."""
    # _folded, not name_key: invisible characters part words here as they did when the
    # stored column was filled (name_key drops them).
    # Dots and apostrophes dropped, every other character that is neither a letter nor a
    # digit a space, but for the comma the digit groups need (a space after them)
    folded = _folded(piece).translate(_SEARCH_WORDS)
    folded = _DIGIT_GROUP_COMMA.sub("", folded)  # "$1,800" is '1800', as "1.800" is
    return " ".join(folded.replace(",", " ").split())


class _Pieces(dict[str, str]):
    """search_key's pieces folded so far: at most MAX pieces, then it starts again (memory
    stays bounded whatever an import holds)."""

    MAX = 100_000

    def __missing__(self, piece: str) -> str:
        if len(self) >= self.MAX:
            self.clear()
        self[piece] = folded = _search_words_of(piece)
        return folded


_SEARCH_PIECES = _Pieces()
_DIGIT_GROUP_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


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

# How people write a channel in exports and by hand, mapped to ours.
CHANNEL_SYNONYMS = {
    "phone": Via.CALL,
    "phone call": Via.CALL,
    "video": Via.MEETING,
    "video call": Via.MEETING,
    "visit": Via.MEETING,
    "in person": Via.MEETING,
    "e-mail": Via.EMAIL,
    "mail": Via.EMAIL,
    "message": Via.CHAT,
    "slack": Via.CHAT,
    "teams": Via.CHAT,
    "sms": Via.CHAT,
    "text": Via.CHAT,
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


# The words of a CRM's activity types ('Outbound Email', 'Inbound Call', 'Video Meeting',
# 'Demo', 'LinkedIn message'), by channel, strongest first: a label naming a meeting and
# a call ('Video call') was a meeting, a call on a chat tool ('Teams call') a call.
CHANNEL_WORDS: tuple[tuple[Via, frozenset[str]], ...] = (
    (
        Via.MEETING,
        frozenset(
            [
                "meeting",
                "meetings",
                "meet",
                "video",
                "zoom",
                "webex",
                "webinar",
                "demo",
                "demonstration",
                "visit",
                "onsite",
                "presentation",
                "workshop",
                "lunch",
                "dinner",
                "conference",
                "appointment",
                "person",
            ]
        ),
    ),
    (
        Via.CALL,
        frozenset(
            [
                "call",
                "calls",
                "called",
                "phone",
                "telephone",
                "voicemail",
                "dial",
                "dialed",
                "dialled",
            ]
        ),
    ),
    (Via.EMAIL, frozenset(["email", "emails", "mail", "mails", "inmail", "newsletter"])),
    (
        Via.CHAT,
        frozenset(
            [
                "chat",
                "message",
                "messages",
                "messaging",
                "sms",
                "text",
                "whatsapp",
                "linkedin",
                "slack",
                "teams",
                "im",
                "telegram",
                "signal",
                "wechat",
            ]
        ),
    ),
)


def normalize_channel(value: str) -> Via | None:
    """Our channel for a user's word or a CRM's label ('Outbound Email' is email), or None
    when no word of it names one."""
    word = " ".join(value.strip().lower().split())
    try:
        return Via(word)
    except ValueError:
        pass
    if word in CHANNEL_SYNONYMS:
        return CHANNEL_SYNONYMS[word]
    words = set(re.sub(r"e-mail", "email", word).replace("in person", "person").split())
    words = {w for part in words for w in re.split(r"[^a-z0-9]+", part) if w}
    for channel, known in CHANNEL_WORDS:
        if words & known:
            return channel
    return None


def channel_of_label(label: str) -> Via:
    """The channel a CSV's activity type means: the nearest by its words, else other (a
    label of no channel is no reason to refuse a remark)."""
    return normalize_channel(label) or Via.OTHER


def normalize_lens(value: str) -> str | None:
    word = value.strip().lower()
    return word if word in LENSES else None


# --- telling one account from a near-duplicate of it -----------------------------------

# Legal forms that say nothing about which company it is: 'Acme Inc' is 'Acme'.
LEGAL_SUFFIXES = frozenset(
    (
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ug",
        "ev",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "bv",
        "nv",
        "ab",
        "as",
        "asa",
        "oy",
        "oyj",
        "kk",
        "pty",
        "pte",
    )
)
_DROPPED = frozenset(".'\u2019\u2018\u02bc`\u00b4")  # dots and apostrophes, typed or curly
_NO_COMBINING = _Translation(lambda ch: None if unicodedata.combining(ch) else ch)
_SEARCH_WORDS = _Translation(
    lambda ch: None if ch in _DROPPED else ch if ch.isalnum() or ch == "," else " "
)
MIN_TYPO_LETTERS = 5  # one typo in a shorter name is often another name ('Acme', 'Acne')


def match_key(text: str) -> str:
    """A looser key than name_key: quotes, punctuation, '&' for 'and' and legal suffixes
    folded away, so 'Halvorsen & Dahl AS', "halvorsen and dahl" and 'Halvorsen+Dahl' agree.

    Dots and apostrophes are dropped (so 'S.A.' is 'sa' and "O\u2019Brien" is 'obrien'); every
    other character that is neither a letter nor a digit separates words, and 'and' is
    no word of a name. A name made only of such words keeps them.
    """
    folded = name_key(text).replace("&", " and ")
    folded = "".join(ch for ch in folded if ch not in _DROPPED)
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    kept = [w for w in words if w != "and"] or words
    while len(kept) > 1 and kept[-1] in LEGAL_SUFFIXES:
        kept.pop()
    return " ".join(kept) or name_key(text)  # a name of symbols only (emoji) keeps them


def one_typo_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with exactly one letter added, dropped, changed or two
    neighbours swapped (Damerau-Levenshtein distance 1), both of 5 letters or more.

    Names that differ in their digits are never a typo of each other: "Plant 1" and
    "Plant 2", "Acme 2024" and "Acme 2025" are different customers.
    """
    if a == b or min(len(a), len(b)) < MIN_TYPO_LETTERS or abs(len(a) - len(b)) > 1:
        return False
    if [c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1 :] == b[start + 1 :]:
            return True  # one letter changed
        swapped = a[start : start + 2] == b[start : start + 2][::-1]
        return swapped and a[start + 2 :] == b[start + 2 :]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]  # one letter added or dropped


def leading_words(short: str, long: str) -> bool:
    """True when the words of match key `short` begin match key `long`, e.g. 'kestrel'
    and 'kestrel robotics': a shortened name that most likely means that account."""
    first, second = short.split(), long.split()
    return 0 < len(first) < len(second) and second[: len(first)] == first


class NameIndex:
    """Accounts' names and aliases by their match keys, for matching many typed names: a
    name is compared only with the keys one letter longer or shorter (a typo) and with
    those sharing its first word (a shortening), not with every account."""

    def __init__(self) -> None:
        self._by_key: dict[str, dict[int, str]] = {}
        self._by_length: dict[int, set[str]] = {}
        self._by_first_word: dict[str, set[str]] = {}

    def add(self, account_id: int, name: str, aliases: Iterable[str] = ()) -> None:
        """Index account `account_id` by its name and aliases (the name is what is shown)."""
        for text in (name, *aliases):
            key = match_key(text)
            self._by_key.setdefault(key, {})[account_id] = name
            self._by_length.setdefault(len(key), set()).add(key)
            self._by_first_word.setdefault(key.split(" ", 1)[0], set()).add(key)

    def lookup(self, typed: str) -> tuple[dict[int, str], dict[int, str]]:
        """The accounts `typed` is (same match key), and those it is close to: one typo
        away (names of 5+ letters) or sharing its leading words; id -> name."""
        wanted = match_key(typed)
        same = dict(self._by_key.get(wanted, {}))
        near: dict[int, str] = {}
        lengths = (len(wanted) - 1, len(wanted), len(wanted) + 1)
        typos = {
            k for n in lengths for k in self._by_length.get(n, ()) if one_typo_apart(k, wanted)
        }
        shortened = {
            k
            for k in self._by_first_word.get(wanted.split(" ", 1)[0], ())
            if leading_words(wanted, k) or leading_words(k, wanted)
        }
        for key in typos | shortened:
            near.update(self._by_key[key])
        return same, near
