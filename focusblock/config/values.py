"""The types of settings: each parser takes what TOML or an environment variable gave and
returns the value, or raises ValueError saying what was expected."""

from __future__ import annotations

import contextlib
import re
import shlex
import tomllib
from collections.abc import Callable
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from focusblock.names import normalize_domain
from focusblock.people import is_public_mail
from focusblock.source_names import is_url, named_source

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAIL_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}")


def parse_zone(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected an IANA time zone name such as 'Europe/Berlin'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
        raise ValueError(
            f"unknown time zone {value!r}; expected a name such as 'America/New_York'"
        ) from None
    return value


def parse_time(value: Any) -> time:
    """A time of day in the user's own zone: HH:MM, never with a UTC offset (the working
    day follows the `timezone` setting, and an offset time cannot be compared with it)."""
    parsed = None
    if isinstance(value, time):
        parsed = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            parsed = time.fromisoformat(value.strip())
    if parsed is None or parsed.tzinfo is not None:
        raise ValueError(f"expected a time as HH:MM in your time zone, got {value!r}")
    return parsed


def parse_days(value: Any) -> tuple[int, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list) or not value:
        raise ValueError('expected a list of days such as ["mon", "tue"]')
    days = []
    for item in value:
        word = str(item).strip().lower()[:3]
        if word not in DAY_NAMES:
            raise ValueError(f"unknown day {item!r}; expected one of {', '.join(DAY_NAMES)}")
        days.append(DAY_NAMES.index(word))
    return tuple(sorted(set(days)))


def int_in(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number from {low} to {high}, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {value}")
        return value

    return parse


def hours(value: Any) -> float:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 24 * 14:
        raise ValueError(f"expected a number of hours from 0 to 336, got {value!r}")
    return float(value)


def optional_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
        "0",
        "false",
        "no",
        "off",
    }:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    raise ValueError(f"expected true or false, got {value!r}")


def source_list(value: Any) -> tuple[str, ...]:
    """SOURCEs; a table {url = "...", name = "Team calendar"} names a feed or CalDAV
    calendar, kept as `--busy NAME=URL` writes it (the name is what is shown)."""
    if isinstance(value, str):  # from the environment: words, quoted where they hold spaces
        value = shlex.split(value)
    if not isinstance(value, list):
        raise ValueError(
            'expected a list of calendars such as ["~/cal/work.ics", "https://...", '
            '"caldav:https://...", {url = "https://...", name = "Team calendar"}]'
        )
    return tuple(_source(item) for item in value)


def _source(item: Any) -> str:
    if isinstance(item, str) and item:
        return item
    if not isinstance(item, dict) or set(item) != {"url", "name"}:
        raise ValueError(
            'expected a list of calendars such as ["~/cal/work.ics", "https://...", '
            '"caldav:https://...", {url = "https://...", name = "Team calendar"}]'
        )
    url, name = item["url"], item["name"]
    if not isinstance(url, str) or not is_url(url):
        raise ValueError(
            "a named calendar's url must be an https feed or caldav:URL (name a file by its "
            "path alone)"
        )
    if not isinstance(name, str) or not name.strip() or "=" in name:
        raise ValueError('a calendar\'s name must be some text without "=", e.g. "Team calendar"')
    if any(not c.isprintable() for c in name):
        raise ValueError("a calendar's name must be printable text on one line")
    return named_source(name.strip(), url)


def domain_list(value: Any) -> tuple[str, ...]:
    """Mail domains, lower case and without "@". A public mail domain is refused: anyone,
    customers too, has an address at gmail.com, so it can never tell a colleague."""
    if isinstance(value, str):  # from the environment: words, by commas or spaces
        value = value.replace(",", " ").split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('expected a list of mail domains such as ["acme.com", "acme.de"]')
    domains: list[str] = []
    for item in value:
        domain = normalize_domain(item)
        if not MAIL_DOMAIN.fullmatch(domain):
            raise ValueError(f'{item!r} is not a mail domain; expected e.g. "acme.com"')
        if is_public_mail(domain):
            raise ValueError(
                f"{domain} is a public mail domain (anyone has an address there, customers "
                "too): it cannot tell your colleagues; name your company's own domains"
            )
        if domain not in domains:
            domains.append(domain)
    return tuple(domains)


def name_list(value: Any) -> tuple[str, ...]:
    """People's names, as a transcript shows them ("Alex Seller", "Alex S."). From the
    environment a comma separates them (a name holds spaces), or the list is written as
    in the settings file (["Alex Seller", "Alex S."]), as a user copies it from there."""
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = tomllib.loads(f"names = {value.strip()}")["names"]
        except tomllib.TOMLDecodeError:
            raise ValueError(
                'expected a list of names such as ["Alex Seller", "Alex S."]'
            ) from None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('expected a list of names such as ["Alex Seller", "Alex S."]')
    names = [" ".join(v.split()) for v in value]
    if any(not name or len(name) > 200 for name in names):
        raise ValueError("expected names of 1 to 200 characters")
    return tuple(dict.fromkeys(names))


def caldav_target(value: Any) -> str | None:
    text = optional_text(value)
    if text is not None and not text.startswith("caldav:"):
        raise ValueError("expected caldav:https://server/path/to/calendar/")
    return text
