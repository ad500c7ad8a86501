"""Secrets in feed URLs: a feed's address is its password, so it is never shown, stored or
written in clear. Every source is shown as scheme, host (and port) and at most the file
name of its last path segment, with a short tag telling two sources apart, or by the name
the user gave it. The feeds are served by a loopback stdlib HTTP server; each command runs
as the user runs it (a subprocess, bounded in time) or through the CLI runner.
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from focusblock.store.opening import make_engine, to_url, upgrade
from tests.calendar_servers import refused_port
from tests.conftest import EXAMPLES
from tests.helpers import add_old_acme

CALENDAR = (EXAMPLES / "calendar.ics").read_bytes()
EMPTY_CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n"
BOUND = 60  # seconds: a command that hangs fails the test instead

NEXTCLOUD_TOKEN = "AbCdEfGhIjKlMnOp"  # all letters: the old rule wanted 2+ digits
USERINFO_TOKEN = "UsErToKeNxYzWvQr"
# random 16-character tokens as services hand them out; with the old rule about 3 in 10
# (those with fewer than 2 digits) printed in clear
RANDOM_TOKENS = [
    "".join(random.Random(seed).choices(string.ascii_letters + string.digits, k=16))
    for seed in range(8)
]


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if "missing" in self.path:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = EMPTY_CALENDAR if "empty" in self.path else CALENDAR
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def feed_root() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def secret_feeds(root: str) -> list[tuple[str, str]]:
    """(URL, its secret) for every kind of secret address."""
    feeds = [
        (
            f"http://{root}/remote.php/dav/public-calendars/{NEXTCLOUD_TOKEN}?export",
            NEXTCLOUD_TOKEN,
        ),
        (f"http://{USERINFO_TOKEN}@{root}/", USERINFO_TOKEN),
        (f"http://{root}/cal/{NEXTCLOUD_TOKEN}/basic.ics#{USERINFO_TOKEN}", NEXTCLOUD_TOKEN),
        (f"http://{root}/feed.ics?key={USERINFO_TOKEN}", USERINFO_TOKEN),
    ]
    feeds += [(f"http://{root}/ical/{token}/basic.ics", token) for token in RANDOM_TOKENS]
    return feeds


def focusblock(
    store: str, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "focusblock", "--db", store, *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env={**os.environ, "FOCUSBLOCK_CALENDARS_TIMEOUT": "5", **(env or {})},
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 4, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("Hint:")]
    assert len(lines) == 1 and lines[0].startswith("Error:"), done.stderr
    return lines[0]


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def assert_nowhere(secret: str, *texts: str, folders: tuple[Path, ...] = ()) -> None:
    for text in texts:
        assert secret not in text
    for folder in folders:
        for path in files_under(folder):
            assert secret.encode() not in path.read_bytes(), path


def test_a_feed_url_shows_host_and_file_name_only_with_a_stable_tag():
    from focusblock.calendar.urls import mask_url, show_source

    google = "https://calendar.google.com/calendar/ical/me%40gmail.com/private-0a1b2c/basic.ics"
    shown = mask_url(google)
    assert shown.startswith("https://calendar.google.com/…/basic.ics (#")
    assert "gmail" not in shown and "0a1b2c" not in shown
    assert mask_url(google) == shown  # stable
    other = google.replace("0a1b2c", "0a1b2d")
    assert mask_url(other) != shown  # two sources stay distinguishable
    nextcloud = (
        f"https://cloud.example.com/remote.php/dav/public-calendars/{NEXTCLOUD_TOKEN}?export"
    )
    assert mask_url(nextcloud).startswith("https://cloud.example.com/… (#")
    assert mask_url("https://me:pw@cal.example.com:8443/basic.ics").startswith(
        "https://cal.example.com:8443/…/basic.ics (#"
    )
    # a token as the file name is no file name
    assert NEXTCLOUD_TOKEN not in mask_url(f"https://cal.example.com/{NEXTCLOUD_TOKEN}.ics")
    assert show_source(f"Team calendar={nextcloud}") == "Team calendar"
    assert show_source("notes=2026.ics") == "notes=2026.ics"  # a file name with '=' is a file


def test_busy_table_and_json_show_no_secret(feed_root, store_target, tmp_path):
    for url, secret in secret_feeds(feed_root):
        table = focusblock(store_target, "busy", "--busy", url, cwd=tmp_path)
        listed = focusblock(store_target, "busy", "--busy", url, "--json", cwd=tmp_path)
        for done in (table, listed):
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
            assert_nowhere(secret, done.stdout, done.stderr)
        assert f"http://{feed_root}/" in table.stdout and "(#" in table.stdout
        sources = json.dumps(json.loads(listed.stdout))
        assert f"http://{feed_root}/" in sources and "(#" in sources


@pytest.mark.parametrize("failure", ["404", "refused", "space", "control"])
def test_feed_errors_are_one_masked_line(feed_root, store_target, tmp_path, failure):
    secret = NEXTCLOUD_TOKEN
    if failure == "404":
        url = f"http://{feed_root}/missing/{secret}?export"
    elif failure == "refused":
        with refused_port() as port:
            url = f"http://127.0.0.1:{port}/remote.php/dav/public-calendars/{secret}?export"
            done = focusblock(store_target, "busy", "--busy", url, cwd=tmp_path)
    elif failure == "space":
        url = f"http://{feed_root}/remote.php/dav/public calendars/{secret}?export"
    else:
        url = f"http://{feed_root}/remote.php/dav/public-calendars/{secret}\x01/basic.ics"
    if failure != "refused":
        done = focusblock(store_target, "busy", "--busy", url, cwd=tmp_path)
    line = one_line_error(done)
    assert_nowhere(secret, done.stdout, done.stderr)
    assert "(#" in line


def test_named_sources_show_their_name(feed_root, store_target, tmp_path):
    nextcloud, secret = secret_feeds(feed_root)[0]
    other, other_secret = secret_feeds(feed_root)[1]
    config = tmp_path / "config.toml"
    config.write_text(
        f'[calendars]\nbusy = [{{url = "{nextcloud}", name = "Team calendar"}}, "{other}"]\n',
        encoding="utf-8",
    )
    env = {"FOCUSBLOCK_CONFIG": str(config)}
    shown = focusblock(store_target, "config", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Team calendar" in shown.stdout and f"http://{feed_root}/" in shown.stdout
    assert_nowhere(secret, shown.stdout, shown.stderr)
    assert_nowhere(other_secret, shown.stdout, shown.stderr)
    table = focusblock(store_target, "busy", "--json", cwd=tmp_path, env=env)
    assert table.returncode == 0, table.stderr
    assert "Team calendar" in table.stdout
    assert_nowhere(secret, table.stdout, table.stderr)
    assert_nowhere(other_secret, table.stdout, table.stderr)
    # --busy NAME=URL names it too
    named = focusblock(store_target, "busy", "--busy", f"Home={nextcloud}", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert "Home" in named.stdout
    assert_nowhere(secret, named.stdout, named.stderr)
    # one name for two calendars would read them as one (shown, cached and tracked so):
    # refused in one line, naming neither address
    twice = ("--busy", f"Home={nextcloud}", "--busy", f"Home={other}")
    line = one_line_error(focusblock(store_target, "busy", *twice, cwd=tmp_path))
    assert "Home=" in line and "names two calendars" in line, line
    assert_nowhere(secret, line)
    assert_nowhere(other_secret, line)
    # an error names the source by its name
    failed = focusblock(
        store_target,
        "busy",
        "--busy",
        f"Team calendar=http://{feed_root}/missing/{secret}",
        cwd=tmp_path,
    )
    assert one_line_error(failed).startswith("Error: Team calendar: ")
    assert_nowhere(secret, failed.stdout, failed.stderr)


def test_a_file_path_with_an_equals_sign_is_still_a_file(store_target, tmp_path):
    path = tmp_path / "work=2026.ics"
    path.write_bytes(CALENDAR)
    done = focusblock(store_target, "busy", "--busy", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_no_secret_in_the_plan_store_export_ics_or_worksheets(
    feed_root, example_store, db_path, tmp_path
):
    for index, (url, secret) in enumerate(secret_feeds(feed_root)[:3]):
        out = tmp_path / f"plan{index}" / "week.ics"
        out.parent.mkdir(exist_ok=True)
        planned = example_store("plan", "--busy", url, "--out", str(out))
        assert "Kestrel" in planned.stdout  # the calls table shows the call taken
        assert_nowhere(secret, planned.stdout, planned.stderr, folders=(out.parent,))
        exported = example_store("export").stdout
        assert_nowhere(secret, exported)
        sources = {
            b["call_source"] for b in json.loads(exported)["focus_blocks"] if b["call_source"]
        }
        assert sources and all(s.startswith(f"http://{feed_root}/") for s in sources)
        assert_nowhere(secret, folders=(db_path.parent,))  # the store's bytes, WAL and all


OLD_NEXTCLOUD = f"https://cloud.example.com/remote.php/dav/public-calendars/{NEXTCLOUD_TOKEN}?***"
OLD_USERINFO = f"https://{USERINFO_TOKEN}@cal.example.com/basic.ics"
OLD_CALDAV = "caldav:https://me:***@dav.example.com/me/work/call.ics"


@pytest.mark.both_stores("upgrades: a migration rewrites text already stored, on both stores")
@pytest.mark.fresh_store("it migrates the store one revision at a time itself")
def test_the_upgrade_masks_the_sources_already_stored(store_target, run, tmp_path):
    """A store at 0016 keeps feed URLs as the old rule masked them (an all-letter token and
    a user part in clear): after the upgrade neither is stored, and files and CalDAV
    collections are kept as they were."""
    engine = make_engine(to_url(store_target))
    upgrade(engine, "0016")
    with engine.begin() as conn:
        add_old_acme(conn)
        for block_id, source, seen in (
            (1, OLD_NEXTCLOUD, OLD_USERINFO),
            (2, "/home/me/cal/work.ics", OLD_CALDAV.rsplit("/", 1)[0] + "/"),
            (3, OLD_CALDAV, None),
        ):
            conn.execute(
                sa.text(
                    'INSERT INTO focus_block (id, account_id, week, start, "end", timezone, '
                    "uid, sequence, status, call_source, seen_in, updated_at, pinned) VALUES "
                    "(:id, 1, '2026-W49', '2026-12-01 14:00:00', '2026-12-01 15:00:00', "
                    "'America/New_York', :uid, 0, 'planned', :source, :seen, "
                    "'2026-11-25 00:00:00', false)"
                ),
                {
                    "id": block_id,
                    "uid": f"block-{block_id}@focusblock",
                    "source": source,
                    "seen": seen,
                },
            )
    engine.dispose()
    os.environ["FOCUSBLOCK_EMAIL"] = "me"
    try:
        exported = run("export").stdout
    finally:
        del os.environ["FOCUSBLOCK_EMAIL"]
    assert_nowhere(NEXTCLOUD_TOKEN, exported)
    assert_nowhere(USERINFO_TOKEN, exported)
    blocks = {b["id"]: b for b in json.loads(exported)["focus_blocks"]}
    assert blocks[1]["call_source"].startswith("https://cloud.example.com/… (#")
    assert blocks[1]["seen_in"].startswith("https://cal.example.com/…/basic.ics (#")
    assert blocks[2]["call_source"] == "/home/me/cal/work.ics"
    assert blocks[2]["seen_in"] == "caldav:https://me:***@dav.example.com/me/work/"
    assert blocks[3]["call_source"] == OLD_CALDAV
    if not store_target.startswith("postgresql"):  # the file's bytes, not only its rows
        store = Path(store_target)
        for path in store.parent.glob(store.name + "*"):
            if ".before-upgrade-" not in path.name:  # the copy made before the upgrade
                assert NEXTCLOUD_TOKEN.encode() not in path.read_bytes(), path
                assert USERINFO_TOKEN.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ('{url = "~/cal/work.ics", name = "Work"}', "must be an https feed or caldav:URL"),
        ('{url = "https://cal.example.com/x.ics", name = "a=b"}', 'without "="'),
        ('{url = "https://cal.example.com/x.ics"}', "expected a list of calendars"),
    ],
)
def test_a_bad_named_source_in_the_settings_is_one_line(store_target, tmp_path, entry, said):
    config = tmp_path / "config.toml"
    config.write_text(f"[calendars]\nbusy = [{entry}]\n", encoding="utf-8")
    done = focusblock(store_target, "config", cwd=tmp_path, env={"FOCUSBLOCK_CONFIG": str(config)})
    assert "Traceback" not in done.stderr
    assert done.returncode == 5, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"Error: {config}: 'calendars.busy': ") and said in line


def test_a_plan_on_an_empty_feed_names_it_masked(feed_root, store_target, tmp_path):
    url = f"http://{feed_root}/empty/remote.php/dav/public-calendars/{NEXTCLOUD_TOKEN}?export"
    done = focusblock(store_target, "plan", "--busy", url, cwd=tmp_path)
    line = one_line_error(done)
    assert f"http://{feed_root}/… (#" in line
    assert_nowhere(NEXTCLOUD_TOKEN, done.stdout, done.stderr, folders=(tmp_path,))


@pytest.mark.parametrize(
    "spec",
    [
        "Sales=EMEA=https://user:pw@calendar.example.com/ical/private-abc123/basic.ics",
        " https://user:pw@calendar.example.com/ical/private-abc123/basic.ics",
        "htps://user:pw@calendar.example.com/ical/private-abc123/basic.ics",
    ],
    ids=["a name with '='", "a pasted space", "a mistyped scheme"],
)
def test_an_address_read_as_a_file_shows_no_secret(run, spec, tmp_path, monkeypatch):
    """Not read as an address, so read as a file that is not there: the error, and
    `config`, still hide the address's secret."""
    done = run("busy", "--busy", spec, "--week", "2026-W49", code=4)
    config = tmp_path / "config.toml"
    config.write_text(f"[calendars]\nbusy = [{json.dumps(spec)}]\n")
    monkeypatch.setenv("FOCUSBLOCK_CONFIG", str(config))
    shown = run("config").stdout + run("config", "--json").stdout
    for secret in ("pw@", "private-abc123", "user:pw"):
        assert secret not in done.stderr + done.stdout
        assert secret not in shown
