"""Where an email's words go (pure): the customer's own words become remarks of the account
whose domain sent them; the seller's and colleagues' messages, and senders at no account's
domain (newsletters, other threads), are skipped and said why."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, tzinfo

from focusblock.emails import Email
from focusblock.model import NewRemark, Person, Via
from focusblock.people import domain_of, is_colleague, is_public_mail, plain_address
from focusblock.said import is_filler, person_name, remarks_of, role_in_signature


@dataclass
class Captured:
    rows: list[NewRemark] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    people: list[Person] = field(default_factory=list)  # the customer's side, as found


def remarks_from_emails(
    emails: Iterable[Email],
    account_of_domain: Mapping[str, str],
    own: Collection[str],
    seller: str | None,
    zone: tzinfo,
    on: date | None = None,
) -> Captured:
    """The customers' words in `emails` as remarks: an email's sender decides by address.

    `account_of_domain` maps each account domain to its account's name; `own` are the
    seller's own and colleagues' domains, `seller` their address. The day heard is the
    email's date in the seller's zone (`on` when given); an email without a date and no
    `on` is skipped: a remark's day is never guessed. Each customer sender with a name is
    one of `people`, with the role their signature gives.
    """
    captured = Captured()
    for mail in emails:
        what = f"{mail.source} from {mail.sender}"
        if seller and plain_address(mail.sender) == plain_address(seller):
            captured.skipped.append((what, "your own message"))
            continue
        if is_colleague(mail.sender, own):
            captured.skipped.append((what, "a colleague's message"))
            continue
        account = _account_of(mail.sender, account_of_domain)
        if account is None:
            captured.skipped.append((what, "the sender is at no account's domain"))
            continue
        name = person_name(mail.sender_name or "")
        if name and "@" not in name:  # a customer who wrote, with the role they signed
            role = role_in_signature(mail.signature, name)
            captured.people.append(Person(account, name, plain_address(mail.sender), role))
        heard = on or (mail.sent.astimezone(zone).date() if mail.sent else None)
        if heard is None:
            captured.skipped.append((what, "no date in the message: give --on DATE"))
            continue
        pieces = [p for p in remarks_of(mail.words) if not is_filler(p)]
        if not pieces:
            captured.skipped.append((what, "no words of their own (only quotes or a signature)"))
            continue
        who = person_name(mail.sender_name or "") or mail.sender
        captured.rows.extend(
            NewRemark(account, text, who, heard, Via.EMAIL, None, mail.source) for text in pieces
        )
    return captured


def _account_of(address: str, account_of_domain: Mapping[str, str]) -> str | None:
    """The account at the address's domain, or at a domain it is a subdomain of."""
    domain = domain_of(address)
    if is_public_mail(domain):  # anyone has an address there: it names no account
        return None
    while domain:
        if domain in account_of_domain:
            return account_of_domain[domain]
        domain = domain.partition(".")[2] if "." in domain else ""
    return None
