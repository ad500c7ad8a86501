"""Feed URLs stored before this revision are masked as they are now shown.

Until this revision a feed's URL was masked only where a path segment looked like a
token (`private-...`, or 16+ characters with 2+ digits): a Nextcloud all-letter token, a
`TOKEN@host` user part and many random tokens were stored in clear as the source of an
account's call (focus_block.call_source, so in `export`) and of a block read back
(focus_block.seen_in). Each stored feed source becomes scheme, host (and port) and at
most its file name, with a tag from a hash of what was stored. Files and CalDAV
collections (whose path names the calendar; their password was masked already) are
kept. On SQLite the old text is overwritten, not only freed (secure_delete), so it is
gone from the file's bytes too.

The masking is copied here, frozen, rather than imported: a migration must do the same
thing whatever later code does to focusblock.calendar.urls.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

import hashlib
import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

FEED_SCHEMES = ("https://", "http://", "webcal://", "webcals://")
FILE_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb", ".vcs")
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

focus_block = sa.table(
    "focus_block",
    sa.column("id", sa.Integer),
    sa.column("call_source", sa.Text),
    sa.column("seen_in", sa.Text),
)


def _file_name(segment: str) -> str | None:
    stem, dot, suffix = segment.rpartition(".")
    if not dot or f".{suffix.lower()}" not in FILE_SUFFIXES or not stem:
        return None
    if len(stem) > 15 or not PLAIN_NAME.fullmatch(stem) or stem.startswith("private"):
        return None
    if sum(c.isdigit() for c in stem) >= 2 and len(stem) >= 16:
        return None
    mixed = any(c.isupper() for c in stem) and any(c.islower() for c in stem)
    if mixed and any(c.isdigit() for c in stem):
        return None
    return segment


def masked(stored: str | None) -> str | None:
    """A stored source as the code now shows it; anything but a feed URL as it was."""
    if stored is None or not stored.lower().startswith(FEED_SCHEMES):
        return stored
    tag = f"(#{hashlib.sha256(stored.encode('utf-8', 'surrogateescape')).hexdigest()[:4]})"
    try:
        parts = urlsplit(stored)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return f"… {tag}"
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    segments = [s for s in parts.path.split("/") if s]
    file_name = _file_name(segments[-1]) if segments else None
    hidden = (
        "@" in parts.netloc
        or bool(parts.query or parts.fragment)
        or len(segments) > (1 if file_name else 0)
    )
    path = "/" + "/".join((["…"] if hidden else []) + ([file_name] if file_name else []))
    return f"{parts.scheme}://{netloc}{path} {tag}"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")  # freed bytes zeroed, not left
    rows = conn.execute(
        sa.select(focus_block.c.id, focus_block.c.call_source, focus_block.c.seen_in).where(
            sa.or_(focus_block.c.call_source.is_not(None), focus_block.c.seen_in.is_not(None))
        )
    ).all()
    for block_id, call_source, seen_in in rows:
        new_source, new_seen = masked(call_source), masked(seen_in)
        if (new_source, new_seen) != (call_source, seen_in):
            conn.execute(
                focus_block.update()
                .where(focus_block.c.id == block_id)
                .values(call_source=new_source, seen_in=new_seen)
            )


def downgrade() -> None:
    pass  # the URLs are gone on purpose: nothing to bring back
