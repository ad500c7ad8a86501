"""focusblock: protected time to think about ONE customer."""

__version__ = "0.1.0"

# The libraries README promises load only when used, and why each waits: they are the only
# imports made inside a function anywhere in focusblock (tests/test_layout.py checks it;
# tests/test_startup.py checks what --help and the store commands load). Every other
# import is at the top of its module; the command table (focusblock/cli/__init__.py)
# loads each command's module on demand with importlib.
LAZY_LIBRARIES: dict[str, str] = {
    "rich": "draws tables, the week strip and the progress bar on a terminal only",
    "alembic": "upgrades an older store only",
    "typst": "typesets a PDF only",
    "caldav": "talks to a CalDAV server only",
    "icalendar": "reads and writes calendars only",
    "recurring_ical_events": "expands recurring events only",
    "x_wr_timezone": "reads calendars only",
    "jinja2": "renders HTML worksheets only",
    "webvtt": "reads a WebVTT call transcript only",
    "srt": "reads a SubRip call transcript only",
    "mailparser_reply": "reads an email only",
    "text_to_num": "reads numbers written in words in a worksheet's remarks only",
    # every store command paid ~12 ms for it, and most never see a date typed another way
    "dateutil": "reads a date typed other than ISO 8601 only (19/11/2026, Nov 19 2026)",
    # the standard library's mail parser, behind these: every `remark` command paid ~20 ms
    "focusblock.emails": "reads an email file only (the standard library's mail parser)",
    "focusblock.capture": "places an email's or a transcript's words only (reads mail)",
    "sqlalchemy": "reads a store's URL in the settings only when one is given",
    # SQLAlchemy, behind the store's entry points: --help and `config` never open a store
    "focusblock.store.store": "opens the store (SQLAlchemy)",
    "focusblock.store.opening": "reads a database error (SQLAlchemy)",
    "focusblock.store.ownership": "gives accounts made before an email was set to it",
    # busy's table and JSON need no strip: its layout loads for --grid only
    "focusblock.plan.glance": "lays out the week strip for `busy --grid` only",
    "focusblock.cli.week_strip": "draws the week strip for `busy --grid` only",
    # the network code: http.client, ssl, email, urllib, the XML parser
    "focusblock.calendar.feeds": "fetches a calendar feed only",
    "focusblock.calendar.caldav_io": "reads a CalDAV calendar only",
    # 7 ms: where the system has no zone files, zoneinfo's own fallback
    "importlib.resources": "reads the tzdata package's zone rules only when the system has none",
}
