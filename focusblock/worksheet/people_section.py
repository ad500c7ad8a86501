"""The people on the customer's side (the buying influences): everyone heard or named.

From three places: who said a remark (`who`), the account's people (imports, `account
person`), and names in the remarks' words. A name in the words is taken cautiously: two
capitalised words next to a title ("Mei Tan, our CTO", "our CFO Mark Lee") or after
what one does with a person ("talk to Priya Raman"), never a month, a weekday, a place or
a company. A person missed can be added with `account person`; a wrong one would put a
made-up person's questions on the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from focusblock.model import Person, Remark
from focusblock.names import name_key

PEOPLE_TITLE = "People"
BUDGET_FLAG = (
    "No one with budget authority (who can say yes to the money: a CFO, CEO, owner, "
    "managing director, head of finance, the board) has been heard or named yet."
)

_TITLE = (
    r"(?:CEO|CFO|COO|CTO|CIO|CISO|CMO|CRO|CPO|CHRO|owner|founder|co-founder|president|"
    r"chair(?:man|woman)?|managing\s+director|general\s+manager|Geschäftsführer(?:in)?|"
    r"(?:VP|vice\s+president|head|director|manager|lead)\s+of\s+[A-Za-z]+(?:\s+[A-Za-z]+)?|"
    r"finance\s+director|financial\s+controller|controller|budget\s+holder|"
    r"(?:IT|HR|finance|operations|project|procurement|purchasing|sales|service|plant|"
    r"logistics|fleet|office|practice)\s+(?:manager|director|lead|head)|"
    r"procurement|purchasing|buyer)"
)
# two capitalised words: "Mei Tan", "Jean-Luc Picard", "Sophie O'Neill"
_WORD = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
_NAME = rf"{_WORD}\s(?:O'|Mc|Mac)?{_WORD}"
_OWNER = r"(?:[Oo]ur|[Tt]heir|[Tt]he|[Mm]y|[Hh]is|[Hh]er)"
_NAMED = (
    # "Mei Tan, our CTO" / "Mei Tan (CFO)" / "Mei Tan, head of finance"
    re.compile(
        rf"\b(?P<name>{_NAME}),?\s(?:\(\s?(?P<role1>{_TITLE})\s?\)|(?:{_OWNER}\s)?(?P<role2>{_TITLE})\b)"
    ),
    # "our CFO Mark Lee" / "their head of IT, Mark Lee"
    re.compile(rf"\b{_OWNER}\s(?P<role>{_TITLE}),?\s(?P<name>{_NAME})\b"),
    # "talk to Priya Raman", "cc Jonas Meyer"
    re.compile(
        r"\b(?i:talk(?:ed)?\s(?:to|with)|speak\s(?:to|with)|spoke\s(?:to|with)|meet(?:ing)?\s"
        r"with|met\swith|met|ask(?:ed)?|loop\sin|cc|introduce\s(?:you|us|me)\sto|"
        rf"email(?:ed)?|call(?:ed)?)\s(?P<name>{_NAME})\b"
    ),
)
# capitalised words that make two of them a month, a day, a place, a company or a thing
_NOT_A_NAME = frozenset(
    name_key(word)
    for word in str.split(
        "January February March April May June July August September October November "
        "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter "
        "New York London Paris Berlin Munich Hamburg Vienna Zurich Boston Chicago Francisco "
        "San Los Angeles North South East West Street Road Avenue City County Lake Park "
        "Inc Ltd LLC GmbH AG Group Corp Company Holdings Bank Systems Solutions Software "
        "Services Partners Labs Technologies Health Hospital University School Team Office "
        "Microsoft Google Salesforce HubSpot Oracle Workday Excel Teams Zoom Slack Amazon "
        "The Our Their We They I It This That Next Last Q1 Q2 Q3 Q4 Mr Mrs Ms Dr"
    )
)
# roles that hold the money: a "yes" from them is a budget
_BUDGET = re.compile(
    r"\b(?:CFO|CEO|owner|founder|president|managing\s+director|general\s+manager|"
    r"Geschäftsführer(?:in)?|(?:VP|vice\s+president|head|director)\s+of\s+finance|"
    r"finance\s+director|chief\s+(?:executive|financial)\s+officer|the\s+board|"
    r"budget\s+holder|holds?\s+the\s+budget)\b",
    re.IGNORECASE,
)

Q = TypeVar("Q")


@dataclass(frozen=True)
class BuyingInfluence(Generic[Q]):
    """One person on the customer's side: their role if known, the remarks (store ids,
    oldest first) they said or were named in, and the questions about them."""

    name: str
    role: str | None
    email: str | None
    remarks: tuple[int, ...]
    questions: tuple[Q, ...] = ()


def person_questions(name: str) -> tuple[str, str, str]:
    """What to find out about one person: what they win, their say, where they stand."""
    return (
        f"What does {name} personally win or lose if this goes ahead, or if it does not?",
        f"How much say does {name} have in the decision?",
        f"Is {name} for it, against it, or not yet known, and how do I know?",
    )


def names_in(text: str) -> list[tuple[str, str | None]]:
    """(name, role or None) for each person the words name, in reading order."""
    found: list[tuple[int, str, str | None]] = []
    for pattern in _NAMED:
        for match in pattern.finditer(text):
            name = match.group("name")
            if any(name_key(word) in _NOT_A_NAME for word in name.split()):
                continue
            groups = match.groupdict()
            role = groups.get("role") or groups.get("role1") or groups.get("role2")
            found.append((match.start("name"), name, _tidy(role) if role else None))
    found.sort(key=lambda item: item[0])
    return [(name, role) for _, name, role in found]


def buying_influences(
    remarks: Sequence[Remark], people: Sequence[Person], seller: Sequence[str] = ()
) -> tuple[BuyingInfluence[str], ...]:
    """Everyone heard or named, in the order first met (the account's people not yet
    heard last), each with their questions; one entry per person, matched by name. The
    `seller`'s own names (a customer says "talk to Sam Seller") are no one on their side."""
    entries: dict[str, dict[str, object]] = {}
    sellers = {name_key(name) for name in seller}

    def meet(name: str, role: str | None, remark_id: int | None, email: str | None = None) -> None:
        if name_key(name) in sellers:
            return
        key = _person_key(name, entries)
        entry = entries.setdefault(key, {"name": name, "role": None, "email": None, "ids": []})
        if role and not entry["role"]:
            entry["role"] = role
        if email and not entry["email"]:
            entry["email"] = email
        ids = entry["ids"]
        assert isinstance(ids, list)
        if remark_id is not None and remark_id not in ids:
            ids.append(remark_id)

    known = {name_key(p.name): p for p in people}
    for remark in sorted(remarks, key=lambda r: (r.heard_on, r.id)):
        who, noted = _who(remark.who or "")
        if who and _looks_like_person(who):
            person = known.get(name_key(who))
            meet(who, person.role if person else noted, remark.id)
        for name, role in names_in(remark.text):
            meet(name, role, remark.id)
    for person in people:
        meet(person.name, person.role, None, person.email)
    # the people table's role and address win over a role read from the words
    for person in people:
        if name_key(person.name) in sellers:
            continue
        entry = entries[_person_key(person.name, entries)]
        entry["role"] = person.role or entry["role"]
    return tuple(
        BuyingInfluence(
            name=str(e["name"]),
            role=e["role"] if isinstance(e["role"], str) else None,
            email=e["email"] if isinstance(e["email"], str) else None,
            remarks=tuple(e["ids"]) if isinstance(e["ids"], list) else (),
            questions=person_questions(str(e["name"])),
        )
        for e in entries.values()
    )


