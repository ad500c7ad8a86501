"""Live calendars against real servers on 127.0.0.1: Radicale (CalDAV) and an http feed server.

Busy time from a file, a zip, a folder, a feed and a CalDAV calendar must be the same;
publishing must create, move and delete only focusblock's own events; secrets (feed
tokens, the password) must never appear in what the user sees.
`busy` reads a calendar from standard input too.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import stat
import sys
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from focusblock.calendar.credentials import Credentials
from focusblock.calendar.reading import read_calendars
from focusblock.calendar.sources import SourceOptions, open_sources
from focusblock.calendar.urls import mask_url
from focusblock.errors import BadInput
from tests.calendar_servers import PASSWORD, USER, FeedServer, Radicale
from tests.conftest import EXAMPLES
from tests.helpers import meeting_over, parsed_texts

CALENDAR = EXAMPLES / "calendar.ics"
ZONE = ZoneInfo("America/New_York")
WEEK_START = datetime(2026, 11, 30, tzinfo=ZONE)
WEEK_END = WEEK_START + timedelta(days=7)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
TOKEN = "private-0f3c9a7e5b2d4c6a8e1f0b9d7c5a3e21"
SECRET_PATH = f"/calendar/ical/alex.morgan%40example.com/{TOKEN}/basic.ics"
_names = itertools.count()


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def feeds():
    server = FeedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch, tmp_path):
    """Nothing a test writes without a path lands outside tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def caldav_env(monkeypatch, tmp_path):
    """The settings a CalDAV user has: username in the settings, password in the environment."""
    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_USERNAME", USER)
    monkeypatch.setenv("FOCUSBLOCK_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def fresh_calendar(radicale, stem="cal"):
    return radicale.new_calendar(f"{stem}{next(_names)}")


def split_events(data: bytes) -> list[tuple[str, bytes]]:
    """One calendar per UID (overrides with their master), with the file's zones and header."""
    calendar = icalendar.Calendar.from_ical(data)
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    groups: dict[str, list] = {}
    for event in calendar.walk("VEVENT"):
        groups.setdefault(str(event["UID"]), []).append(event)
    files = []
    for uid, events in groups.items():
        single = icalendar.Calendar()
        for name, value in calendar.items():
            single.add(name, value)
        for part in (*zones, *events):
            single.add_component(part)
        files.append((uid, single.to_ical()))
    return files


def spans(sources, options=None):
    reading = read_calendars(sources, WEEK_START, WEEK_END, ZONE, "alex.morgan@example.com")
    return sorted((e.start, e.end, e.summary, e.free_reason) for e in reading.events)


def options_for(tmp_path, creds=None, **kw):
    return SourceOptions(
        start=WEEK_START,
        end=WEEK_END,
        now=kw.pop("now", NOW),
        cache_dir=tmp_path / "cache",
        credentials=creds or Credentials(USER, environ={"FOCUSBLOCK_CALDAV_PASSWORD": PASSWORD}),
        **kw,
    )


# -- reading: the same busy time from every kind of source ------------------------


@pytest.mark.slow  # a Radicale server
def test_same_busy_spans_from_file_zip_folder_feed_and_caldav(tmp_path, radicale, feeds):
    data = CALENDAR.read_bytes()
    parts = split_events(data)
    assert len(parts) >= 10

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("alex.morgan@example.com.ics", data)
    folder = tmp_path / "vdir"
    folder.mkdir()
    for index, (_, body) in enumerate(parts):
        (folder / f"event-{index}.ics").write_bytes(body)
    feeds.feeds["/same/basic.ics"] = data
    calendar, spec = fresh_calendar(radicale, "same")
    for _, body in parts:
        calendar.save_event(body.decode(), increase_seqno=False)

    options = options_for(tmp_path)
    expected = spans(open_sources([str(CALENDAR)], options).sources)
    assert len([s for s in expected if s[3] is None]) >= 10  # a real week of meetings
    for spec_or_path in (str(archive), str(folder), feeds.url("/same/basic.ics"), spec):
        opened = open_sources([spec_or_path], options)
        assert opened.warnings == []
        assert spans(opened.sources) == expected, spec_or_path


def test_google_zip_reads_every_calendar_inside(tmp_path, write):
    extra = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:holiday@x\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261201T150000Z\r\n"
        b"DTEND:20261201T160000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Calendar/work.ics", CALENDAR.read_bytes())
        z.writestr("Calendar/private.ics", extra)
        z.writestr("Calendar/readme.txt", "not a calendar")
    opened = open_sources([str(archive)], options_for(tmp_path))
    assert [s.name for s in opened.sources] == [
        f"{archive}:Calendar/private.ics",
        f"{archive}:Calendar/work.ics",
    ]
    summaries = {s[2] for s in spans(opened.sources)}
    assert "Dentist" in summaries and len(summaries) > 5


