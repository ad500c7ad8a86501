#!/usr/bin/env python3
"""`plan` from files beside the same plan from a feed and a CalDAV calendar (local servers).

    python bench/live_calendars.py [--runs N]

Starts Radicale and a feed server on 127.0.0.1 (tests/calendar_servers.py), loads the
example calendar split between them, and times `focusblock plan` as a user runs it
(a fresh process each time): from the .ics file, from the feed and CalDAV, and the
same with --publish to a CalDAV calendar. Medians in seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.calendar_servers import PASSWORD, USER, FeedServer, Radicale  # noqa: E402
from tests.conftest import EXAMPLE_ACCOUNTS, EXAMPLES, NOW  # noqa: E402
from tests.test_live_calendars import split_events  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "HOME": str(folder),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
            "FOCUSBLOCK_TIMEZONE": "America/New_York",
            "FOCUSBLOCK_NOW": NOW,
            "FOCUSBLOCK_PLAN_PDF": "false",
            "FOCUSBLOCK_EMAIL": "alex.morgan@example.com",
            "FOCUSBLOCK_CALENDARS_USERNAME": USER,
            "FOCUSBLOCK_CALDAV_PASSWORD": PASSWORD,
        }
        cli = [sys.executable, "-m", "focusblock", "--db", str(folder / "bench.db")]

        def run(*args: str) -> float:
            start = time.perf_counter()
            subprocess.run([*cli, *args], env=env, cwd=folder, check=True, capture_output=True)
            return time.perf_counter() - start

        for name, *options in EXAMPLE_ACCOUNTS:
            run("account", "add", name, *options)
        run("remark", "import", str(EXAMPLES / "remarks.csv"))
        (folder / "radicale").mkdir()
        radicale = Radicale(folder / "radicale")
        feeds = FeedServer()
        feeds.start()
        try:
            work, work_spec = radicale.new_calendar("work")
            _, focus_spec = radicale.new_calendar("focus")
            parts = split_events((EXAMPLES / "calendar.ics").read_bytes())
            half = len(parts) // 2
            for _, body in parts[:half]:
                work.save_event(body.decode(), increase_seqno=False)
            feeds.feeds["/basic.ics"] = b"".join(body for _, body in parts[half:])
            live = ["--busy", feeds.url("/basic.ics"), "--busy", work_spec]
            cases = {
                "plan --busy calendar.ics": ["--busy", str(EXAMPLES / "calendar.ics")],
                "plan --busy FEED --busy caldav:WORK": live,
                "  ... and --publish caldav:FOCUS": [*live, "--publish", focus_spec],
            }
            for label, args in cases.items():
                times = [run("plan", *args, "--out", str(folder / "f.ics")) for _ in range(runs)]
                print(
                    f"{label:40} median {statistics.median(times):.2f} s  "
                    f"(min {min(times):.2f}, max {max(times):.2f}, {runs} runs)"
                )
        finally:
            feeds.stop()
            radicale.stop()


if __name__ == "__main__":
    main()
