"""Seedable generators of realistic calendar exports and stores, for bench/run.

python bench/generate.py calendar M out.ics [--seed 1]
python bench/generate.py store 2000 100000 out.db [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, datetime, timedelta
from pathlib import Path

SIZES = {"S": (500, 20), "M": (5_000, 200), "L": (50_000, 1_000)}  # events, recurring series
WEEK = date(2026, 11, 30)  # the planned week of the benchmark
OWNER = "bench@example.com"

VTIMEZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "-1SU", "3", "-1SU", "10"),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "2SU", "3", "1SU", "11"),
    "America/Los_Angeles": ("-0800", "-0700", "PST", "PDT", "2SU", "3", "1SU", "11"),
}
# Exchange writes Windows names; icalendar maps them to IANA zones
WINDOWS = {
    "W. Europe Standard Time": "Europe/Berlin",
    "Pacific Standard Time": "America/Los_Angeles",
}
WORDS = (
    "Quartalsgespräch",
    "naïve",
    "Ωμέγα",
    "Привет",
    "東京",
    "café",
    "roadmap",
    "renewal",
    "pipeline",
    "budget",
    "rollout",
    "Zürich",
    "São Paulo",
    "smörgåsbord",
    "🙂",
)


def fold(line: str) -> str:
    """RFC 5545 folding at 75 octets, on character boundaries."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _vtimezone(name: str, windows_name: str | None = None) -> list[str]:
    std, dst, std_name, dst_name, dst_day, dst_month, std_day, std_month = VTIMEZONES[name]
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{windows_name or name}",
        "BEGIN:DAYLIGHT",
        f"TZOFFSETFROM:{std}",
        f"TZOFFSETTO:{dst}",
        f"TZNAME:{dst_name}",
        f"DTSTART:1970{int(dst_month):02d}08T020000",
        f"RRULE:FREQ=YEARLY;BYMONTH={dst_month};BYDAY={dst_day}",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        f"TZOFFSETFROM:{dst}",
        f"TZOFFSETTO:{std}",
        f"TZNAME:{std_name}",
        f"DTSTART:1970{int(std_month):02d}01T030000",
        f"RRULE:FREQ=YEARLY;BYMONTH={std_month};BYDAY={std_day}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _description(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(20, 170))]
    return (
        "DESCRIPTION:" + " ".join(words).replace(",", "\\,") + "\\nAgenda:\\n- " + rng.choice(WORDS)
    )


def _event(
    rng: random.Random,
    uid: str,
    start: datetime,
    minutes: int,
    zone: str | None,
    summary: str,
    extra: list[str],
) -> list[str]:
    end = start + timedelta(minutes=minutes)
    if zone is None:  # Google writes single events in UTC
        times = [f"DTSTART:{_stamp(start)}Z", f"DTEND:{_stamp(end)}Z"]
    else:
        times = [f"DTSTART;TZID={zone}:{_stamp(start)}", f"DTEND;TZID={zone}:{_stamp(end)}"]
    lines = [
        "BEGIN:VEVENT",
        *times,
        "DTSTAMP:20261120T120000Z",
        f"UID:{uid}",
        f"SUMMARY:{summary}",
        _description(rng),
        "SEQUENCE:0",
        *extra,
    ]
    lines.append("END:VEVENT")
    return lines