def test_zip_bomb_and_empty_zip_are_one_line_errors(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.ics", b"BEGIN:VCALENDAR\r\n" + b" " * (120 * 1024 * 1024))
    with pytest.raises(BadInput, match="zip bomb"):
        open_sources([str(bomb)], options_for(tmp_path))
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(BadInput, match=r"holds no \.ics"):
        open_sources([str(empty)], options_for(tmp_path))


def test_busy_command_reads_a_zip_and_names_each_member(example_store, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("work.ics", CALENDAR.read_bytes())
    result = example_store("busy", "--busy", str(archive), "--json")
    data = json.loads(result.stdout)
    assert len(data["busy"]) >= 10
    assert all(e["source"] == f"{archive}:work.ics" for e in data["busy"])


def test_folder_with_a_broken_file_warns_and_reads_the_rest(tmp_path):
    folder = tmp_path / "vdir"
    folder.mkdir()
    for index, (_, body) in enumerate(split_events(CALENDAR.read_bytes())):
        (folder / f"{index}.ics").write_bytes(body)
    (folder / "zz-broken.ics").write_bytes(b"\x00\x01 not a calendar")
    (folder / ".hidden.ics").write_bytes(b"\x00")  # vdirsyncer's temporaries: skipped
    sources = open_sources([str(folder)], options_for(tmp_path)).sources
    reading = read_calendars(sources, WEEK_START, WEEK_END, ZONE)
    assert len(reading.busy_between(WEEK_START, WEEK_END)) >= 10
    assert reading.warnings == [
        f"skipped: {folder / 'zz-broken.ics'}: binary data, not an iCalendar (.ics) file"
    ]


# -- feeds ---------------------------------------------------------------------------


@pytest.mark.slow  # an HTTP feed server
def test_feed_is_cached_0600_and_a_304_is_not_downloaded_again(tmp_path, feeds):
    feeds.feeds["/cached/basic.ics"] = CALENDAR.read_bytes()
    url = feeds.url("/cached/basic.ics")
    first = open_sources([url], options_for(tmp_path))
    second = open_sources([url], options_for(tmp_path, now=NOW + timedelta(hours=1)))
    assert feeds.downloads["/cached/basic.ics"] == 1
    assert feeds.not_modified["/cached/basic.ics"] == 1
    assert spans(first.sources) == spans(second.sources)
    files = list((tmp_path / "cache" / "feeds").iterdir())
    assert len(files) == 2  # the copy and its ETag
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE((tmp_path / "cache" / "feeds").stat().st_mode) == 0o700
    assert all("cached" not in f.name for f in files)  # named by a hash, not by the URL


@pytest.mark.slow  # an HTTP feed server
def test_server_error_uses_the_cached_copy_with_its_age_until_max_age(tmp_path, feeds):
    path = SECRET_PATH.replace("basic", "flaky")
    feeds.feeds[path] = CALENDAR.read_bytes()
    url = feeds.url(path)
    fresh = spans(open_sources([url], options_for(tmp_path)).sources)
    feeds.failing.add(path)
    try:
        later = open_sources([url], options_for(tmp_path, now=NOW + timedelta(hours=3)))
        assert spans(later.sources) == fresh
        (warning,) = later.warnings
        assert "server answered 500" in warning and "copy from 3 h ago" in warning
        assert TOKEN not in warning and "/…/flaky.ics (#" in warning
        with pytest.raises(BadInput, match=r"older than calendars\.max_age") as caught:
            open_sources([url], options_for(tmp_path, now=NOW + timedelta(hours=25)))
        assert TOKEN not in str(caught.value)
    finally:
        feeds.failing.discard(path)


@pytest.mark.slow  # an HTTP feed server
def test_slow_feed_times_out_and_loops_and_500s_are_one_line(tmp_path, feeds):
    with pytest.raises(BadInput) as slow:
        open_sources([feeds.url("/slow.ics")], options_for(tmp_path, timeout=0.5))
    assert "no answer within 0.5 s" in str(slow.value) and "no cached copy" in str(slow.value)
    with pytest.raises(BadInput, match="redirects") as loop:
        open_sources([feeds.url("/loop0.ics")], options_for(tmp_path))
    with pytest.raises(BadInput, match="answered 500") as error:
        open_sources([feeds.url("/error.ics")], options_for(tmp_path))
    with pytest.raises(BadInput, match="404"):
        open_sources([feeds.url(SECRET_PATH.replace("basic", "gone"))], options_for(tmp_path))
    for caught in (slow, loop, error):
        assert "\n" not in str(caught.value)


def test_offline_feed_without_cache_is_a_one_line_error_with_the_token_masked(
    example_store, tmp_path
):
    from tests.calendar_servers import free_port

    url = f"http://127.0.0.1:{free_port()}{SECRET_PATH}"
    result = example_store("busy", "--busy", url, code=4)
    assert TOKEN not in result.stderr + result.stdout
    assert result.stderr.strip().splitlines() == [
        f"Error: {mask_url(url)}: cannot reach the server (connection refused), and there "
        "is no cached copy of this feed"
    ]


@pytest.mark.slow  # an HTTP feed server
def test_feed_with_a_password_in_its_url_uses_basic_auth_and_masks_it(tmp_path, feeds):
    feeds.feeds["/auth/basic.ics"] = CALENDAR.read_bytes()
    good = feeds.url("/auth/basic.ics").replace("//", f"//{USER}:{PASSWORD}@", 1)
    assert len(spans(open_sources([good], options_for(tmp_path)).sources)) >= 10
    bad = good.replace(PASSWORD, "nope-" + PASSWORD)
    with pytest.raises(BadInput, match="refused access") as caught:
        open_sources([bad], options_for(tmp_path / "other"))
    assert PASSWORD not in str(caught.value) and "/…/basic.ics (#" in str(caught.value)


def test_mask_url_hides_tokens_passwords_and_queries():
    google = "https://calendar.google.com/calendar/ical/me%40gmail.com/" + TOKEN + "/basic.ics"
    assert mask_url(google) == (
        "https://calendar.google.com/…/basic.ics (#"
        + hashlib.sha256(google.encode()).hexdigest()[:4]
        + ")"
    )
    outlook = (
        "https://outlook.office365.com/owa/calendar/4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f@corp.com/"
        "a1b2c3d4e5f60718293a4b5c6d7e8f901234567890/calendar.ics"
    )
    assert mask_url(outlook).startswith("https://outlook.office365.com/…/calendar.ics (#")
    assert mask_url("https://me:hunter2@cal.example.com/x.ics?key=abc").startswith(
        "https://cal.example.com/…/x.ics (#"
    )
    assert mask_url("caldav:https://me:pw@dav.example.com/me/focus/") == (
        "caldav:https://me:***@dav.example.com/me/focus/"
    )


# -- CalDAV reading ------------------------------------------------------------------


@pytest.mark.slow  # a Radicale server
def test_caldav_wrong_password_and_server_down_are_one_line_errors(
    example_store, radicale, caldav_env, monkeypatch
):
    _, spec = fresh_calendar(radicale)
    wrong = "wrong-" + PASSWORD
    monkeypatch.setenv("FOCUSBLOCK_CALDAV_PASSWORD", wrong)
    result = example_store("busy", "--busy", spec, code=4)
    assert wrong not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: {spec}: cannot read the calendar: the server refused the username or "
        "password (401)"
    ]
    result = example_store("plan", "--publish", spec, "--busy", str(CALENDAR), code=4)
    assert wrong not in result.stdout + result.stderr
    assert "refused the username or password" in result.stderr

    from tests.calendar_servers import refused_port

    with refused_port() as port:
        down = f"caldav:http://127.0.0.1:{port}/{USER}/work/"
        result = example_store("busy", "--busy", down, code=4)
    assert wrong not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: {down}: cannot read the calendar: cannot reach the server "
        "(connection refused); is it running?"
    ]