def budget_authority_heard(
    influences: Sequence[BuyingInfluence[Q]], remarks: Sequence[Remark]
) -> bool:
    """Whether anyone who holds the money has been heard or named: a person whose role is
    one, or such a role in the words or as who said them ("our CFO", "the board")."""
    return any(p.role and _BUDGET.search(p.role) for p in influences) or any(
        _BUDGET.search(r.text) or (r.who and _BUDGET.search(r.who)) for r in remarks
    )


def _person_key(name: str, entries: dict[str, dict[str, object]]) -> str:
    """One key per person: a first name alone ("Mei") is the one full name it starts."""
    key = name_key(name)
    if key in entries or " " in key:
        return key
    fuller = [k for k in entries if k.split()[0] == key]
    return fuller[0] if len(fuller) == 1 else key


def _who(who: str) -> tuple[str, str | None]:
    """The name in a remark's `who`, and the role a bracketed note after it gives:
    "Mark Lee (CFO)" is Mark Lee, CFO; "Priya Raman (Kestrel)" is Priya Raman."""
    noted = re.fullmatch(r"(?P<name>.+?)\s*[(\[](?P<note>[^)\]]*)[)\]]\s*", who)
    if noted is None:
        return who.strip(), None
    note = noted.group("note").strip()
    role = note if re.fullmatch(_TITLE, note, re.IGNORECASE) else None
    return noted.group("name").strip(), role


def _looks_like_person(who: str) -> bool:
    """A `who` that names someone, not "customer" or "the team"."""
    return (
        bool(re.match(r"[A-ZÀ-Ý]", who))
        and name_key(who.split()[0]) not in _NOT_A_NAME
        and not re.fullmatch(rf"(?:{_OWNER}\s)?{_TITLE}", who.strip(), re.IGNORECASE)
    )


def _tidy(role: str) -> str:
    return " ".join(role.split())
