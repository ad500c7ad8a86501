"""Checking one remark's fields, shared by `remark add` and the CSV importer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from focusblock.errors import BadInput
from focusblock.vocabulary import CHANNELS, LENSES, normalize_channel, normalize_lens
from focusblock.when import parse_date

MAX_REMARK_CHARS = 20_000
MAX_WHO_CHARS = 200


@dataclass(frozen=True)
class NewRemark:
    account: str
    text: str
    who: str | None
    heard_on: date
    via: str
    lens: str | None
    imported_from: str | None = None


def check_remark(
    account: str,
    text: str,
    who: str | None,
    on: str | None,
    via: str | None,
    lens: str | None,
    today: date,
) -> NewRemark:
    """A NewRemark, or BadInput naming the first field that is wrong and what was expected."""
    if not account.strip():
        raise BadInput("account: is empty; every remark belongs to an account")
    if not text.strip():
        raise BadInput("text: is empty; a remark is what the customer said")
    if len(text) > MAX_REMARK_CHARS:
        raise BadInput(
            f"text: {len(text):,} characters; at most {MAX_REMARK_CHARS:,} fit one remark"
        )
    who_clean = " ".join(who.split()) if who else None
    if who_clean and len(who_clean) > MAX_WHO_CHARS:
        raise BadInput(f"who: at most {MAX_WHO_CHARS} characters")
    heard_on = parse_date(on, "on") if on and on.strip() else today
    channel = "other"
    if via and via.strip():
        found = normalize_channel(via)
        if found is None:
            raise BadInput(f"via: {via!r} is not one of {', '.join(CHANNELS)}")
        channel = found
    lens_word = None
    if lens and lens.strip() and lens.strip().lower() not in {"none", "-"}:
        lens_word = normalize_lens(lens)
        if lens_word is None:
            raise BadInput(f"lens: {lens!r} is not one of {', '.join(LENSES)}")
    return NewRemark(
        account=" ".join(account.split()),
        text=text,
        who=who_clean or None,
        heard_on=heard_on,
        via=channel,
        lens=lens_word,
    )
