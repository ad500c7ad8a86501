"""Never lose or leak a word: each case here once lost a remark, an answer, or showed one."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, make_runner

CALENDAR = str(EXAMPLES / "calendar.ics")


# --- nothing writes over the store ------------------------------------------------------


@pytest.mark.sqlite_only
def test_no_command_writes_over_the_store(run, db_path, tmp_path, backend):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "We lose two days every close", "--on", "2026-11-20")
    before = db_path.read_bytes()
    link = tmp_path / "hard-link.db"
    os.link(db_path, link)
    for target in (db_path, link):
        for args in (
            ("plan", "--busy", CALENDAR, "--out", str(target)),
            ("export", "--out", str(target)),
            ("worksheet", "Acme", "--out", str(target)),
            ("worksheet", "Acme", "--format", "pdf", "--out", str(target)),
        ):
            result = run(*args, code=None)
            assert result.exit_code != 0, args
            assert "store" in result.stderr, result.stderr
        assert db_path.read_bytes()[:100] == before[:100]
    assert "We lose two days" in run("remark", "list").stdout


@pytest.mark.sqlite_only
def test_plan_refuses_its_out_before_reading_any_calendar(run, db_path):
    """A refused --out costs nothing: it is said before the calendars are read (a feed, a
    CalDAV server, a years-long export) and before any worksheet is typeset."""
    run("account", "add", "Acme")
    result = run("plan", "--busy", "/no/such/calendar.ics", "--out", str(db_path), code=None)
    assert result.exit_code != 0
    assert "store" in result.stderr and "calendar.ics" not in result.stderr, result.stderr


def test_no_command_writes_over_a_database_or_a_foreign_file(run, tmp_path, write):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "We lose two days every close", "--on", "2026-11-20")
    other_db = write("other.db", b"SQLite format 3\x00" + b"\x00" * 100)
    notes = write("notes.txt", "my own notes, not a calendar\n")
    for target in (other_db, notes):
        original = target.read_bytes()
        for args in (
            ("plan", "--busy", CALENDAR, "--out", str(target)),
            ("export", "--out", str(target)),
            ("worksheet", "Acme", "--out", str(target)),
        ):
            result = run(*args, code=None)
            assert result.exit_code != 0 and "--force" in result.stderr, (args, result.stderr)
            assert target.read_bytes() == original
    # our own earlier file, or one of the kind being written, is replaced as before
    ics = tmp_path / "f.ics"
    run("plan", "--busy", CALENDAR, "--out", str(ics))
    run("plan", "--busy", CALENDAR, "--out", str(ics))
    run("export", "--out", str(notes), "--force")
    assert json.loads(notes.read_text())["format"] == "focusblock-export"


# --- setting an email does not hide the accounts -----------------------------------------


def test_setting_email_adopts_the_accounts_made_before(store_target, monkeypatch):
    run = make_runner(store_target)
    monkeypatch.delenv("FOCUSBLOCK_EMAIL", raising=False)
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "Our close takes six days", "--on", "2026-11-20")
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me@example.com")
    result = run("account", "list")
    assert "Acme" in result.stdout
    assert getpass.getuser() in result.stderr and "me@example.com" in result.stderr
    again = run("account", "list")
    assert "Acme" in again.stdout and again.stderr == ""  # said once
    data = json.loads(run("export").stdout)
    assert [a["name"] for a in data["accounts"]] == ["Acme"]
    assert data["remarks"][0]["text"] == "Our close takes six days"


def test_export_says_what_it_wrote_per_owner(run, tmp_path, monkeypatch):
    for owner in ("ann@example.com", "bob@example.com"):
        monkeypatch.setenv("FOCUSBLOCK_EMAIL", owner)
        run("account", "add", f"Acme of {owner[:3]}")
    out = tmp_path / "backup.json"
    result = run("export", "--out", str(out))
    data = json.loads(out.read_text())
    assert len(data["accounts"]) == 2  # every owner's data
    assert "ann@example.com: 1 account" in result.stdout
    assert "bob@example.com: 1 account" in result.stdout


# --- reflect keeps every line the user wrote --------------------------------------------


def _answered(markdown: str, question: str, answer: str) -> str:
    marker = f"**Q:** {question}\n"
    cut = markdown.index(marker) + len(marker)
    return markdown[:cut] + answer + "\n" + markdown[cut:]


QUESTION = "How will I open the call?"


def test_answer_lines_starting_with_hash_or_quote_are_kept(run, tmp_path):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "Our close takes six days", "--on", "2026-11-20")
    sheet = run("worksheet", "Acme").stdout
    answer = "# 1 priority: the close\n> their words: six days\n#hashtag and > arrows"
    path = tmp_path / "filled.md"
    path.write_text(_answered(sheet, QUESTION, answer), encoding="utf-8")
    assert "Saved 1 answer" in run("reflect", "Acme", "--from", str(path)).stdout
    again = run("worksheet", "Acme").stdout
    for line in answer.splitlines():
        assert line in again.replace("\n> ✎", "\n").replace("  ", " ") or line in again


def test_an_editor_saving_latin1_keeps_the_file_and_says_where(run, tmp_path, monkeypatch):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "Our close takes six days", "--on", "2026-11-20")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        f"text = text.replace('**Q:** {QUESTION}\\n', '**Q:** {QUESTION}\\nCafé au lait\\n')\n"
        "open(path, 'w', encoding='latin-1', errors='replace').write(text)\n"
    )
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    result = run("reflect", "Acme", code=4)
    assert "UTF-8" in result.stderr
    kept = next(part for part in result.stderr.split() if part.endswith(".md"))
    assert "Café au lait".encode("latin-1") in Path(kept).read_bytes()


def test_a_worksheet_of_another_account_is_refused(run, tmp_path):
    for name in ("Acme", "Globex"):
        run("account", "add", name, "--need", "n")
        run("remark", "add", name, f"{name} said this", "--on", "2026-11-20")
    sheet = run("worksheet", "Acme").stdout
    path = tmp_path / "acme.md"
    path.write_text(_answered(sheet, QUESTION, "With the close."), encoding="utf-8")
    result = run("reflect", "Globex", "--from", str(path), code=4)
    assert "Acme" in result.stderr and "Globex" in result.stderr
    assert "With the close" not in run("worksheet", "Globex").stdout


# --- customer text is shown as text ------------------------------------------------------

HOSTILE = [
    "[/bold] x",
    "Globex [/i]",
    "[sso] sign-on",
    "[link=https://evil.example]click[/link]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07title",
    "abc\u202eevil",
]


def _shown_safely(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_printed_as_text(run, text, tmp_path, write):
    name = f"Acme {text}"
    run("account", "add", name, "--need", text)
    run("remark", "add", name, text, "--on", "2026-11-20", "--who", text)
    for args in (
        ("remark", "list"),
        ("account", "list"),
        ("account", "show", name),
        ("plan", "--busy", CALENDAR, "--out", str(tmp_path / "f.ics")),
    ):
        result = run(*args)
        _shown_safely(result.stdout + result.stderr)
    listed = run("remark", "list").stdout
    visible = text.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\u202e", "\\u202e")
    assert visible.split()[0] in listed
    invite = write(
        "invite.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:x@example.com\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:20261201T150000Z\r\n"
        f"DTEND:20261201T160000Z\r\nSUMMARY:Quarterly review {text}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    busy = run("busy", "--busy", str(invite))
    _shown_safely(busy.stdout + busy.stderr)
    assert "Quarterly review" in busy.stdout


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from([*string.printable, "\x1b", "\x07", "\u202e", "[", "]", "/"]),
        min_size=1,
        max_size=40,
    ).filter(lambda t: t.strip() and t.strip() != "-")  # "-" reads the remark from stdin
)
def test_any_text_prints_without_crash_or_escape(tmp_path_factory, migrated_sqlite, text):
    from tests.conftest import make_runner as runner

    target = str(tmp_path_factory.mktemp("s") / "s.db")
    shutil.copyfile(migrated_sqlite, target)  # a new store per example, migrated once
    run = runner(target)
    name = "Acme " + " ".join(text.split())[:60]
    run("account", "add", "--", name)
    run("remark", "add", "--on", "2026-11-20", "--", name, text)
    for args in (("remark", "list"), ("account", "list"), ("account", "show", name)):
        result = run(*args)
        _shown_safely(result.stdout + result.stderr)


# --- the database password is never printed ----------------------------------------------


def test_database_password_is_masked(postgres_cluster, tmp_path):
    url = postgres_cluster.new_database()
    from sqlalchemy.engine import make_url

    secret_url = make_url(url).set(password="s3cr3t-Pa55")
    run = make_runner(secret_url.render_as_string(hide_password=False))
    for args in (("init",), ("config",), ("config", "--json")):
        result = run(*args, code=None)
        assert "s3cr3t-Pa55" not in result.stdout + result.stderr, args
        assert result.exit_code == 0, (args, result.stderr)  # it ran, and still did not say it
    assert ":***@" in run("config").stdout  # the store is named, its password masked


# --- init --config FILE -------------------------------------------------------------------


def test_init_with_a_named_settings_file_creates_it_with_every_key(run, tmp_path):
    from focusblock.config import SETTINGS

    target = tmp_path / "conf" / "mine.toml"
    result = run("--config", str(target), "init")
    assert "created" in result.stdout
    text = target.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"# {setting.key.rpartition('.')[2]} = " in text, setting.key
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    again = run("--config", str(target), "init")  # an existing file is left as it is
    assert "created" not in again.stdout and target.read_text(encoding="utf-8") == text
