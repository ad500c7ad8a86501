"""Accounts and remarks through the CLI, on a real SQLite file."""

from __future__ import annotations

import json
import stat

import click
import pytest

from focusblock.cli import cli


@pytest.mark.sqlite_only
def test_init_creates_private_store_and_settings(run, db_path, tmp_path):
    result = run("init")
    assert db_path.exists()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    config = tmp_path / "home" / "config" / "focusblock" / "config.toml"
    assert config.exists()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert str(db_path) in result.stdout
    run("init")  # a second init is harmless


@pytest.mark.both_stores("array columns: aliases and domains written, read and edited")
def test_account_add_list_show_edit(run):
    run(
        "account",
        "add",
        "Café Müller",
        "--domain",
        "@Cafe-Mueller.DE",
        "--alias",
        "CM",
        "--need",
        "Faster close",
        "--decision-date",
        "2027-01-15",
        "--next-call",
        "2026-12-01 10:00",
    )
    listed = json.loads(run("account", "list", "--json").stdout)
    assert [a["name"] for a in listed] == ["Café Müller"]
    assert listed[0]["domains"] == ["cafe-mueller.de"]
    assert listed[0]["next_call"] == "2026-12-01T10:00:00-05:00"
    assert set(listed[0]) == {
        "id",
        "name",
        "owner",
        "stage",
        "aliases",
        "domains",
        "need",
        "consequence",
        "decision_date",
        "next_call",
        "remark_count",
        "last_heard",
    }

    run(
        "account",
        "edit",
        "CAFE MULLER",
        "--stage",
        "sold",
        "--consequence",
        "Overtime",
        "--domain",
        "cafe-mueller.com",
    )
    shown = json.loads(run("account", "show", "café müller", "--json").stdout)
    assert shown["account"]["stage"] == "sold"
    assert shown["account"]["consequence"] == "Overtime"
    assert shown["account"]["need"] == "Faster close"
    assert shown["account"]["domains"] == ["cafe-mueller.de", "cafe-mueller.com"]

    table = run("account", "list").stdout
    assert "Café Müller" in table and "sold" in table


def test_duplicate_account_is_refused(run):
    run("account", "add", "Acme")
    result = run("account", "add", "  ACME ", code=4)
    assert "already exists" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_unknown_account_suggests_close_matches(run):
    run("account", "add", "Kestrel Robotics")
    result = run("account", "show", "Kestrl Robotics", code=3)
    assert "no account named 'Kestrl Robotics'" in result.stderr
    assert "Kestrel Robotics" in result.stderr
    assert "Traceback" not in result.stderr


def test_remark_add_and_list(run):
    run("account", "add", "Acme")
    run(
        "remark",
        "add",
        "acme",
        "We lose two days\nevery month-end",
        "--who",
        "Ann",
        "--on",
        "2026-11-02",
        "--via",
        "Phone",
        "--lens",
        "COST",
    )
    run("remark", "add", "Acme", "-", stdin="Read from stdin; kept as typed.\n")
    remarks = json.loads(run("remark", "list", "Acme", "--json").stdout)
    assert remarks[0] == {
        "id": 1,
        "account": "Acme",
        "text": "We lose two days\nevery month-end",
        "who": "Ann",
        "heard_on": "2026-11-02",
        "via": "call",
        "lens": "cost",
    }
    assert remarks[1]["text"] == "Read from stdin; kept as typed.\n"
    assert "We lose two days" in run("remark", "list").stdout
    shown = run("account", "show", "Acme").stdout
    assert "2 remarks" in shown


def test_remark_add_rejects_bad_fields_with_one_line(run):
    run("account", "add", "Acme")
    for args, word in [
        (("--lens", "hope"), "lens"),
        (("--via", "pigeon"), "via"),
        (("--on", "31/31/2026"), "on"),
    ]:
        result = run("remark", "add", "Acme", "text", *args, code=4)
        assert result.stderr.startswith(f"Error: {word}:")
        assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(run("remark", "list", "--json").stdout) == []


