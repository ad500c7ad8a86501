"""Where captured words go (pure): only the customer's own words become remarks.

An email's sender decides by address: the account whose domain sent it; the seller's and
colleagues' messages, and senders at no account's domain (newsletters, other threads), are
skipped and said why. A transcript's speakers are placed by, in order: the call's event in
the calendar (an attendee of the same name: at an account's domain the customer, at the
seller's own domains a colleague), the accounts' known people, the seller's own names, and
last the account named for the whole file, which makes a speaker the customer only when
nothing else is left to be: once the seller's side is known among the speakers, everyone
else is the customer. A speaker none of these places stops the file: all or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta, tzinfo
from enum import StrEnum

from focusblock.emails import Email
from focusblock.errors import BadInput
from focusblock.model import NewRemark, Person, Via
from focusblock.names import name_key
from focusblock.people import domain_of, is_colleague, is_public_mail, plain_address
from focusblock.said import (
    address_key,
    is_filler,
    person_name,
    remarks_of,
    role_in_signature,
    role_in_words,
    speaker_key,
)
from focusblock.transcripts import Transcript

MAX_SOURCE = 300  # characters of "file mm:ss" the store keeps


class Side(StrEnum):
    """Whose side a speaker or sender is on."""

    CUSTOMER = "customer"
    SELLER = "you"
    COLLEAGUE = "colleague"


@dataclass(frozen=True)
class SpeakerTally:
    """What one speaker of a file gave: remarks of the customer, or turns left out."""

    name: str
    side: Side
    account: str | None
    how: str  # how they were placed: "calendar attendee jonas@acme.example", "--me"
    remarks: int = 0  # remarks found in their words
    left_out: int = 0  # turns (or pieces) not stored
    why: str = ""  # why those were left out


@dataclass
class Captured:
    rows: list[NewRemark] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    people: list[Person] = field(default_factory=list)  # the customer's side, as found
    speakers: list[SpeakerTally] = field(default_factory=list)  # per speaker, for the report


def remarks_from_emails(
    emails: Iterable[Email],
    account_of_domain: Mapping[str, str],
    own: Collection[str],
    seller: str | None,
    zone: tzinfo,
    on: date | None = None,
    today: date | None = None,
) -> Captured:
    """The customers' words in `emails` as remarks: an email's sender decides by address.

    `account_of_domain` maps each account domain to its account's name; `own` are the
    seller's own and colleagues' domains, `seller` their address. The day heard is the
    email's own date in the seller's zone; `on` dates only a message without one, and a
    message with neither is skipped: a remark's day is never guessed. A message dated
    after `today` is skipped too (a remark is never heard in the future). Each customer
    sender with a name is one of `people`, with the role their signature gives.
    """
    captured = Captured()
    senders: dict[str, SpeakerTally] = {}

    def count(mail: Email, side: Side, account: str | None, found: int, why: str = "") -> None:
        key = plain_address(mail.sender)
        name = person_name(mail.sender_name or "") or mail.sender
        was = senders.get(key) or SpeakerTally(name, side, account, f"address {key}")
        senders[key] = replace(
            was,
            remarks=was.remarks + found,
            left_out=was.left_out + (0 if found else 1),
            why=was.why if found or was.why else why,
        )

    for mail in emails:
        what = f"{mail.source} from {mail.sender}"
        if seller and plain_address(mail.sender) == plain_address(seller):
            captured.skipped.append((what, "your own message"))
            count(mail, Side.SELLER, None, 0, "your own messages")
            continue
        if is_colleague(mail.sender, own):
            captured.skipped.append((what, "a colleague's message"))
            count(mail, Side.COLLEAGUE, None, 0, "a colleague's messages")
            continue
        account = account_at(mail.sender, account_of_domain)
        if account is None:
            captured.skipped.append((what, "the sender is at no account's domain"))
            continue
        name = person_name(mail.sender_name or "")
        if name and "@" not in name:  # a customer who wrote, with the role they signed
            role = role_in_signature(mail.signature, name)
            captured.people.append(Person(account, name, plain_address(mail.sender), role))
        heard = (mail.sent.astimezone(zone).date() if mail.sent else None) or on
        if heard is None:
            captured.skipped.append((what, "no date in the message: give --on DATE"))
            count(mail, Side.CUSTOMER, account, 0, "no date: give --on DATE")
            continue
        if today is not None and heard > today:
            captured.skipped.append((what, f"dated {heard}, after today"))
            count(mail, Side.CUSTOMER, account, 0, "dated after today")
            continue
        pieces = [p for p in remarks_of(mail.words) if not is_filler(p)]
        if not pieces:
            captured.skipped.append((what, "no words of their own (only quotes or a signature)"))
            count(mail, Side.CUSTOMER, account, 0, "only quoted text or a signature")
            continue
        count(mail, Side.CUSTOMER, account, len(pieces))
        who = person_name(mail.sender_name or "") or mail.sender
        captured.rows.extend(
            NewRemark(account, text, who, heard, Via.EMAIL, None, mail.source) for text in pieces
        )
    captured.speakers.extend(senders.values())
    return captured


def a_customers_address(
    account_of_domain: Mapping[str, str], own: Collection[str], seller: str | None
) -> Callable[[str], bool]:
    """Whether a sender's words are worth reading: a customer's, not the seller's, a
    colleague's or anyone at no account's domain (remarks_from_emails skips those)."""
    mine = plain_address(seller) if seller else None

    def wanted(address: str) -> bool:
        if plain_address(address) == mine or is_colleague(address, own):
            return False
        return account_at(address, account_of_domain) is not None

    return wanted


def account_at(address: str, account_of_domain: Mapping[str, str]) -> str | None:
    """The account at the address's domain, or at a domain it is a subdomain of."""
    domain = domain_of(address)
    if is_public_mail(domain):  # anyone has an address there: it names no account
        return None
    while domain:
        if domain in account_of_domain:
            return account_of_domain[domain]
        domain = domain.partition(".")[2] if "." in domain else ""
    return None


