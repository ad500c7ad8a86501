"""Which list of quoted questions a finding takes: its kind, read with its details and the
other findings of its remark (a past date asks what happened, a future one or a limit what
must be true by then; a role named with its person is not asked who holds it)."""

from __future__ import annotations

from collections.abc import Sequence

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


def quoted_key(finding: Finding, found: Sequence[Finding]) -> str | None:
    """The quoted-question list for `finding` among `found`, its remark's findings; None
    for a finding that is asked nothing (a number that names a thing; "if" or "unless"
    alone, which quoted make no question)."""
    details = finding.details
    if finding.kind in ("identifier", "condition"):
        return None
    if finding.kind == "date":
        if details.get("limit"):
            return "limit"
        return "past_date" if details.get("tense") == "past" else "future_date"
    if finding.kind == "role":
        named = any(f.kind == "person" for f in found)
        return "role_named" if named else "role"
    if finding.kind == "vendor":
        relation = details.get("relation")
        if relation in ("tried", "left"):
            return "vendor_before"
        return "vendor_compared" if relation == "compares" else "vendor"
    return finding.kind
