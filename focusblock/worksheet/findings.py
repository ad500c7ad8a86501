"""What a seller must probe in one remark, found by reading its words: amounts of money,
shares, lengths of time, counts, rates, names of things, dates, people, roles, other vendors,
hedges, conditions, refusals, frequencies, past attempts and comparisons.

Pure and deterministic: regular expressions and word lists, no model and no network. Each
finding is a slice of the remark (`text[start:end] == phrase`, code-point offsets, end
exclusive) with its kind and the details of that kind (the amount read, the thing counted,
the tense of a date, ...), so a question can quote the customer's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from focusblock.worksheet import finding_words as words
from focusblock.worksheet.finding_dates import date_details

KINDS: tuple[str, ...] = (
    "money",
    "percent",
    "duration",
    "count",
    "rate",
    "identifier",
    "date",
    "person",
    "role",
    "vendor",
    "hedge",
    "condition",
    "refusal",
    "frequency",
    "past_attempt",
    "comparison",
)
# Kinds that read a number or a time: one stretch of words is at most one of them.
_QUANTITIES = frozenset(
    ("money", "percent", "duration", "count", "rate", "identifier", "date", "frequency")
)


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    phrase: str  # exactly as it appears in the remark: text[start:end]
    start: int
    end: int
    # what the kind reads from the words (GUIDE of the labelled set): amount, currency,
    # value, unit, thing, per, tense, limit, name, role, relation; JSON-able values only
    details: Mapping[str, Any] = field(default_factory=dict, compare=True)


def findings(text: str, heard_on: date, own_names: Collection[str] = ()) -> list[Finding]:
    """What `text` says that a seller must probe, in reading order.

    `heard_on`, the day the remark was heard, tells a past date from a future one.
    `own_names` (the customer's account, our own product) are never taken for a vendor.
    Findings of one kind never overlap, nor do two findings that read a number or a time;
    where they would, the longer phrase wins."""
    found: list[Finding] = []
    for rule in _RULES:
        found.extend(rule(text, heard_on))
    owned = _owned_names(own_names)
    found = [f for f in found if not (f.kind == "vendor" and f.phrase.casefold() in owned)]
    # "Head of Fleet Operations": capitalised words inside a title are no person's name
    titles = [(f.start, f.end) for f in found if f.kind == "role"]
    found = [
        f
        for f in found
        if not (f.kind == "person" and any(s <= f.start and f.end <= e for s, e in titles))
    ]
    chosen: list[Finding] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), KINDS.index(f.kind), f.start)):
        if not any(_clash(item, other) for other in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: (f.start, KINDS.index(f.kind)))


def _owned_names(own_names: Collection[str]) -> set[str]:
    """The names that are never a vendor: each own name and its leading words, since a
    customer says "Nordwind" for "Nordwind Logistik GmbH" (a first word of three letters or
    fewer, "The", "ABC", is too common to stand for the name alone)."""
    owned: set[str] = set()
    for name in own_names:
        parts = name.casefold().split()
        owned.update(" ".join(parts[:n]) for n in range(1, len(parts) + 1))
        if parts and (len(parts[0]) <= 3 or parts[0] in ("the", "die", "der", "la", "le")):
            owned.discard(parts[0])
    owned.update(name.casefold() for name in own_names if name)
    owned.discard("")
    return owned


def _clash(a: Finding, b: Finding) -> bool:
    overlap = a.start < b.end and b.start < a.end
    same = a.kind == b.kind or (a.kind in _QUANTITIES and b.kind in _QUANTITIES)
    return overlap and (same or {a.kind, b.kind} == {"person", "vendor"})


# --- numbers -------------------------------------------------------------------------------


def _alt(items: Collection[str]) -> str:
    """A pattern matching any of `items`, the longest first, written as a tree of shared
    beginnings ("s(?:ite|ku|tation)"): Python's engine tries a flat alternation word by word
    at every position, which made long lists the extractor's slowest part."""
    tree: dict[str, Any] = {}
    for item in items:
        node = tree
        for char in item:
            node = node.setdefault(char, {})
        node[""] = {}  # an item ends here
    return "(?:" + _branches(tree) + ")"


def _branches(node: dict[str, Any]) -> str:
    longer = [re.escape(char) + _branches(child) for char, child in node.items() if char]
    if not longer:
        return ""
    body = longer[0] if len(longer) == 1 else "(?:" + "|".join(longer) + ")"
    # an item may end here: going on is tried first (greedy), so the longest item wins
    return f"(?:{body})?" if "" in node else body


_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_WORD = _alt(words.NUMBER_WORDS)
_SPELLED = (
    rf"(?:{_WORD}|(?:a|one)\s(?:hundred|thousand))(?:(?:-|\s|\sand\s)(?:{_WORD}|hundred|thousand))*"
)
_NOUN_NUMBER = r"half\sa\sdozen|a\sdozen|a\scouple\sof(?:\shundred)?|a\sfew\shundred|dozens\sof"
_SCALE = r"(?:\s?(?:k|m|mn|bn)\b|\s(?:thousand|million|billion)\b)"
NUMBER = rf"(?:{_NOUN_NUMBER}|{_DIGITS}|{_SPELLED})"


def read_number(phrase: str) -> float | None:
    """The number that opens `phrase`: digits, words ("forty-five", "a hundred and fifty"),
    nouns ("a dozen", "a couple of"), with a scale ("1.8 million", "$90k")."""
    lowered = phrase.lower().strip()
    match = re.match(rf"(?:{NUMBER})({_SCALE})?", lowered)
    if not match:
        return None
    scale_words = match.group(1)
    core = lowered[: match.start(1)] if scale_words else match.group(0)
    value = _number_core(core.strip())
    if value is None:
        return None
    if scale_words:
        scale = scale_words.strip()
        value *= words.SCALE_SIGNS.get(scale) or words.SCALE_WORDS[scale]
    return round(value, 4)


def _number_core(core: str) -> float | None:
    if re.fullmatch(_DIGITS, core):
        return float(core.replace(",", ""))
    if core.startswith("dozens"):
        return 24.0
    for noun, value in sorted(words.NUMBER_NOUNS.items(), key=lambda kv: -len(kv[0])):
        if core == noun:
            return float(value)
        if core.startswith(noun + " "):
            rest = _number_core(core[len(noun) + 1 :])
            return None if rest is None else value * rest
    if core in words.SCALE_WORDS:
        return float(words.SCALE_WORDS[core])
    from text_to_num import text2num

    try:
        return float(text2num(re.sub(r"^(?:a|one)\s", "one ", core), "en"))
    except ValueError:
        return None


# --- patterns, each with the rule that turns a match into a finding -----------------------

_I = re.IGNORECASE
Rule = Callable[[str, date], Iterator[Finding]]
_RULES: list[Rule] = []


def _rule(pattern: str, flags: int = _I) -> Callable[[Callable[..., Any]], Rule]:
    """Registers a rule: `make(match, text, heard_on)` gives (kind, start, end, details) or
    None for each match of `pattern` (compiled when first used)."""

    def register(make: Callable[..., Any]) -> Rule:
        @cache
        def compiled() -> re.Pattern[str]:
            return re.compile(pattern, flags)

        def run(text: str, heard_on: date) -> Iterator[Finding]:
            for match in compiled().finditer(text):
                made = make(match, text, heard_on)
                for kind, start, end, details in made if isinstance(made, list) else [made]:
                    if kind and end > start:
                        yield Finding(kind, text[start:end], start, end, details)

        _RULES.append(run)
        return run

    return register


_NONE: list[Any] = []
_PERIOD = _alt(words.PERIODS)
_CURRENCY_WORD = _alt(list(words.CURRENCY_WORDS))
_MONEY = (
    rf"(?:[$€£¥]\s?{_DIGITS}{_SCALE}?"
    rf"|(?:USD|EUR|GBP|CHF)\s?{_DIGITS}{_SCALE}?"
    rf"|(?:{_DIGITS}|{_SPELLED}){_SCALE}?\s?{_CURRENCY_WORD}\b"
    # an amount in thousands is money even without its currency ("anything above 50k")
    rf"|{_DIGITS}\s?k\b)"
)


def _currency(phrase: str) -> str | None:
    for sign, code in words.CURRENCY_SIGNS.items():
        if sign in phrase:
            return code
    for word, named in words.CURRENCY_WORDS.items():
        if re.search(rf"\b{word}\b", phrase, _I):
            return named
    return None


def _money_amount(phrase: str) -> float | None:
    return read_number(re.sub(r"^(?:[$€£¥]|USD|EUR|GBP|CHF)\s?", "", phrase))


@_rule(rf"(?<![\w$€£¥]){_MONEY}(?P<per>\s(?:a|an|per|each)\s{_PERIOD}\b)?")
def _money(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    money = phrase[: match.start("per") - match.start()] if match.group("per") else phrase
    amount = _money_amount(money)
    currency = _currency(money)
    if match.group("per"):
        per = match.group("per").split()[-1].lower()
        return (
            "rate",
            match.start(),
            match.end(),
            {"amount": amount, "per": per, "unit": currency},
        )
    return ("money", match.start(), match.end(), {"amount": amount, "currency": currency})


_PERCENT_FRACTION = _alt(words.FRACTIONS)


@_rule(
    rf"\b(?P<n>{_DIGITS}|{_SPELLED})\s?(?:%|percent\b|per\scent\b)"
    rf"|\b(?P<f>{_PERCENT_FRACTION})\b(?!\s(?:an?\s)?(?:hour|day|week|month|year|dozen|mile)s?\b)"
)
def _percent(match: re.Match[str], text: str, heard_on: date) -> Any:
    if match.group("f"):
        fraction = match.group("f").lower()
        after = text[match.end() :]
        if fraction == "a quarter" and not re.match(r"\s+of\b", after):
            return _NONE  # "once a quarter", "in a quarter": a period, not a share
        return ("percent", match.start(), match.end(), {"value": words.FRACTIONS[fraction]})
    return ("percent", match.start(), match.end(), {"value": read_number(match.group("n"))})


_UNIT = r"(?P<unit>minute|hour|day|week|month|quarter|year)s?"
_TIME = (
    rf"(?P<n>{NUMBER}|half\san?|an?)(?:\s(?:to|or|-)\s{NUMBER})?[\s-]"
    rf"(?:working\s|business\s)?{_UNIT}"
)


@_rule(rf"\b{_TIME}\b(?P<per>\s(?:a|an|per|each)\s{_PERIOD}\b)?")
def _duration(match: re.Match[str], text: str, heard_on: date) -> Any:
    before = text[: match.start()]
    after = text[match.end() :]
    amount = read_number(match.group("n"))
    unit = match.group("unit").lower()
    if match.group("per"):
        per = match.group("per").split()[-1].lower()
        if per == unit:
            return _NONE
        details = {"amount": amount, "per": per, "unit": unit + "s"}
        return ("rate", match.start(), match.end(), details)
    if re.match(r"\s(?:ago|back|later|earlier|from\snow)\b", after, _I):
        return _NONE  # a date (its own rule)
    if re.search(r"\b(?:every|each|once|twice|times|per|by|up|down)\s$", before, _I):
        return _NONE  # "every six weeks" is a frequency
    in_some = re.search(r"\bin\s$", before, _I) and match.group("n").lower() not in ("a", "an")
    taken = re.search(r"\b(?:paid|pays?|done|finished|takes?|took|delivered)\b[^.,;]*$", before, _I)
    if in_some and not taken:
        return _NONE  # "in two weeks" is a date; "paid in 60 days" a length of time
    if match.group("n").lower() in ("a", "an") and re.search(
        r"(?:\d%?|\b(?:times|once|twice))\s$", before, _I
    ):
        return _NONE  # "twice a day", "200 returns a day": the period of something else
    return ("duration", match.start(), match.end(), {"amount": amount, "unit": unit})


_ID_WORDS = (
    "depot release line order version gate ticket ward room store werk unit building plant "
    "hall dock bay site warehouse terminal route platform phase level floor block po invoice "
    "case lot batch shelf aisle zone lane ISO SOC android ios windows office module model type "
    "class tier grade section hangar stand berth track "
    # things a site, a fleet, a project or a system names by number
    "sku build job asset station machine cell contract sprint firmware patch trailer truck "
    "van vehicle lorry bus tank pump press oven kiln robot server node cluster region policy "
    "claim project wave stage step milestone item part form clause article chapter annex "
    "appendix lab bed theatre clinic school campus shop branch outlet kitchen flight vessel "
    "crane forklift locker door pier quay yard incident request rfq rfp tender quote serial "
    "edition generation gen series mark mk app api"
)
_ID_ALT = _alt(_ID_WORDS.split())
# Naming words that are also verbs: "we order 500 units", "we store 200 pallets" count.
_ID_VERB_WORDS = (
    "order store release build patch stand track block class type model stage step form "
    "quote request claim press book ship park dock"
)
_ID_VERBS = frozenset(_ID_VERB_WORDS.split())

# nouns that follow a number without it counting things
_NOT_THINGS = [
    "times",
    "percent",
    "per",
    "cent",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "quarters",
    "o'clock",
    "am",
    "pm",
    "of",
    "and",
    "or",
    "to",
    "in",
    "on",
    "at",
    "the",
    "a",
    "for",
    "is",
    "are",
    "was",
    "were",
    "than",
    "more",
    "less",
    "dollars",
    "euros",
    "pounds",
    "k",
    "m",
    "bn",
    "million",
    "billion",
    "thousand",
    "hundred",
    "grand",
    "weeks",
]
_THING = (
    rf"(?!(?:{'|'.join(_NOT_THINGS)})\b)"
    r"(?:(?:[a-zà-ÿ][\w-]*|[A-Z]{2,})\s){0,2}"
    r"(?!(?:has|is|was|does|goes|says|this|us|yes|his|its|as|plus|less|unless|thus|always|"
    r"perhaps|towers|whereas)\b)"
    r"(?:[a-zà-ÿ][\w-]*[^su\W]s|[A-Z]{2,}s|people|staff|children|men|women|sheep|fleet|"
    r"equipment|personnel)"
)


@_rule(
    rf"\b(?P<n>(?i:{NUMBER}{_SCALE}?|both))\s(?P<thing>{_THING})\b"
    rf"(?P<per>\s(?:a|an|per|each)\s{_PERIOD}\b)?"
    rf"|\b(?P<n2>(?i:{NUMBER}))\sof\s(?P<of>them|us|those|these|(?:the|our|their|its)\s[a-z][\w-]*)\b",
    0,
)
def _count(match: re.Match[str], text: str, heard_on: date) -> Any:
    before = text[: match.start()]
    if re.search(r"[$€£¥]\s?$|(?:USD|EUR|GBP|CHF)\s$", before):
        return _NONE
    naming = re.search(rf"(?i:\b(?P<word>{_ID_ALT}|every|each|any|no))\s$", before)
    if naming and not (
        naming.group("word").lower() in _ID_VERBS and _said_as_verb(before[: naming.start()])
    ):
        return _NONE  # "depot 7 has", "every one of them": a name or no number at all
    if re.search(r"[\w.#-]$", before):
        return _NONE  # "v2.4 of the app": the tail of a code, not a number of its own
    if (match.group("n") or match.group("n2") or "").lower() == "one":
        return _NONE  # "one" is a pronoun far more often than a count
    if match.group("n2"):
        thing = match.group("of").split()[-1].lower()
        amount = read_number(match.group("n2"))
        return ("count", match.start(), match.end(), {"amount": amount, "thing": thing})
    number = match.group("n")
    thing_words = match.group("thing").split()
    # an adjective left in front of the noun is dropped from the thing, the noun kept whole
    thing = " ".join(thing_words).lower()
    amount = 2.0 if number.lower() == "both" else read_number(number)
    if amount is None or re.fullmatch(r"(?:19|20)\d\d", number):
        return _NONE
    if match.group("per"):
        per = match.group("per").split()[-1].lower()
        details = {"amount": amount, "per": per, "unit": thing_words[-1].lower()}
        return ("rate", match.start(), match.end(), details)
    return ("count", match.start(), match.end(), {"amount": amount, "thing": thing})


_CODE_TAIL = r"(?:[\w/-]|\.(?=\w))*"  # "55-201", "5.1", "3.2.1"; never a sentence's full stop


@_rule(
    rf"\b(?P<word>{_ID_ALT})\s(?:(?:no\.|nr\.|number|#)\s?)?(?:\d{_CODE_TAIL}|(?-i:[A-Z]\d*|v\d+(?:\.\d+)*))\b(?!\s?%)"
    rf"|(?<![\w#])#\d{_CODE_TAIL}"
    r"|\bv\d+(?:\.\d+)*\b|\b[A-Z]{1,3}\d{1,4}[A-Z]?\b"
    r"|\b(?!COVID)[A-Z]{1,5}-\d{2,}(?:-\d+)*\b"
)
def _identifier(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    if re.fullmatch(r"[QH][1-4]", phrase) or re.match(r"(?i)(?:line|order|level)\s[A-Z]$", phrase):
        return _NONE
    after = text[match.end() :]
    if " " in phrase and phrase[0].islower() and re.match(r"\s(?:a|an|per|of|times)\b", after):
        return _NONE  # "store 5 items a day" is no name
    word = (match.group("word") or "").lower()
    if word in _ID_VERBS and _said_as_verb(text[: match.start()]):
        return _NONE  # "we order 500 units": the verb and a count
    return ("identifier", match.start(), match.end(), {})


def _said_as_verb(before: str) -> bool:
    """Whether a naming word that is also a verb ("order", "store") is a verb here: said
    after a subject or a modal."""
    return bool(
        re.search(
            r"\b(?:we|they|I|you|to|will|can|would|could|should|must|and|or|then|also|usually|"
            r"often|just|only|never|we'd|we'll)\s$",
            before,
            _I,
        )
    )


# --- dates ---------------------------------------------------------------------------------

_MONTH = _alt((*words.MONTHS, *(m.capitalize() for m in words.MONTHS)))
_WEEKDAY = _alt(words.WEEKDAYS)
_SEASON = _alt(words.SEASONS)
_HOLIDAY = _alt(words.HOLIDAYS)
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_PERIOD_WORD = r"(?:year|quarter|month|week|spring|summer|autumn|fall|winter|year-end)"
_DAY_MONTH = (
    rf"(?:the\s)?{_ORD}\s(?:of\s)?{_MONTH}(?:\s{_YEAR})?"
    rf"|{_MONTH}\s{_ORD}(?:,?\s{_YEAR})?"
    rf"|(?:mid-|early\s|late\s)?{_MONTH}(?:\s{_YEAR})?"
)
_DATE_CORE = (
    rf"(?:{_DAY_MONTH}"
    rf"|(?:the\s)?(?:end|start|beginning|middle|close)\sof\s(?:the\s|next\s|this\s)?"
    rf"(?:{_PERIOD_WORD}|{_MONTH}|Q[1-4])"
    rf"|(?:last|next|this|coming|previous)\s(?:{_PERIOD_WORD}|{_WEEKDAY}|{_MONTH})"
    rf"|(?:the\s)?{_SEASON}(?:\s{_YEAR})?"
    rf"|{_HOLIDAY}"
    rf"|Q[1-4](?:\s{_YEAR})?|H[12]\s{_YEAR}"
    rf"|{_YEAR}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_WEEKDAY}"
    rf"|the\s\d{{1,2}}(?:st|nd|rd|th)"
    rf"|(?:tomorrow|yesterday|tonight|then|that|that\sdate|go-live|launch))"
)
_DATE_OPEN = (
    r"(?:(?:no\slater\sthan|not\sbefore|not\suntil|no\searlier\sthan|before|until|till|by|in|on|"
    r"from|since|during|after|between|as\sof|starting|ahead\sof|around)\s)"
)
_DATE_TAIL = (
    rf"(?:\s(?:and|to|-)\s(?:the\s)?{_DAY_MONTH})?"
    rf"(?:\s(?:last|next|this)\s(?:year|month))?(?:\s(?:at\snoon|at\sthe\slatest))?(?:'s)?"
)


@_rule(rf"\b{_DATE_OPEN}?{_DATE_CORE}\b{_DATE_TAIL}")
def _date(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    bare = re.sub(_DATE_OPEN, "", phrase, count=1, flags=_I).lower().removesuffix("'s")
    if bare in ("then", "that", "that date", "launch", "go-live") and phrase.lower() == bare:
        return _NONE  # "then" and "that" alone are no dates
    if bare in ("then", "that") and not re.match(r"(?i)by|before|until", phrase):
        return _NONE
    if bare in ("may", "march", "fall", "peak") and phrase.lower() == bare:
        return _NONE  # a verb far more often than a month
    if bare in ("peak",) and not phrase.lower().startswith("by"):
        return _NONE
    if re.fullmatch(r"\d{4}", bare) and re.match(r"\s?(?:[a-z]+s|hours|%)\b", text[match.end() :]):
        return _NONE
    return ("date", match.start(), match.end(), date_details(phrase, text, match.start(), heard_on))


@_rule(
    rf"\b(?:{NUMBER}|a|an|a\sfew|several)\s(?:minute|hour|day|week|month|year)s?\s(?:ago|back)\b"
    rf"|\bin\s(?:{NUMBER}|a\sfew)\s(?:minute|hour|day|week|month|year)s?\b"
    r"|\b(?:until|before|till|ahead\sof)\s(?:the|our|their|your)\s"
    r"(?!(?:same|other|first|rest|whole|way|time|people|one|end|start|data|team|system)\b)"
    r"(?:[a-z][\w-]*\s){0,3}?(?:[a-z][\w-]*(?=[.,;]|$)|[a-z][\w-]*?(?:s|ed)\b|[a-z][\w-]*(?=\s(?:is|are|has|goes|starts|"
    r"closes|ends|signs|opens)\b))(?:\s(?:starts|closes|ends|signs|opens|begins|is\sover|"
    r"goes\slive|in\s" + _MONTH + r"|start\sin\s" + _MONTH + r"))?"
    r"|\b(?:year|quarter)-end\b|\bdeadline\b"
    r"|\bavant\sla\sfin\sde\sl'année\b|\bil\sy\sa\s[a-zé]+\s(?:ans|mois|semaines)\b"
    r"|\bbis\sEnde\s[A-Z][a-z]+\b|\bbis\s(?:zum\s)?\d{1,2}\.\s?[A-Z][a-z]+\b"
)
def _relative_date(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    if phrase.lower() == "deadline":
        return _NONE
    return ("date", match.start(), match.end(), date_details(phrase, text, match.start(), heard_on))


# --- frequency -----------------------------------------------------------------------------

_FREQ_UNIT = (
    rf"(?:minute|hour|day|night|week|weekend|month|quarter|year|shift|morning|evening|"
    rf"afternoon|time|run|{_WEEKDAY}|{_WEEKDAY}\s(?:night|morning|evening))"
)


@_rule(
    rf"\b(?:every|each)\s(?:single\s|other\s)?(?:{NUMBER}\s)?{_FREQ_UNIT}s?\b"
    rf"|\b(?:once|twice|(?:{NUMBER})\stimes)\s(?:a|an|per|every|each)\s{_FREQ_UNIT}\b"
    rf"|\bon\s{_WEEKDAY}s\b"
    r"|\b(?:daily|weekly|monthly|nightly|hourly|quarterly|yearly|annually|fortnightly|"
    r"termly|biweekly)\b"
)
def _frequency(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    if re.fullmatch(r"(?i)each\s(?:day|week|month|year|time)", phrase) and re.search(
        r"\d", text[: match.start()][-12:]
    ):
        return _NONE
    return ("frequency", match.start(), match.end(), {})


# --- people, roles, vendors ----------------------------------------------------------------

_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'\u2019]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?"
_HONORIFIC = r"(?:Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?|Herr|Frau|Madame|Monsieur|Mme|M\.)"
_NOT_NAME = frozenset(
    [
        "The",
        "Our",
        "We",
        "They",
        "I",
        "It",
        "This",
        "That",
        "There",
        "Their",
        "Your",
        "My",
        "His",
        "Her",
        "Its",
        "What",
        "Who",
        "Which",
        "When",
        "If",
        "Then",
        "So",
        "And",
        "But",
        "Also",
        "Here",
        "Every",
        "Each",
        "No",
        "Not",
        "Yes",
        "Please",
        "Thanks",
        "Honestly",
        "Frankly",
        "Maybe",
        "Perhaps",
        "Probably",
        "Only",
        "Unless",
        "Otherwise",
        "Last",
        "Next",
        "Since",
        "Before",
        "After",
        "Until",
        "Talk",
        "Ask",
        "Call",
        "Email",
        "Send",
        "Nothing",
        "Everything",
        "Something",
        "Anyone",
        "Nobody",
        "Everyone",
        "One",
        "Two",
        "Three",
        "Highway",
        "Lyon",
        "Paris",
        "Berlin",
        "Stuttgart",
        "London",
        "Venlo",
        "Munich",
        "Hamburg",
        "North",
        "South",
        "East",
        "West",
        "New",
        "Old",
        "Black",
        "Blue",
        "Red",
        "Green",
        "White",
        "Central",
        "General",
        "Head",
        "Chief",
        "Vice",
        "President",
        "Director",
        "Manager",
        "Board",
        "Team",
        "Group",
        "Company",
        "Bank",
        "Trust",
        "City",
        "County",
        "Council",
        "Ministry",
        "Office",
        "Street",
        "Road",
        "Plant",
        "Depot",
        "Line",
        "Release",
        "Version",
        "Store",
        "Ward",
        "Room",
        "Gate",
        "Unit",
        "Building",
        "Order",
        "Ticket",
        "Die",
        "Der",
        "Das",
        "Il",
        "La",
        "Le",
        "Les",
        "On",
        "Nous",
        "Ende",
        "Anfang",
        "Mitte",
        "ISO",
        "SOC",
        "Android",
        "Windows",
        "Linux",
    ]
) | frozenset(m.capitalize() for m in (*words.MONTHS, *words.WEEKDAYS, *words.SEASONS))


@_rule(
    rf"(?P<hon>{_HONORIFIC}\s(?:Dr\.?\s)?)(?P<name>{_CAP}(?:\s{_CAP})?)"
    rf"|(?<![\w.])(?P<pair>{_CAP}\s{_CAP})(?![\w-])",
    0,
)
def _person(match: re.Match[str], text: str, heard_on: date) -> Any:
    if match.group("hon"):
        name = match.group("name")
        return ("person", match.start(), match.end(), {"name": name})
    pair = match.group("pair")
    first, last = pair.split(" ")
    if first in _NOT_NAME or last in _NOT_NAME or pair in _VENDOR_SET or first in _VENDOR_SET:
        return _NONE
    if last in _VENDOR_SET or pair in words.HOLIDAYS or first in words.HOLIDAYS:
        return _NONE
    return ("person", match.start(), match.end(), {"name": pair})


@_rule(
    rf"(?:(?:\b(?:CTO|CFO|CEO|COO|CIO|CISO|CMIO|VP|lead|manager|director|executive|officer|head"
    rf"\sof\s[\w ]+?)),\s)(?P<name>{_CAP})(?=,)"
    rf"|\b(?i:ask|call|email|cc|tell|talk\sto|speak\sto|speak\swith|(?:send|forward|give)\sit\sto)"
    rf"\s(?P<asked>{_CAP})\b(?!\s{_CAP})"
    rf"|(?<![\w-])(?P<acting>{_CAP})(?=\s(?:will|wants|said|says|decides|signs|thinks|"
    rf"told|approves|approved|owns)\b)"
    rf"|,\s(?P<apposed>{_CAP}),\s(?=(?:says|said|who|is|has|wants|will|thinks|our|the|told)\b)",
    0,
)
def _first_name(match: re.Match[str], text: str, heard_on: date) -> Any:
    group = next(g for g in ("name", "asked", "apposed", "acting") if match.group(g))
    name = match.group(group)
    if name in _NOT_NAME or name in _VENDOR_SET or name.lower() in _ROLE_LOWER:
        return _NONE
    if group == "acting" and re.search(
        r"\b(?:the|a|an|our|their|your|my)\s$", text[: match.start()], _I
    ):
        return _NONE  # "the Genossenschaft wants": a body, not a person
        return _NONE
    return ("person", match.start(group), match.end(group), {"name": name})


_ROLE_LOWER = frozenset(k.lower() for k in words.ROLE_WORDS)
_ROLE_CASED = {k: v for k, v in words.ROLE_WORDS.items() if k.isupper() or k[0].isupper()}
_ROLE_ANY = {k: v for k, v in words.ROLE_WORDS.items() if k not in _ROLE_CASED}
_HEADS = "|".join(f"[{head[0].upper()}{head[0]}]{head[1:]}" for head in words.ROLE_HEADS)
_TEAMS = "|".join(words.TEAM_WORDS)


@_rule(
    # "Head of Fleet Operations", "director of estates", "VP of Customer Success": the field
    # after "of" is read by _field_of
    r"\b(?P<of>(?:[Hh]ead|[Dd]irector|S?VP|EVP|[Vv]ice\s[Pp]resident|[Cc]hief)\sof\s(?:the\s)?)"
    r"(?=[A-Za-z])"
    r"|\b(?P<vp>(?:S|E)?VP\s(?!of\b)[A-Z][\w&]*)"  # "our VP Ops"
    r"|\b(?P<chief>[Cc]hief\s(?:[A-Za-z][\w-]*\s){1,3}?[Oo]fficer)\b"
    r"|\b(?P<clevel>C[A-Z]{1,2}O)(?![\w-])"  # CEO, CRO, CDO, CHRO: any chief officer
    r"|\b(?P<itgroup>IT\s(?:security|governance|operations|ops|architecture|leadership|"
    r"management|procurement|compliance|risk))\b"
    # German and French forms: "Einkaufsleiter", "Leiterin Einkauf", "directrice des achats"
    r"|\b(?P<de>[A-ZÄÖÜ][\w-]*?(?:leiter|leiterin|direktor|direktorin|beauftragter|beauftragte|"
    r"-Leiter|-Leiterin)"
    r"|(?:Leiter|Leiterin)\s(?:des\s|der\s)?[A-ZÄÖÜ]\w+)\b"
    r"|\b(?P<fr>(?:[Dd]irect(?:eur|rice)|[Rr]esponsable)\s(?:de\sla\s|des\s|du\s|de\s|d')"
    r"[a-zéèêàç][\wéèêàç-]*)"
    rf"|\b(?P<team>(?:{_TEAMS})\s(?:team|committee|board|department))\b"
    rf"|\b(?P<titled>(?:[A-Z]{{2,4}}|[a-z]+|[A-Z][a-z]+)\s(?:{_HEADS}))\b(?!(?<=director)\sof\s)"
    rf"|\b(?P<cased>{_alt(_ROLE_CASED)})(?![\w-])"
    rf"|\b(?P<any>(?i:{_alt(_ROLE_ANY)}))(?![\w-])",
    0,
)
def _role(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    lower = phrase.lower()
    if match.group("of"):
        end = _field_of(text, match.end("of"), bool(re.search(r"\sthe\s$", match.group("of"))))
        if end is None:
            return _NONE
        return ("role", match.start(), end, {"role": text[match.start() : end].lower()})
    if any(match.group(g) for g in ("vp", "chief", "clevel", "itgroup", "de", "fr")):
        return ("role", match.start(), match.end(), {"role": lower})
    if match.group("team"):
        front = lower.split()[0]
        role = "it" if front == "it" else lower if front in ("data", "housing") else front
        if lower.endswith(("committee", "board")):
            role = lower
        return ("role", match.start(), match.end(), {"role": role})
    if match.group("titled"):
        front, head = phrase.split(" ")
        if front.lower() in _NOT_ROLE_ADJ or (head == "controller" and front.isupper()):
            return _NONE  # "product managers", "account manager", "PLC controller"
        if head == "board" and front.lower() in _OBJECT_BOARDS:
            return _NONE  # "the dispatch board": a thing on the wall
        if front.lower() in words.NOT_ROLE_FRONT:
            return _role_word(head, match.start() + len(front) + 1, text)
        start = _title_start(text, match.start(), head[0].isupper())
        role = words.ROLE_WORDS.get(phrase) or text[start : match.end()].lower()
        return ("role", start, match.end(), {"role": role})
    return _role_word(phrase, match.start(), text)


def _title_start(text: str, start: int, capitalised: bool) -> int:
    """Where a title "X manager" found at `start` begins when more of it stands in front:
    "Supply Chain Director" (capitalised words, up to two more), "supply chain director"
    (one more lower-case word); never a verb, an article or a function word."""
    for _ in range(2 if capitalised else 1):
        before = re.search(r"([A-Za-z][\w&-]*)\s$", text[:start])
        if not before:
            break
        word = before.group(1)
        lower = word.lower()
        if word[0].isupper() != capitalised or lower.endswith("ed"):
            break
        if lower in words.NOT_ROLE_FRONT or lower in _NOT_ROLE_ADJ or lower in _FIELD_STOP:
            break
        if word in _NOT_NAME or lower in _TITLE_STOP:
            break
        start = before.start(1)
    return start


# Prepositions and adverbs a title never starts with ("goes through plant manager Jo").
_TITLE_STOP_WORDS = "through via about under over after before like than into onto per then"
_TITLE_STOP = frozenset(_TITLE_STOP_WORDS.split())


_OBJECT_BOARDS_WORDS = (
    "dispatch white key circuit message dashboard notice planning job task kanban score "
    "sounding cutting ironing skirting floor"
)
_OBJECT_BOARDS = frozenset(_OBJECT_BOARDS_WORDS.split())
# Words that end the field of "head of ...": the sentence goes on ("head of sales said").
_FIELD_STOP_WORDS = (
    "and or is was are were has have had will would can could should must said says wants "
    "needs signs decides to for at in on with from by who which that the a an our their his "
    "her its this also just already does did do thinks told asked approves approved owns "
    "isn't won't wasn't doesn't didn't wants agreed agrees here there too as if but so"
)
_FIELD_STOP = frozenset(_FIELD_STOP_WORDS.split())
# A lower-case field goes on past its first word only with a word that reads as a noun of
# a function ("patient safety", "customer service", "supply chain"), never a verb.
_FIELD_NOUN = re.compile(
    r"(?:ty|ion|ions|ment|ments|ance|ence|ing|ics|ness|ship|ure|ogy|ops|ities|care|chain|"
    r"services?|resources|relations|success|experience|support|affairs|estates?|operations|"
    r"data|risk|people|sales|delivery|supply|team|logistics|finance|maintenance|development)$"
)
# What follows "head of" without naming a function: "head of the queue", "head of steam".
_NOT_FIELD_WORDS = "steam hair cattle state lettuce household time"
_NOT_FIELD = frozenset(_NOT_FIELD_WORDS.split())


def _field_of(text: str, start: int, after_the: bool) -> int | None:
    """Where the field of "head of ..." that starts at `start` ends: capitalised words for a
    capitalised field ("Fleet Operations", "Research & Development"), else up to three lower
    case words before the sentence goes on ("patient safety"); None when it is no field."""
    run = re.match(r"[^\s.,;:!?()\[\]\"]+(?:\s[^\s.,;:!?()\[\]\"]+)*", text[start:])
    if not run:
        return None
    tokens = run.group(0).split(" ")[:5]
    capital = tokens[0][0].isupper()
    if not capital and (after_the or tokens[0].lower() in _NOT_FIELD):
        return None  # "head of the queue"
    kept: list[str] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in ("&", "and") and following:
            if following[0].isupper() != capital or following.lower() in _FIELD_STOP:
                break
            kept.append(token)
            continue
        if capital and not token[0].isupper():
            break
        if not capital and (not token[0].islower() or token.lower() in _FIELD_STOP):
            break
        if not capital and kept and not _FIELD_NOUN.search(token):
            break  # "head of finance meet every Monday": the sentence's verb, not the field
        kept.append(token)
        if not capital and len([t for t in kept if t not in ("&", "and")]) == 3:
            break
    while kept and kept[-1] in ("&", "and"):
        kept.pop()
    if not kept:
        return None
    return start + len(" ".join(kept))


_NOT_ROLE_ADJ = frozenset(
    [
        # verbs before a title: "we hired engineers", "we'd need a coordinator"
        "need",
        "needs",
        "hire",
        "hired",
        "hiring",
        "send",
        "sent",
        "call",
        "called",
        "ask",
        "asked",
        "manage",
        "managed",
        # one more of a kind is a hire, not someone with a say: "hiring another coordinator"
        "another",
        "more",
        "extra",
        "second",
        "additional",
        "temporary",
        "freelance",
        "agency",
        "account",
        "project",
        "product",
        "sales",
        "customer",
        "key",
        "general",
        "new",
        "old",
        "local",
        "real",
        "same",
        "other",
        "that",
        "and",
        "or",
        "of",
        "for",
        "to",
        "with",
        "is",
        "was",
        "be",
        "which",
        "who",
        "whole",
        "entire",
        "full",
    ]
)


def _role_word(word: str, start: int, text: str) -> Any:
    role = words.ROLE_WORDS.get(word) or words.ROLE_WORDS.get(word.lower())
    if role is None:
        if word.lower() in ("manager", "managers", "director", "directors"):
            role = word.lower().rstrip("s")
        else:
            return _NONE
    lower = word.lower()
    after = text[start + len(word) :]
    before = text[:start]
    # the function as a noun that acts ("legal won't look", "a question for finance");
    # "finance data", "legal review" name a thing
    if lower in ("finance", "legal", "quality", "security", "compliance", "treasury") and (
        re.match(
            r"\s(?:data|system|systems|software|tool|tools|review|team's|frameworks?|"
            r"department's|side|process|processes|teams|reports?|close|stack|"
            r"director|manager|committee)\b",
            after,
        )
        or re.match(r"-", after)
    ):
        return _NONE
    if lower in ("board", "council", "owner", "manager", "union", "partners", "sponsor") and (
        re.search(
            r"\b(?:dispatch|dashboard|white|on|key|message|circuit|product|"
            r"account|project|property|process|card)\s$",
            before,
            _I,
        )
        or re.match(r"[-\s](?:room|game|meeting\sroom|member)", after)
    ):
        return _NONE
    if lower == "it" and not word.isupper():
        return _NONE
    return ("role", start, start + len(word), {"role": role})


_VENDOR_SET = frozenset(words.VENDORS) | frozenset(words.VENDOR_PHRASES)
# The verbs and phrases after which a capitalised name is a product or company: using it,
# running on it, moving to or off it, trying, piloting, comparing, a quote from it.
# Case-blind (a sentence may open with "We"); the name after it must be capitalised.
_VENDOR_CUE = (
    r"(?i:\b(?:we(?:'re|\sare|'ve|\shave)?\s(?:still\s|currently\s|already\s|also\s)?"
    r"(?:use|run|have|trialled|trialed|tried|piloted|tested|evaluated|dropped|ditched|replaced|"
    r"left|bought|licensed|went\swith|signed\swith|chose|picked|with)"
    r"|used\sto\suse|(?:use[sd]?|using)|(?:run(?:s|ning)?|ran)\s(?:\w+\s){0,2}?on"
    r"|(?:trial(?:l?ing|s)?|pilot(?:ing|s)?|testing|evaluating|considering|looking\sat|"
    r"(?:signed|going|go)\swith)"
    r"|(?:switch(?:ed|ing)?|mov(?:ed|ing|e)|migrat\w+)\s(?:off|over\sto|away\sfrom|from|to|onto)"
    r"|compar(?:ed|ing|e)\s(?:(?:you|it|them|us|this|that)\s)?(?:with|to|against)"
    r"|(?:quote|offer|proposal|bid)\sfrom|(?:live|built|based|been|are|is|'re|stay(?:ed)?)\son"
    r"|(?:do|track|manage|keep|run|plan)\s(?:it|them|that|this|everything)(?:\sall)?\sin"
    r"|(?:buy|bought|source|sourced|lease|leased|rent|rented)\s(?:\w+\s){0,2}?from"
    r"|(?:provider|supplier|vendor|system|platform|tool|incumbent)\s(?:is|was)"
    r"|versus|vs\.?|against)\s)"
)


@_rule(
    rf"(?<![\w/-])(?P<known>{_alt(_VENDOR_SET)})(?![\w/-])"
    rf"|{_VENDOR_CUE}(?P<cued>[A-Z][\w&+.-]*[A-Za-z0-9](?:\s[A-Z][\w&+-]*)?)"
    # "Kallisto does that today": a name doing the job now
    r"|\b(?P<doer>[A-Z][\w&+-]*[A-Za-z0-9])\s(?:does|handles|covers)\s(?:that|this|it|all\sthat)"
    r"(?=\s(?:today|now|at\sthe\smoment|currently|for\sus)\b)"
    # "Brightpath is our supplier": a name said to be the supplier or the system
    r"|\b(?P<named>[A-Z][\w&+-]*[A-Za-z0-9])(?=\s(?:is|are|was)\sour\s(?:current\s|old\s)?"
    r"(?:supplier|provider|vendor|system|platform|tool|software|CRM|ERP|WMS|TMS)\b)",
    0,
)
def _vendor(match: re.Match[str], text: str, heard_on: date) -> Any:
    group = next(g for g in ("known", "cued", "doer", "named") if match.group(g))
    name = match.group(group)
    start = match.start(group)
    if group != "known":
        listed = _listed_vendor().match(text, start)
        if listed:  # the list's longest name ("SAP S/4HANA", "Google Sheets") whole
            name = listed.group(0)
        elif name not in _VENDOR_SET:  # "Fleetio At": the name is its first word
            name = name.split(" ")[0]
        # a listed name after a cue is a vendor even if it is a word too ("on Teams")
        if name not in _VENDOR_SET and not _may_be_vendor(name, text[start + len(name) :]):
            return _NONE
    elif name in words.NOT_VENDORS and not re.search(
        r"\b(?:on|in|via|use|using|uses|with|from)\s$", text[:start]
    ):
        return _NONE
    relation = _relation(text, start)
    if relation == "not":
        return _NONE  # "we never used Salesforce": nothing they use or look at to ask about
    return ("vendor", start, start + len(name), {"name": name, "relation": relation})


@cache
def _listed_vendor() -> re.Pattern[str]:
    return re.compile(rf"{_alt(_VENDOR_SET)}(?![\w/-])")


def _may_be_vendor(name: str, after: str) -> bool:
    """Whether a capitalised word after a verb of using may name a product: not a month or
    weekday, a role, a language, a format or a period's code, nor a person's ("Jonas's")."""
    if not name or name in _NOT_NAME or name.rstrip("s") in _NOT_NAME:
        return False
    if name in words.NOT_VENDOR_NAMES or (name.isupper() and name in words.ROLE_WORDS):
        return False
    if name in words.HOLIDAYS or re.fullmatch(r"[QH][1-4]|FY\d{2,4}|I", name):
        return False
    if len(name) <= 3 and re.match(r"\.\s?[A-Z]", after):
        return False  # an abbreviation: "St. Mary's", "Dr. Weber"
    return not re.match(r"['\u2019]s\b", after)


def _relation(text: str, start: int) -> str:
    """How the customer stands to a vendor named at `start`: by the words of its sentence."""
    sentence_start = max(text.rfind(".", 0, start), text.rfind(";", 0, start)) + 1
    end = text.find(".", start)
    before = text[sentence_start:start].lower()
    after = text[start : end if end >= 0 else len(text)].lower()
    # a verb of using said with a "not" ("we don't use", "we are not looking at", "we
    # never used"): no more (left), or never (nothing to ask about)
    if re.search(
        r"\b(?:don't|don\u2019t|do\snot|doesn't|doesn\u2019t|does\snot|didn't|didn\u2019t|"
        r"did\snot|never|not|no\slonger)\s(?:\w+\s)?"
        # a verb of using or weighing right before the name: "not happy with X", "could not
        # live without X" are users still
        r"(?:use[sd]?|using|run(?:s|ning)?|ran|look(?:ing|ed)?\sat|evaluat\w+|consider\w*|"
        r"work(?:s|ing|ed)?\swith|buy(?:ing)?\sfrom|bought\sfrom)\s(?:on\s|with\s)?$",
        before,
    ):
        no_more = re.search(r"\b(?:anymore|any\smore|no\slonger)\b", before + " " + after)
        return "left" if no_more else "not"
    if re.search(r"\b(?:stopped|quit|ceased)\s(?:using|running|with)\s$", before):
        return "left"
    if re.search(
        r"\b(?:used\sto|switched\sfrom|mov(?:ed|ing)\s(?:off|away\sfrom|from)|dropped|ditched|"
        r"left|replaced|got\srid|cancel+ed|dumped|ripped\sout|binned|gave\sup|"
        r"migrat\w+\sfrom|before\s(?:we|that))\b",
        before,
    ) or re.search(
        r"\b(?:until|till)\s(?:last|20\d\d)|\b(?:dropped|ditched|cancel+ed|got\srid|"
        r"replaced|switched\soff|retired|before\swe|went\sbust|was\sdropped)\b",
        after,
    ):
        return "left"
    if re.search(
        r"\b(?:tried|trialled|trialed|piloted|tested|evaluated|looked\sat|had\sa\sgo|"
        r"ran\sa\spilot|demoed|proof\sof\sconcept)\b",
        before,
    ) or re.search(r"\b(?:pilot|trial)\b", after):
        return "tried"
    if re.search(
        r"\b(?:compar\w+|versus|vs|against|quote|quotes|offer|bid|looking\sat|"
        r"considering|evaluating|talking\sto|shortlist\w*|pitch\w*|also\sseeing|cheaper|"
        # a trial under way is being looked at now, not tried and gone
        r"trialling|trialing|piloting|testing)\b",
        before + " " + after,
    ):
        return "compares"
    return "uses"


# --- the speaker's stance ------------------------------------------------------------------


@_rule(
    r"\b(?:maybe|perhaps|probably|possibly|presumably|I\s(?:think|guess|reckon|suppose|believe|"
    r"imagine)|I\s(?:don't|do\snot|don\u2019t)\sthink|I'm\snot\ssure|I\sam\snot\ssure|not\ssure|"
    r"I'm\snot\scertain|hard\sto\ssay|I'd\ssay|peut-être|je\spense|vielleicht|wahrscheinlich|"
    r"ich\sglaube|eventuell)\b"
)
def _hedge(match: re.Match[str], text: str, heard_on: date) -> Any:
    return ("hedge", match.start(), match.end(), {})


@_rule(
    r"\b(?:only\sif|if|unless|as\slong\sas|provided(?:\sthat)?|otherwise|on\scondition\sthat|"
    r"sinon|sonst|falls|à\scondition\sque)\b"
)
def _condition(match: re.Match[str], text: str, heard_on: date) -> Any:
    before = text[: match.start()]
    if match.group(0).lower() == "falls" and re.match(
        r"\s(?:apart|down|over|behind|short|through|in|on|off|out|to|under|within)\b",
        text[match.end() :],
    ):
        return _NONE  # English "falls", not German "falls" (in case)
    if match.group(0).lower() == "if" and re.search(
        r"\b(?:know|sure|ask|asked|asking|wonder|wondering|see|check|tell|decide|clear|"
        r"whether|even|as|what)\s$",
        before,
        _I,
    ):
        return _NONE  # "I don't know if": whether, not a condition
    return ("condition", match.start(), match.end(), {})


@_rule(
    r"\b(?:(?:we're|we\sare|I'm|I\sam)\s)?not\sinterested\b"
    r"|\b(?:we|I)\s(?:won't|won\u2019t|will\snot|will\snever)\b"
    r"|\b(?:we're|we\sare|I'm|I\sam)\s(?:really\s)?not\s(?:going\sto|buying|doing|signing|"
    r"changing|moving|switching|paying|in\sa\sposition\sto\s\w+(?:\s\w+){0,3})"
    r"(?:\s(?:anything|that|it|this))?"
    r"|\bnot\ssomething\swe'?d\s\w+(?:\s\w+)?|\bwe'?d\snever\s\w+|\b(?:that|this)\sis\sa\sno\b"
    r"|\bsays?\sno\b|\bplease\sstop\scalling\b|\b(?:don't|do\snot)\spitch\sus(?:\s\w+)?"
    r"|\bI\scan't\spromise\sanything|\bwe're\shappy\swith\swhat\swe\shave\b|\bno\sway\b"
    r"|\bno\sthanks?\b|\bnot\sfor\sus\b|\bnot\sa\spriority\b|\bwe\spass\b|\bnot\sbuying\b"
    r"|\bkein\sInteresse\b|\bpas\sintéressés?\b"
    # the general forms: a thing ruled out, a decision against, a "can't" of the deal itself
    r"|\bnot\sgoing\sto\b|\bout\sof\sthe\squestion\b|\boff\sthe\stable\b"
    r"|\bnon-?\s?starter\b|\bhard\sno\b|\bdecided\sagainst\b|\bnot\sin\sthe\smarket\b"
    r"|\b[Cc]ount\sus\sout\b|\b[Aa]bsolutely\snot\b|\b(?:we|I)(?:'ll|\u2019ll|\swill)\spass\b"
    r"|\b(?:we|I)\s(?:can't|can\u2019t|cannot|can\snot)\s(?:sign|commit|approve|agree|go\sahead|"
    r"justify|move\sforward)\b"
    r"|\b(?:we|I)\s(?:don't|don\u2019t|do\snot)\swant\sto\s(?:switch|change|move|buy|sign|meet|"
    r"commit|talk|go\sahead)\b"
    r"|\bkommt\snicht\sin\sFrage\b|\bauf\skeinen\sFall\b|\b(?:hors\sde|pas)\squestion\b"
    r"|\b(?:we're|we\sare|I'm|I\sam)\s(?:not\s(?:prepared|willing)|unwilling)\sto\b"
    r"|\b(?:we|I)\s(?:refuse|decline|declined|refused)\b"
    r"|\b(?:we|I|they)(?:'ve|\shave)?\s(?:already\s)?ruled\s(?:(?:it|that|this|you|them)\s)?out\b"
)
def _refusal(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    after = text[match.end() :]
    lower = phrase.lower()
    if lower == "no way" and re.match(r"\s(?:to|of|around|for|in|into|out|round)\b", after, _I):
        return _NONE  # "no way to export": a missing feature, not a refusal
    if lower == "not going to" and re.match(
        r"\s(?:be|work|scale|fit|last|get|help|make|matter|cut|cover|need|run|lie)\b", after, _I
    ):
        return _NONE  # "it's not going to be ready": a fact foreseen
    if lower.endswith(("sign", "commit")) and re.match(r"\s(?:in|up|on|into|off)\b", after, _I):
        return _NONE  # "we can't sign in to the portal"
    if lower.endswith("pass") and not re.match(
        r"\s*(?:$|[.,;!]|on\s(?:this|that|it|the)\b|for\snow\b)", after, _I
    ):
        return _NONE  # "we'll pass the data on": handing over, not declining
    if re.match(r"(?i)(?:we|I)\s(?:won't|won\u2019t|will\snot)", phrase):
        after = text[match.end() :]
        if re.match(r"\s(?:be\sable|have|need|know|see|scale|work|fit|last|get)\b", after, _I):
            return _NONE  # a fact the speaker foresees, not a refusal
    return ("refusal", match.start(), match.end(), {})


@_rule(
    r"\b(?:we|I|they)(?:'ve|\shave|\shad)?\s(?:already\s|once\s|actually\s)?"
    r"(?:tried|trialled|trialed|piloted|tested|evaluated|looked\sat|used\sto|ran\sa\spilot|"
    r"built\sour\sown|had\sa\sgo\sat|did\sa\spilot|went\swith|attempted|experimented\swith|"
    r"gave\sit\sa\s(?:shot|try|go|whirl)|ran\sa\s(?:trial|pilot|proof\sof\sconcept)|"
    r"(?:went|been)\sdown\s(?:that|this|the\ssame)\s(?:road|path|route))\b"
    # the general forms: a try with no subject, one that did not last, an earlier attempt
    r"|\b(?:[Tt]ried|Piloted|Trialled|Trialed|Tested|Had\sa\sgo\sat)\s(?:that|this|it)\b"
    r"|\b(?:it|that|this)\s(?:didn't|didn\u2019t|did\snot|never)\s(?:stick|take\soff|catch\son)\b"
    r"|\bnever\s(?:got\soff\sthe\sground|took\soff|stuck|caught\son)\b"
    r"|\b(?:last|previous|first|earlier)\sattempt\b"
    r"|\b(?:team|company|department|management|predecessor|office)\s(?:tried|trialled|trialed|"
    r"piloted|attempted)\b"
    r"|\bschon\s(?:mal\s|einmal\s)?(?:probiert|versucht|getestet)\b"
    r"|\b(?:[Mm]y|[Oo]ur)\spredecessor\s(?:bought|tried|chose|picked|signed)\b"
    r"|\b[Oo]n\sa\s(?:tenté|essayé)\b|\bwir\shaben\s\w+\sversucht\b"
)
def _past_attempt(match: re.Match[str], text: str, heard_on: date) -> Any:
    after = text[match.end() :]
    if re.match(r"\sto\s(?:call|reach|contact|email|phone|get\shold|book|meet)\b", after, _I):
        return _NONE
    if match.group(0).lower().endswith("used to") and not re.match(r"\s[a-z]", after):
        return _NONE
    return ("past_attempt", match.start(), match.end(), {})


@_rule(
    r"\b(?:(?:twice|three\stimes|half)\sas\s\w+\sas"
    r"|(?:more|less)\s(?:on\s)?[a-z]+\sthan"
    r"|(?!(?:more|less|fewer|other|rather|later|earlier|greater|higher|lower|bigger|longer|"
    r"over|under|smaller|better|worse)\b)[a-z]+er\sthan(?!\s(?:[$€£]|\d))"
    r"|(?:better|worse|higher|lower|bigger|smaller|longer|shorter)\sthan(?!\s(?:[$€£]|\d|a\b))"
    r"|compared\s(?:to|with)|as\sgood\sas|cheaper|dearer)\b"
)
def _comparison(match: re.Match[str], text: str, heard_on: date) -> Any:
    phrase = match.group(0)
    if phrase.lower() in ("cheaper", "dearer"):
        return _NONE
    return ("comparison", match.start(), match.end(), {})