@dataclass(frozen=True)
class Placing:
    """What places a transcript's speakers, most trusted first."""

    account_of_domain: Mapping[str, str]  # an account domain -> its account's name
    own: Collection[str]  # the seller's own and colleagues' domains
    seller: str | None = None  # the seller's address
    attendees: Sequence[tuple[str, str]] = ()  # the call's event: (address, name)
    people: Sequence[Person] = ()  # the accounts' known people
    me: Collection[str] = ()  # the seller's own names
    account: str | None = None  # the account the whole file is with, if the user said
    call_with: str | None = None  # the account the call's event is with (title, domains)


@dataclass(frozen=True)
class Placed:
    side: Side
    account: str | None
    email: str | None
    how: str


def place_speakers(
    speakers: Sequence[str], placing: Placing
) -> tuple[dict[str, Placed], list[str]]:
    """Each speaker placed on the customer's or the seller's side, and those that are not.

    The seller's own names and address come first: the seller's words stored as the
    customer's would be the worst mistake a transcript import can make, so no calendar
    invitation or known person outranks them. A name two accounts' people share places
    no one (unless --account says which); the account named for the file is every
    customer's account."""
    attendees: dict[str, str] = {}
    for invited, name in placing.attendees:
        for key in (speaker_key(name) if name else "", address_key(invited)):
            if key:
                attendees.setdefault(key, invited)
    people: dict[str, list[Person]] = {}
    for person in placing.people:
        people.setdefault(speaker_key(person.name), []).append(person)
    mine = [words for words in (_name_words(n) for n in placing.me) if words]
    seller = plain_address(placing.seller) if placing.seller else None
    wanted = name_key(placing.account) if placing.account else None
    placed: dict[str, Placed] = {}
    for speaker in speakers:
        key = speaker_key(speaker)
        address = attendees.get(key)
        if _is_the_seller(speaker, mine, seller, speakers) or (
            address is not None and plain_address(address) == seller
        ):
            placed[speaker] = Placed(Side.SELLER, None, address, "your name or address")
            continue
        if address is not None:
            how = f"calendar attendee {address}"
            if is_colleague(address, placing.own):
                placed[speaker] = Placed(Side.COLLEAGUE, None, address, how)
                continue
            account = account_at(address, placing.account_of_domain)
            if account is None and not is_public_mail(domain_of(address)):
                account = placing.call_with  # invited to the customer's call, not our side
            if account is not None:
                placed[speaker] = Placed(Side.CUSTOMER, account, address, how)
                continue
        known = people.get(key, [])
        if wanted and len(known) > 1:
            known = [p for p in known if name_key(p.account) == wanted] or known
        if len(known) == 1:
            person = known[0]
            how = f"a person of {person.account}"
            placed[speaker] = Placed(Side.CUSTOMER, person.account, person.email or address, how)
    seller_side_known = any(p.side is not Side.CUSTOMER for p in placed.values())
    unplaced = []
    for speaker in speakers:
        if speaker in placed:
            continue
        if placing.account and seller_side_known:
            how = f"--account {placing.account}"
            placed[speaker] = Placed(
                Side.CUSTOMER, placing.account, attendees.get(speaker_key(speaker)), how
            )
        else:
            unplaced.append(speaker)
    if placing.account:  # the account named for the whole file is every customer's
        placed = {
            s: replace(p, account=placing.account) if p.side is Side.CUSTOMER else p
            for s, p in placed.items()
        }
    return placed, unplaced


# what follows a name in a meeting tool's display name: "Alex | Seller Inc", "Alex (host)"
_SPEAKER_NOTE = re.compile(r"[|(\[,]")


def _name_words(name: str) -> list[str]:
    return re.findall(r"\w+", speaker_key(name))


