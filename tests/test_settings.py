"""`init` and `config`: the store and settings file created, every key with its default, values
checked and named, where each value comes from, and the owner's email."""

from __future__ import annotations

import getpass
import json
import stat

import pytest

from tests.conftest import make_runner


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


def test_a_list_of_names_in_the_environment_may_be_written_as_in_the_settings_file(tmp_path):
    """FOCUSBLOCK_ME='["Sam Seller"]' (copied from the settings file's example) was one
    name with its brackets and quotes, so the seller's own name was never recognised."""
    from focusblock.config import load_settings

    for written in ('["Sam Seller", "Sam S."]', "Sam Seller, Sam S."):
        settings = load_settings(tmp_path / "none.toml", False, {"FOCUSBLOCK_ME": written})
        assert settings.me == ("Sam Seller", "Sam S.")