def generate_calendar(size: str, seed: int = 1) -> bytes:
    events_total, series = SIZES[size]
    rng = random.Random(seed)
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:bench@example.com",
        "X-WR-TIMEZONE:America/New_York",
    ]
    for name in VTIMEZONES:
        lines += _vtimezone(name)
    for windows_name, iana in WINDOWS.items():
        lines += _vtimezone(iana, windows_name)
    zones = [*VTIMEZONES, *WINDOWS]
    first = datetime(WEEK.year - 5, 1, 5, 8, 0)
    span_days = (WEEK - first.date()).days + 60
    singles = events_total - series
    for index in range(singles):
        day = first + timedelta(days=rng.randrange(span_days), minutes=15 * rng.randrange(40))
        extra: list[str] = []
        roll = rng.random()
        if roll < 0.05:
            extra.append("TRANSP:TRANSPARENT")
        elif roll < 0.08:
            extra.append("STATUS:CANCELLED")
        elif roll < 0.11:
            extra.append("ATTENDEE;PARTSTAT=DECLINED;CN=Bench:mailto:bench@example.com")
        else:
            extra.append(
                f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:p{index % 97}@customer{index % 400}.example"
            )
        if rng.random() < 0.06:  # all-day
            lines += [
                "BEGIN:VEVENT",
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                "DTSTAMP:20261120T120000Z",
                f"UID:allday-{index}@bench",
                "SUMMARY:Off-site 🙂",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
            continue
        zone = None if rng.random() < 0.7 else rng.choice(zones)
        lines += _event(
            rng,
            f"single-{index}@bench",
            day,
            rng.choice([30, 45, 60, 90]),
            zone,
            f"Meeting {rng.choice(WORDS)} {index}",
            extra,
        )
    for index in range(series):
        zone = rng.choice(zones)
        start = first + timedelta(days=rng.randrange(span_days - 200), hours=rng.randrange(9))
        kind = rng.random()
        # a seller's recurring meetings: mostly weekly or monthly, few daily, most long over
        if kind < 0.5:
            day = rng.choice(["MO", "TU", "WE", "TH", "FR"])
            rule = f"FREQ=WEEKLY;BYDAY={day};COUNT={rng.randint(5, 120)}"
        elif kind < 0.6:
            until = start + timedelta(days=rng.randint(30, 400))
            rule = f"FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL={_stamp(until)}Z"
        elif kind < 0.8:
            rule = (
                f"FREQ=MONTHLY;BYDAY=1{rng.choice(['MO', 'WE', 'FR'])};COUNT={rng.randint(3, 40)}"
            )
        else:
            rule = f"FREQ=MONTHLY;BYDAY={rng.choice(['2', '3', '4'])}{rng.choice(['TU', 'TH'])}"
        extra = [f"RRULE:{rule}"]
        for skip in range(rng.randint(0, 4)):
            extra.append(f"EXDATE;TZID={zone}:{_stamp(start + timedelta(weeks=skip + 1))}")
        uid = f"series-{index}@bench"
        lines += _event(
            rng,
            uid,
            start,
            rng.choice([15, 30, 60]),
            zone,
            f"Series {rng.choice(WORDS)} {index}",
            extra,
        )
        for moved in range(rng.randint(0, 3)):  # overrides of single occurrences
            original = start + timedelta(weeks=moved + 6)
            lines += _event(
                rng,
                uid,
                original + timedelta(hours=2),
                30,
                zone,
                f"Series {index} (moved)",
                [f"RECURRENCE-ID;TZID={zone}:{_stamp(original)}"],
            )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def generate_store(path: Path, accounts: int, remarks: int, seed: int = 1) -> None:
    """A store at head with `accounts` accounts and `remarks` remarks, built with bulk inserts."""
    from sqlalchemy import insert

    from focusblock.names import LENSES
    from focusblock.store.store import Store
    from focusblock.store.tables import ACCOUNT_TABLE, REMARK_TABLE

    rng = random.Random(seed)
    store = Store.open(str(path), owner=OWNER)
    now = datetime(2026, 11, 20, 12, 0).astimezone()
    with store.transaction() as tx:
        conn = tx.conn
        conn.execute(
            insert(ACCOUNT_TABLE),
            [
                {
                    "id": i,
                    "name": f"Customer {i:05d}",
                    "name_key": f"customer {i:05d}",
                    "owner": OWNER,
                    "aliases": [],
                    "domains": [f"customer{i}.example"],
                    "stage": rng.choice(["pending"] * 8 + ["sold", "not-sold"]),
                    "need": "Faster close" if rng.random() < 0.5 else None,
                    "consequence": "Overtime" if rng.random() < 0.4 else None,
                    "decision_date": WEEK + timedelta(days=rng.randint(-30, 200))
                    if rng.random() < 0.5
                    else None,
                    "next_call": (
                        datetime.combine(WEEK, datetime.min.time()).astimezone()
                        + timedelta(days=rng.randint(0, 20), hours=rng.randint(9, 16))
                    )
                    if rng.random() < 0.3
                    else None,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, accounts + 1)
            ],
        )
        batch = []
        seen: set[tuple[int, str, date]] = set()  # a remark's identity is unique in a store
        for i in range(1, remarks + 1):
            key = (0, "", WEEK)
            while key[0] == 0 or key in seen:
                key = (
                    rng.randint(1, accounts),
                    " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40))),
                    WEEK - timedelta(days=rng.randint(1, 400)),
                )
            seen.add(key)
            batch.append(
                {
                    "id": i,
                    "account_id": key[0],
                    "text": key[1],
                    "who": "Someone",
                    "heard_on": key[2],
                    "via": "call",
                    "lens": rng.choice([None, *LENSES]),
                    "created_at": now,
                }
            )
            if len(batch) == 10_000:
                conn.execute(insert(REMARK_TABLE), batch)
                batch = []
        if batch:
            conn.execute(insert(REMARK_TABLE), batch)
    store.close()


def generate_account_with_remarks(path: Path, remarks: int, seed: int = 1) -> None:
    """One account with many remarks, for the worksheet benchmark."""
    from sqlalchemy import insert

    from focusblock.names import LENSES
    from focusblock.store.store import Store
    from focusblock.store.tables import ACCOUNT_TABLE, REMARK_TABLE

    rng = random.Random(seed)
    store = Store.open(str(path), owner=OWNER)
    now = datetime(2026, 11, 20, 12, 0).astimezone()
    with store.transaction() as tx:
        conn = tx.conn
        conn.execute(
            insert(ACCOUNT_TABLE),
            [
                {
                    "id": 1,
                    "name": "Big Account",
                    "name_key": "big account",
                    "owner": OWNER,
                    "aliases": [],
                    "domains": [],
                    "stage": "pending",
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        seen: set[tuple[str, date]] = set()  # a remark's identity is unique in a store
        rows: list[dict[str, object]] = []
        made = 0
        while made < remarks:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 50)))
            heard_on = WEEK - timedelta(days=rng.randint(1, 900))
            if (text, heard_on) in seen:
                continue
            seen.add((text, heard_on))
            made += 1
            rows.append(
                {
                    "account_id": 1,
                    "text": text,
                    "who": "Someone",
                    "heard_on": heard_on,
                    "via": "meeting",
                    "lens": rng.choice([None, *LENSES]),
                    "created_at": now,
                }
            )
            if len(rows) == 10_000 or made == remarks:
                conn.execute(insert(REMARK_TABLE), rows)
                rows = []
    store.close()


def generate_remarks_csv(path: Path, rows: int, accounts: int = 200, seed: int = 1) -> None:
    """A CRM-style export of `rows` remarks over `accounts` accounts (every row distinct),
    quoted cells with commas and line breaks among them, written as it is made."""
    import csv

    rng = random.Random(seed)
    channels = ("call", "meeting", "email", "chat")
    lenses = ("", "need", "risk", "cost", "timing", "decision")
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["account", "text", "who", "on", "via", "lens"])
        for i in range(rows):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 30)))
            if i % 10 == 0:
                words += ", she said,\nand again"
            writer.writerow(
                [
                    f"Customer {rng.randint(1, accounts):04d}",
                    f"{words} (#{i})",
                    f"Person {rng.randint(1, 50)}",
                    (WEEK - timedelta(days=rng.randint(7, 900))).isoformat(),
                    rng.choice(channels),
                    rng.choice(lenses),
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    cal = sub.add_parser("calendar")
    cal.add_argument("size", choices=sorted(SIZES))
    cal.add_argument("out", type=Path)
    cal.add_argument("--seed", type=int, default=1)
    sto = sub.add_parser("store")
    sto.add_argument("accounts", type=int)
    sto.add_argument("remarks", type=int)
    sto.add_argument("out", type=Path)
    sto.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.what == "calendar":
        args.out.write_bytes(generate_calendar(args.size, args.seed))
    else:
        generate_store(args.out, args.accounts, args.remarks, args.seed)


if __name__ == "__main__":
    main()