def test_remark_for_unknown_account_is_an_error(run):
    result = run("remark", "add", "Nobody", "hello", code=3)
    assert "no account named 'Nobody'" in result.stderr


def test_bad_config_value_names_the_key(run, write):
    config = write("bad.toml", '[blocks]\nper_day = "two"\n')
    result = run("--config", str(config), "account", "list", code=5)
    assert "'blocks.per_day'" in result.stderr
    typo = write("typo.toml", "[blocks]\nper_dya = 2\n")
    result = run("--config", str(typo), "account", "list", code=5)
    assert "unknown key 'blocks.per_dya'" in result.stderr and "blocks.per_day" in result.stderr


def test_config_shows_sources(run, write):
    config = write("c.toml", '[work]\nstart = "08:30"\n')
    data = json.loads(run("--config", str(config), "config", "--json").stdout)
    assert data["work.start"] == "08:30:00"
    assert data["timezone"] == "America/New_York"


def _walk(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _walk(sub, (*path, name))


def test_every_command_has_help(run):
    for path, command in _walk(cli):
        assert command.help, f"focusblock {' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert "Usage:" in result.stdout


@pytest.mark.both_stores("case and collation: names in any script stored, compared and sorted")
def test_names_with_quotes_and_unicode(run):
    name = 'O\'Brien "Quotes" & Sons — Ωmega 東京 😀'
    run("account", "add", name, "--alias", "OBrien")
    run("remark", "add", 'o\'brien "quotes" & sons — ωmega 東京 😀', "hello; -- DROP TABLE remark;")
    shown = json.loads(run("account", "show", name, "--json").stdout)
    assert shown["account"]["name"] == name
    assert shown["remarks"][0]["text"] == "hello; -- DROP TABLE remark;"
    assert name in run("account", "list").stdout
    assert run("account", "add", "   ", code=4).stderr.startswith(
        "Error: account name: must not be empty"
    )


def test_root_help_table_matches_each_command():
    from focusblock.cli import COMMANDS

    ctx = click.Context(cli)
    assert sorted(COMMANDS) == sorted(cli.list_commands(ctx))
    for name, (_, _, short) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        real = command.get_short_help_str(limit=300)
        stem = short.removesuffix("...")
        assert real.startswith(stem), f"{name}: table says {short!r}, command says {real!r}"


@pytest.mark.both_stores("a unique index over owner and name, enforced by each database")
def test_two_owners_each_have_an_account_of_the_same_name(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "ann@example.com")
    run("account", "add", "Acme", "--need", "Ann's view")
    run("remark", "add", "Acme", "Ann heard this")
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "bob@example.com")
    run("account", "add", "Acme", "--need", "Bob's view")
    mine = json.loads(run("account", "list", "--json").stdout)
    assert [(a["name"], a["owner"], a["need"]) for a in mine] == [
        ("Acme", "bob@example.com", "Bob's view")
    ]
    assert json.loads(run("remark", "list", "--json").stdout) == []
    everyone = json.loads(run("--all-owners", "account", "list", "--json").stdout)
    assert sorted(a["owner"] for a in everyone) == ["ann@example.com", "bob@example.com"]
    assert len(json.loads(run("--all-owners", "remark", "list", "--json").stdout)) == 1
    result = run("--all-owners", "account", "show", "Acme", code=3)
    assert "several owners" in result.stderr


def test_busy_reads_standard_input(run):
    from tests.conftest import EXAMPLES

    data = (EXAMPLES / "calendar.ics").read_text(encoding="utf-8")
    result = run("busy", "--busy", "-", "--week", "2026-W49", "--json", stdin=data)
    busy = json.loads(result.stdout)["busy"]
    assert any(e["summary"] == "Pipeline review" and e["source"] == "<stdin>" for e in busy)


def test_a_file_we_cannot_write_is_one_line(run, tmp_path):
    run("account", "add", "Acme")
    target = tmp_path / "missing" / "folder" / "acme.md"
    result = run("worksheet", "Acme", "--out", str(target), code=8)
    assert result.stderr.strip().splitlines() == [f"Error: {target}: No such file or directory"]