def _is_the_seller(
    speaker: str, mine: Sequence[list[str]], seller: str | None, speakers: Sequence[str] = ()
) -> bool:
    """Whether the speaker is the seller under one of their names (or their address), as
    transcripts write it: "Alex Morgan", "Dr. Alex Morgan", "Alex Morgan | Seller Inc",
    "A. Morgan", "Alex M.", "alex.morgan@example.com"."""
    if "@" in speaker:
        address = plain_address(speaker)
        if seller and address == seller:
            return True
        words = address_key(address).split()
    else:
        words = _name_words(speaker)
    for name in mine:
        if len(name) == 1 and "@" not in speaker:
            # a first name alone ("--me Alex"): the speaker of just that name ("Alex",
            # "Alex | Seller Inc"), or the only speaker of that first name ("Alex Seller");
            # with the customer Alex Chen on the call too, never him
            if _name_words(_SPEAKER_NOTE.split(speaker, 1)[0]) == name:
                return True
            sharing = [s for s in speakers if _name_words(s)[:1] == name]
            if len(sharing) > 1 or not words or words[0] != name[0]:
                continue
        if set(name) <= set(words) and len(words) <= len(name) + 2:
            return True
        if len(name) >= 2 and len(words) == 2:
            first, last = name[0], name[-1]
            if words in ([first[0], last], [first, last[0]]):  # "A. Morgan", "Alex M."
                return True
    return False


def remarks_from_transcript(
    transcript: Transcript, name: str, placing: Placing, heard_on: date, via: Via
) -> Captured:
    """The customer's turns of a transcript as remarks; BadInput naming the file when a
    speaker cannot be placed (nothing of the file is taken then)."""
    if not transcript.speakers:
        raise BadInput(f"{name}: the transcript does not say who spoke; nothing can be placed")
    placed, unplaced = place_speakers(transcript.speakers, placing)
    if unplaced:
        hint = _hint(placing, any(p.side is not Side.CUSTOMER for p in placed.values()))
        raise BadInput(f"{name}: cannot tell whose side {_listed(unplaced)} {hint}")
    captured = Captured()
    # a file's name is anyone's text: the worksheet's one-line heading shows it
    shown_name = "".join(c if c.isprintable() else "?" for c in name)
    tallies: dict[str, dict[str, int]] = {s: {"remarks": 0, "left_out": 0} for s in placed}
    roles: dict[str, str] = {}  # the first title a customer says of themself
    nameless = 0
    for turn in transcript.turns:
        if turn.speaker is None:
            nameless += 1
            continue
        where = placed[turn.speaker]
        tally = tallies[turn.speaker]
        if where.side is not Side.CUSTOMER or where.account is None:
            tally["left_out"] += 1
            continue
        if turn.speaker not in roles and (role := role_in_words(turn.text)):
            roles[turn.speaker] = role
        for piece in remarks_of(turn.text):
            if is_filler(piece):
                tally["left_out"] += 1
                continue
            tally["remarks"] += 1
            source = f"{shown_name[: MAX_SOURCE - 10]} {_minutes(turn.at)}"
            who = person_name(turn.speaker)
            captured.rows.append(NewRemark(where.account, piece, who, heard_on, via, None, source))
    for speaker, where in placed.items():
        tally = tallies[speaker]
        why = {
            Side.SELLER: "your own words",
            Side.COLLEAGUE: "a colleague's words",
            Side.CUSTOMER: "filler or fragments",
        }[where.side]
        captured.speakers.append(
            SpeakerTally(person_name(speaker), where.side, where.account, where.how,
                         tally["remarks"], tally["left_out"], why if tally["left_out"] else "")
        )  # fmt: skip
        if where.side is Side.CUSTOMER and where.account:
            email = plain_address(where.email) if where.email else None
            person = Person(where.account, person_name(speaker), email, roles.get(speaker))
            captured.people.append(person)
        if tally["left_out"]:
            captured.skipped.append((f"{person_name(speaker)}: {tally['left_out']}", why))
    if nameless:
        captured.skipped.append((f"{nameless} turns", "no speaker named"))
    return captured


def _listed(speakers: Sequence[str]) -> str:
    shown = ", ".join(repr(s) for s in speakers[:5])
    more = f" and {len(speakers) - 5} more" if len(speakers) > 5 else ""
    return f"{shown}{more} {'is' if len(speakers) == 1 else 'are'} on"


def _hint(placing: Placing, seller_side_known: bool) -> str:
    if placing.account and placing.me and not seller_side_known:
        names = ", ".join(repr(n) for n in list(placing.me)[:3])
        return (
            f"(none of the speakers is you: {names}): give your name as the transcript "
            "writes it with --me NAME; if you were not on the call, add the customer's "
            "speakers with 'focusblock account person ACCOUNT NAME'"
        )
    if placing.account:
        return (
            "(their words or yours?): give your own name with --me NAME (or the setting "
            "'me'), so everyone else is taken as the customer"
        )
    if placing.me:  # the seller's names are known: the customer's account is not
        return (
            "(the customer's, or a colleague's?): give the customer's account with "
            "--account NAME, or add them with 'focusblock account person ACCOUNT NAME'"
        )
    return (
        "(customer, you or a colleague?): give your own name with --me NAME and the "
        "customer's account with --account NAME, or add them with "
        "'focusblock account person ACCOUNT NAME'"
    )


def _minutes(at: timedelta) -> str:
    """How far into the call, as a player shows it: 07:05, or 1:02:03 past the hour."""
    seconds = int(at.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
