"""Which list of quoted questions a finding takes: its kind, read with its details and the
other findings of its remark (a past date asks what happened, a future one or a limit what
must be true by then; a role named with its person is not asked who holds it)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from focusblock.names import name_key
from focusblock.worksheet.findings import KINDS, Finding

# The lists of quoted questions a bank may hold: a kind, or a kind read with its details.
QUOTED_KEYS: tuple[str, ...] = (
    *(kind for kind in KINDS if kind not in ("date", "vendor", "identifier", "condition")),
    "past_date",
    "future_date",
    "limit",
    "role_named",
    "vendor",
    "vendor_compared",
    "vendor_before",
)
# Kind names of earlier versions, which a user's questions file may still use.
OLD_KEYS = {
    "figure": "money",
    "target": "percent",
    "past": "past_attempt",
    "negation": "refusal",
}


def quoted_key(
    finding: Finding, found: Sequence[Finding], known_roles: Collection[str] = ()
) -> str | None:
    """The quoted-question list for `finding` among `found`, its remark's findings; None
    for a finding that is asked nothing (a number that names a thing; "if" or "unless"
    alone, which quoted make no question). `known_roles` are the roles of the account's
    people (name_key'd): a role someone is known to hold is not asked who holds it."""
    details = finding.details
    if finding.kind in ("identifier", "condition"):
        return None
    if finding.kind == "date":
        if details.get("limit"):
            return "limit"
        return "past_date" if details.get("tense") == "past" else "future_date"
    if finding.kind == "role":
        role = name_key(str(finding.details.get("role") or finding.phrase))
        named = any(f.kind == "person" for f in found) or role in known_roles
        return "role_named" if named else "role"
    if finding.kind == "vendor":
        relation = details.get("relation")
        if relation in ("tried", "left"):
            return "vendor_before"
        return "vendor_compared" if relation == "compares" else "vendor"
    return finding.kind
