"""Colleagues and customers: the one rule that tells them apart by their mail addresses.

The seller's own side is the domain of their own address (the `email` setting) and the
domains they name as their company's (`colleague_domains`). A public mail domain
(gmail.com, outlook.com, gmx.de...) is never anyone's own side: everyone has an address
there, customers too. A meeting is internal when someone besides the seller is invited
and every invitee is a colleague. The calendar's calls use this rule, and so does any
part that places people (transcripts, emails): a colleague is never a customer's voice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from focusblock.names import normalize_domain

# Mail services anyone can sign up to, by their whole domain...
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "fastmail.com",
        "freenet.de",
        "gmail.com",
        "googlemail.com",
        "hey.com",
        "icloud.com",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "pm.me",
        "posteo.de",
        "proton.me",
        "protonmail.ch",
        "protonmail.com",
        "qq.com",
        "t-online.de",
        "tuta.io",
        "tutanota.com",
        "web.de",
        "ymail.com",
        "zoho.com",
    }
)
# ...and by name, under any country's ending (gmx.de, gmx.net, yahoo.co.uk, hotmail.fr)
PUBLIC_MAIL_NAMES = frozenset(
    {"aol", "gmail", "gmx", "hotmail", "live", "outlook", "yahoo", "yandex", "orange", "libero"}
)
# Addresses of rooms and shared calendars, not of people: neither colleague nor customer
NOT_PEOPLE_DOMAINS = ("calendar.google.com",)


def plain_address(address: str) -> str:
    """A mail address as compared: lower case, without `mailto:` or angle brackets."""
    return address.strip().lower().removeprefix("mailto:").strip("<>").strip()


def domain_of(address: str) -> str:
    """The domain of a mail address (`mailto:` and case dropped); "" when it has none."""
    text = plain_address(address)
    return text.rsplit("@", 1)[1].rstrip(".") if "@" in text else ""


def is_public_mail(domain: str) -> bool:
    """Whether anyone may have an address at `domain` (a free mail service)."""
    domain = domain.lower().strip().rstrip(".")
    if domain in PUBLIC_MAIL_DOMAINS:
        return True
    labels = domain.split(".")
    # the service's name before a country ending: gmx.de, yahoo.co.uk, but not live.acme.com
    return labels[0] in PUBLIC_MAIL_NAMES and (
        len(labels) == 2 or (len(labels) == 3 and len(labels[1]) <= 3)
    )


def own_domains(email: str | None, colleague_domains: Iterable[str] = ()) -> frozenset[str]:
    """The seller's own side: the domain of their address and the colleagues' domains,
    lower case, without any public mail domain."""
    found = {domain_of(email)} if email else set()
    found.update(normalize_domain(d) for d in colleague_domains)
    return frozenset(d for d in found if d and not is_public_mail(d))


def is_colleague(address: str, own: Collection[str]) -> bool:
    """Whether the address is at one of the seller's own domains (or a subdomain of one)."""
    domain = domain_of(address)
    if not domain or is_public_mail(domain):
        return False
    return any(domain == d or domain.endswith("." + d) for d in own)


def _is_person(address: str) -> bool:
    domain = domain_of(address)
    return bool(domain) and not any(
        domain == d or domain.endswith("." + d) for d in NOT_PEOPLE_DOMAINS
    )


def is_internal(invitees: Iterable[str], own: Collection[str], seller: str | None) -> bool:
    """Whether a meeting is among colleagues only: someone besides the seller is invited
    (the organizer counts as invited), and every invitee is a colleague. A meeting with
    no one invited is not internal: nothing says who it is with."""
    others = {plain_address(a) for a in invitees if _is_person(a)}
    others.discard(plain_address(seller or ""))
    return bool(others) and all(is_colleague(a, own) for a in others)