@pytest.mark.slow  # a Radicale server
def test_password_command_is_run_and_its_failure_is_one_line(
    example_store, radicale, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_USERNAME", USER)
    calendar, spec = fresh_calendar(radicale)
    for _, body in split_events(CALENDAR.read_bytes()):
        calendar.save_event(body.decode(), increase_seqno=False)
    script = tmp_path / "secret.py"
    script.write_text(f"print({PASSWORD!r})\n")
    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_PASSWORD_COMMAND", f"{sys.executable} {script}")
    result = example_store("busy", "--busy", spec, "--json")
    assert len(json.loads(result.stdout)["busy"]) >= 10
    assert PASSWORD not in result.stdout + result.stderr

    failing = tmp_path / "fail.py"
    failing.write_text(f"import sys; print({PASSWORD!r}, file=sys.stderr); sys.exit(3)\n")
    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_PASSWORD_COMMAND", f"{sys.executable} {failing}")
    result = example_store("busy", "--busy", spec, code=5)
    assert PASSWORD not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: 'calendars.password_command': {sys.executable} failed (exit status 3)"
    ]


def test_a_password_in_the_settings_file_is_refused(run, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[calendars]\nusername = "me"\npassword = "hunter2"\n')
    result = run("--config", str(config), "busy", code=5)
    assert "hunter2" not in result.stdout + result.stderr
    assert "no password in the settings file" in result.stderr


def test_plain_http_caldav_is_refused_off_the_local_network(example_store, caldav_env):
    result = example_store("busy", "--busy", "caldav:http://dav.example.com/me/work/", code=4)
    assert "use https" in result.stderr


# -- publishing ----------------------------------------------------------------------


def focus_events(calendar):
    """uid -> (resource URL, VEVENT) of every event in the collection."""
    found = {}
    for item in calendar.events():
        event = icalendar.Calendar.from_ical(item.data).walk("VEVENT")[0]
        found[str(event["UID"])] = (str(item.url), event)
    return found


HAND_MADE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//hand//EN\r\nBEGIN:VEVENT\r\n"
    "UID:my-own-note@example.com\r\nDTSTAMP:20261120T000000Z\r\n"
    "DTSTART:20261202T180000Z\r\nDTEND:20261202T190000Z\r\nSUMMARY:Focus: my own thinking time\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.slow  # a Radicale server
def test_publish_moves_and_withdraws_blocks_in_place_and_leaves_other_events(
    example_store, radicale, caldav_env, tmp_path, write
):
    calendar, spec = fresh_calendar(radicale, "focus")
    hand = calendar.save_event(HAND_MADE, increase_seqno=False)
    hand_etag = hand.etag
    assert hand_etag

    dry = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--dry-run")
    assert "would be created" in dry.stdout
    assert set(focus_events(calendar)) == {"my-own-note@example.com"}

    out = tmp_path / "a.ics"
    first = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--out", str(out))
    assert "were created" in first.stdout and "1 other event left as it is" in first.stdout
    published = focus_events(calendar)
    in_file = {str(e["UID"]) for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert set(published) == in_file | {"my-own-note@example.com"}
    ours = {uid: ev for uid, (_, ev) in published.items() if ev.get("X-FOCUSBLOCK") == "1"}
    assert len(ours) == len(in_file) >= 3
    kestrel_uid = next(u for u, e in ours.items() if str(e["SUMMARY"]) == "Focus: Kestrel Robotics")
    kestrel_url, kestrel = published[kestrel_uid]

    again = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--out", str(out))
    assert "were created" not in again.stdout and "were updated" not in again.stdout

    start = kestrel["DTSTART"].dt.strftime("%Y%m%dT%H%M%SZ")
    end = kestrel["DTEND"].dt.strftime("%Y%m%dT%H%M%SZ")
    meeting = write(
        "meeting.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:urgent@example.com\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:{start}\r\n"
        f"DTEND:{end}\r\nSUMMARY:Urgent escalation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    moved = example_store(
        "plan", "--busy", str(CALENDAR), "--busy", str(meeting), "--publish", spec, "--no-file"
    )
    assert "1 was updated: Kestrel Robotics" in moved.stdout
    after = focus_events(calendar)
    moved_url, moved_event = after[kestrel_uid]
    assert moved_url == kestrel_url  # the same resource, updated in place
    assert int(moved_event["SEQUENCE"]) > int(kestrel["SEQUENCE"])
    assert moved_event["DTSTART"].dt != kestrel["DTSTART"].dt
    kestrels = [e for _, e in after.values() if "Kestrel" in str(e["SUMMARY"])]
    assert len(kestrels) == 1  # still one event per account

    withdrawn_uid = next(u for u, e in ours.items() if "Brightwater" in str(e["SUMMARY"]))
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    gone = example_store(
        "plan", "--busy", str(CALENDAR), "--busy", str(meeting), "--publish", spec, "--no-file"
    )
    assert "1 was deleted: Brightwater Health" in gone.stdout
    final = focus_events(calendar)
    assert withdrawn_uid not in final
    assert kestrel_uid in final
    (hand_now,) = [item for item in calendar.events() if "my-own-note" in str(item.url)]
    assert hand_now.etag == hand_etag  # never touched: the server's version is the same


@pytest.mark.slow  # a Radicale server
def test_a_concurrent_change_is_a_412_one_line_error(radicale, tmp_path):
    from focusblock.calendar.publish import _update, resource_ics
    from focusblock.calendar.writing import shown_text
    from focusblock.model import BlockStatus, FocusBlock

    calendar, spec = fresh_calendar(radicale, "race")
    start = datetime(2026, 12, 1, 10, tzinfo=ZONE)
    end = start + timedelta(hours=1)
    block = FocusBlock(
        1, "2026-W49", "race@focusblock", start, end, "UTC", 0, BlockStatus.PLANNED, NOW
    )

    def render(block: FocusBlock) -> bytes:
        return resource_ics(block, lambda _: shown_text("Acme", "", False), NOW, False)

    saved = calendar.save_event(render(block).decode(), increase_seqno=False)
    stale = calendar.event_by_url(saved.url)
    stale.load()
    saved.data = saved.data.replace("Focus: Acme", "Focus: Acme (edited on the phone)")
    saved.save(increase_seqno=False)  # someone else changes it meanwhile
    vevent = icalendar.Calendar.from_ical(stale.data).walk("VEVENT")[0]
    moved = replace(
        block, sequence=1, start=start + timedelta(hours=2), end=start + timedelta(hours=3)
    )
    creds = Credentials(USER, environ={"FOCUSBLOCK_CALDAV_PASSWORD": PASSWORD})
    with pytest.raises(BadInput, match="someone changed this event on the server") as caught:
        _update(stale, vevent, moved, render, spec, creds, "Acme")
    assert "\n" not in str(caught.value)


def test_out_folder_is_a_vdir_that_keeps_other_files(example_store, tmp_path):
    folder = tmp_path / "focus"
    folder.mkdir()
    mine = folder / "mine.ics"
    mine.write_bytes(HAND_MADE.encode())
    example_store("plan", "--busy", str(CALENDAR), "--out", f"{folder}/")
    files = sorted(p.name for p in folder.glob("*.ics"))
    blocks = [p for p in folder.glob("*@focusblock.ics")]
    assert len(blocks) >= 3 and "mine.ics" in files
    assert not list(folder.glob("*.md"))  # worksheets beside the folder, not in it
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in blocks)
    for path in blocks:
        (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert path.name == f"{event['UID']}.ics" and event["X-FOCUSBLOCK"] == "1"
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    result = example_store("plan", "--busy", str(CALENDAR), "--out", f"{folder}/")
    assert "1 removed" in result.stdout
    left = {p.name for p in folder.glob("*@focusblock.ics")}
    assert len(left) == len(blocks) - 1
    assert mine.read_bytes() == HAND_MADE.encode()
    stamps = {name: (folder / name).stat().st_mtime_ns for name in left}
    again = example_store("plan", "--busy", str(CALENDAR), "--out", f"{folder}/")
    assert "0 written" in again.stdout  # nothing changed: vdirsyncer has nothing to upload
    assert all(stamps[name] == (folder / name).stat().st_mtime_ns for name in left)


@pytest.mark.slow  # a Radicale server
def test_plan_with_no_options_reads_a_feed_and_caldav_and_publishes(
    example_store, radicale, feeds, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    work, work_spec = fresh_calendar(radicale, "work")
    parts = split_events(CALENDAR.read_bytes())
    half = len(parts) // 2
    for _, body in parts[:half]:
        work.save_event(body.decode(), increase_seqno=False)
    feed_body = b"".join(body for _, body in parts[half:])
    feeds.feeds[SECRET_PATH] = feed_body
    focus, focus_spec = fresh_calendar(radicale, "focus")
    password_script = tmp_path / "pw.py"
    password_script.write_text(f"print({PASSWORD!r})\n")
    config = tmp_path / "home" / "config" / "focusblock" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        "[calendars]\n"
        # the Focus calendar itself among the busy ones: our blocks read back are not busy
        f'busy = ["{feeds.url(SECRET_PATH)}", "{work_spec}", "{focus_spec}"]\n'
        f'publish = "{focus_spec}"\n'
        f'username = "{USER}"\n'
        f"password_command = '{sys.executable} {password_script}'\n"
    )
    result = example_store("plan")
    assert "were created" in result.stdout
    assert TOKEN not in result.stdout + result.stderr and PASSWORD not in result.stdout
    (written,) = tmp_path.glob("store/weeks/2026-W49/*.ics")  # beside the SQLite store
    assert written.name == "focusblock-2026-W49.ics"  # the store's week folder, not the cwd
    assert not list(tmp_path.glob("*.ics"))
    assert len(focus_events(focus)) >= 3

    from_files = json.loads(example_store("plan", "--busy", str(CALENDAR), "--json").stdout)
    live = json.loads(example_store("plan", "--json").stdout)
    assert [(b["account"], b["start"]) for b in live["blocks"]] == [
        (b["account"], b["start"]) for b in from_files["blocks"]
    ]
    shown = example_store("config", "--json").stdout
    assert TOKEN not in shown and "/…/basic.ics (#" in shown


def test_busy_reads_standard_input(run):
    from tests.conftest import EXAMPLES

    data = (EXAMPLES / "calendar.ics").read_text(encoding="utf-8")
    result = run("busy", "--busy", "-", "--week", "2026-W49", "--json", stdin=data)
    busy = json.loads(result.stdout)["busy"]
    assert any(e["summary"] == "Pipeline review" and e["source"] == "<stdin>" for e in busy)


# -- the calendar is the seller's: what they do to published blocks wins ------------------


def edit_on_server(calendar, uid: str, change) -> None:
    """Change one published event as a calendar app would: read it, edit, save it back."""
    for item in calendar.events():
        parsed = icalendar.Calendar.from_ical(item.data)
        event = parsed.walk("VEVENT")[0]
        if str(event["UID"]) == uid:
            change(event)
            item.data = parsed.to_ical().decode()
            item.save(increase_seqno=False)
            return
    raise AssertionError(f"{uid} is not on the server")


def shifted(hours: int):
    def change(event) -> None:
        for name in ("DTSTART", "DTEND"):
            when = event[name].dt + timedelta(hours=hours)
            del event[name]
            event.add(name, when)

    return change


def published_kestrel(example_store, radicale, stem: str):
    calendar, spec = fresh_calendar(radicale, stem)
    example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")
    uid = next(u for u, (_, e) in focus_events(calendar).items() if "Kestrel" in str(e["SUMMARY"]))
    return calendar, spec, uid


@pytest.mark.slow  # a Radicale server
def test_a_block_moved_on_the_server_stays_and_a_note_is_kept(example_store, radicale, caldav_env):
    calendar, spec, uid = published_kestrel(example_store, radicale, "moved")
    edit_on_server(calendar, uid, shifted(24))

    def noted(event) -> None:
        event["DESCRIPTION"] = str(event["DESCRIPTION"]) + "\nMY NOTE: call Priya first."

    edit_on_server(calendar, uid, noted)
    moved_to = focus_events(calendar)[uid][1]["DTSTART"].dt

    again = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")

    assert "kept where you moved it" in again.stdout
    assert "Kestrel Robotics" not in again.stdout.split("updated:")[-1].split("\n")[0]
    event = focus_events(calendar)[uid][1]
    assert event["DTSTART"].dt == moved_to
    assert "MY NOTE: call Priya first." in str(event["DESCRIPTION"])


@pytest.mark.slow  # a Radicale server
def test_a_block_deleted_on_the_server_is_not_created_again(example_store, radicale, caldav_env):
    calendar, spec, uid = published_kestrel(example_store, radicale, "deleted")
    example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")  # seen
    url, _ = focus_events(calendar)[uid]
    calendar.event_by_url(url).delete()

    again = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")

    assert "removed it from your calendar" in again.stdout
    assert uid not in focus_events(calendar)
    example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")
    assert uid not in focus_events(calendar)


@pytest.mark.slow  # a Radicale server
def test_a_stripped_mark_and_a_far_drag_are_reconciled(example_store, radicale, caldav_env):
    calendar, spec, uid = published_kestrel(example_store, radicale, "stripped")

    def stripped_and_dragged(event) -> None:
        del event["X-FOCUSBLOCK"]
        shifted(48)(event)

    edit_on_server(calendar, uid, stripped_and_dragged)
    moved_to = focus_events(calendar)[uid][1]["DTSTART"].dt

    again = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")

    assert "ConsistencyError" not in again.stdout + again.stderr
    assert "Focus blocks, week" in again.stdout  # the plan is printed
    kestrels = [e for _, e in focus_events(calendar).values() if "Kestrel" in str(e["SUMMARY"])]
    assert [e["DTSTART"].dt for e in kestrels] == [moved_to]


@pytest.mark.slow  # a Radicale server
def test_a_merge_leaves_no_live_ghost_on_the_server(run, radicale, caldav_env, write):
    from tests.helpers import two_accounts_with_calls

    calls = two_accounts_with_calls(run, write)
    calendar, spec = fresh_calendar(radicale, "ghost")
    run("plan", "--busy", str(calls), "--publish", spec, "--no-file", "--week", "2026-W49")
    assert len(focus_events(calendar)) == 2
    run("account", "merge", "Northwind Traders", "Northwind")

    run("plan", "--busy", str(calls), "--publish", spec, "--no-file", "--week", "2026-W49")

    live = [e for _, e in focus_events(calendar).values() if str(e.get("STATUS")) != "CANCELLED"]
    assert len(live) == 1


@pytest.mark.slow  # a Radicale server
def test_a_location_and_reminder_the_seller_set_survive_a_move(
    example_store, radicale, caldav_env, write
):
    calendar, spec, uid = published_kestrel(example_store, radicale, "kept")

    def located(event) -> None:
        event.add("LOCATION", "Room 4, second floor")
        for alarm in event.walk("VALARM"):
            alarm["TRIGGER"] = icalendar.vDDDTypes(timedelta(minutes=-15))

    edit_on_server(calendar, uid, located)
    before = focus_events(calendar)[uid][1]
    meeting = meeting_over(write, before)

    moved = example_store(
        "plan", "--busy", str(CALENDAR), "--busy", str(meeting), "--publish", spec, "--no-file"
    )

    assert "1 was updated: Kestrel Robotics" in moved.stdout
    after = focus_events(calendar)[uid][1]
    assert after["DTSTART"].dt != before["DTSTART"].dt
    assert str(after["LOCATION"]) == "Room 4, second floor"
    assert [a["TRIGGER"].dt for a in after.walk("VALARM")] == [timedelta(minutes=-15)]


@pytest.mark.slow  # a Radicale server and two processes
def test_two_machines_publishing_at_once_leave_one_consistent_calendar(
    example_store, store_target, radicale, caldav_env
):
    """A laptop and a desktop on one store publish the same planned week at the same
    moment: both pass the store's check (the same blocks) and both create them."""
    from tests.helpers import start_focusblock

    example_store("plan", "--busy", str(CALENDAR), "--no-file")
    calendar, spec = fresh_calendar(radicale, "twice")
    plans = [
        start_focusblock(
            store_target, "plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file"
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=180), *p.communicate()) for p in plans]

    assert all(code in (0, 9) for code, _, _ in results), results
    assert not any("Traceback" in err or "ConsistencyError" in err for _, _, err in results)
    assert not any("cannot create" in err for _, _, err in results), results
    stored = {b["uid"]: b for b in json.loads(example_store("export").stdout)["focus_blocks"]}
    on_server = focus_events(calendar)
    assert set(on_server) == {u for u, b in stored.items() if b["status"] == "planned"}
    for uid, (_, event) in on_server.items():
        assert event["DTSTART"].dt == datetime.fromisoformat(stored[uid]["start"])


# Messages say what was done, and the terminal always names the accounts: privacy is for
# what goes into shared calendars (issue 20). Before, a withdrawn block that publishing had
# deleted said "delete it in your calendar", and a --private plan listed "Focus block,
# Focus block, ..." as what it would create.
@pytest.mark.slow  # a Radicale server
def test_a_withdrawn_block_publishing_removed_says_so(example_store, radicale, caldav_env):
    calendar, spec = fresh_calendar(radicale, "focus")
    example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    dry = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--dry-run")
    (line,) = [x for x in dry.stdout.splitlines() if x.startswith("Withdrawn: Brightwater")]
    assert "would be removed from your calendar" in line, line
    gone = example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")
    (line,) = [x for x in gone.stdout.splitlines() if x.startswith("Withdrawn: Brightwater")]
    assert "removed from your calendar" in line and "delete it" not in line, line
    assert not any("Brightwater" in str(e["SUMMARY"]) for _, e in focus_events(calendar).values())


@pytest.mark.slow  # a Radicale server
def test_a_private_plan_names_accounts_in_the_terminal_only(
    example_store, radicale, caldav_env, tmp_path
):
    calendar, spec = fresh_calendar(radicale, "focus")
    args = ("plan", "--busy", str(CALENDAR), "--publish", spec, "--private")
    dry = example_store(*args, "--dry-run")
    (line,) = [x for x in dry.stdout.splitlines() if "would be created" in x]
    assert "Kestrel Robotics" in line and "Focus block" not in line, line
    done = example_store(*args, "--out", str(tmp_path / "private.ics"))
    (line,) = [x for x in done.stdout.splitlines() if "were created" in x]
    assert "Kestrel Robotics" in line and "Focus block" not in line, line
    titles = [str(e["SUMMARY"]) for _, e in focus_events(calendar).values()]
    assert titles and all(t == "Focus block" for t in titles), titles
    raw = b"".join(item.data.encode() for item in calendar.events())
    assert b"Kestrel" not in raw and b"Brightwater" not in raw


@pytest.mark.slow  # a Radicale server
def test_a_block_dragged_a_day_earlier_is_never_deleted_from_the_server(
    example_store, radicale, caldav_env
):
    """Even dragged out of its week (Monday's block to Sunday), where the plan leaves it:
    its event is the seller's now, never taken for a ghost."""
    calendar, spec = fresh_calendar(radicale, "dragged")
    example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")
    events = focus_events(calendar)
    uid = min(events, key=lambda u: events[u][1]["DTSTART"].dt)
    edit_on_server(calendar, uid, shifted(-24))  # a day earlier
    moved_to = focus_events(calendar)[uid][1]["DTSTART"].dt

    example_store("plan", "--busy", str(CALENDAR), "--publish", spec, "--no-file")

    assert uid in focus_events(calendar)
    assert focus_events(calendar)[uid][1]["DTSTART"].dt == moved_to


@pytest.mark.slow  # a Radicale server
def test_a_calendar_read_in_parts_is_parsed_once_then_read_from_the_cache(
    tmp_path, radicale, monkeypatch
):
    """A folder of files, and a CalDAV calendar (named or not), are read part by part: their
    recurring series must all come from the series cache on the next reading (each part's
    reading replaced the last one's under a shared name, and parts of their own pushed
    each other out of the bounded cache)."""
    from focusblock.calendar import series_cache
    from focusblock.calendar.series_cache import SeriesCache

    monkeypatch.setattr(series_cache, "MAX_FILES", 4)
    weekly = [
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:weekly-{i}\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART;TZID=America/New_York:20261102T{8 + i:02d}0000\r\n"
            f"DTEND;TZID=America/New_York:20261102T{8 + i:02d}3000\r\n"
            f"RRULE:FREQ=WEEKLY\r\nSUMMARY:Weekly {i}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
        for i in range(6)
    ]
    folder = tmp_path / "vdir"
    folder.mkdir()
    for index, body in enumerate(weekly):
        (folder / f"event-{index}.ics").write_bytes(body)
    calendar, spec = fresh_calendar(radicale, "parts")
    for body in weekly:
        calendar.save_event(body.decode(), increase_seqno=False)

    parsed = parsed_texts(monkeypatch)
    for given in (str(folder), spec, f"Team={spec}"):
        cache = SeriesCache(tmp_path / given.replace("/", "_") / "series")
        sources = open_sources([given], options_for(tmp_path)).sources
        assert len(sources) == 6

        def read(sources=sources, cache=cache):  # type: ignore[no-untyped-def]
            found = read_calendars(
                sources, WEEK_START, WEEK_END, ZONE, "alex.morgan@example.com", series_cache=cache
            )
            return [(e.start, e.summary, e.source) for e in found.events]

        cold = read()
        assert len(cold) == 6, given
        parsed.clear()
        assert read() == cold
        assert not [data for data in parsed if b"BEGIN:VEVENT" in data], f"{given}: parsed again"
        assert len(list(cache.folder.glob("*.json"))) == 1, given
