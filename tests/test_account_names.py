"""One name resolver for every command that takes an account: the rules `remark add`
uses (case, accents, quotes, punctuation, '&'/'and', legal suffixes, aliases), "did you
mean" for near names, and a refusal naming the candidates when two accounts fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import _one_line_error

# every command that takes an account, with N where the account's name goes
COMMANDS = {
    "account show": ("account", "show", "N"),
    "account edit": ("account", "edit", "N", "--need", "Faster close"),
    "account person": ("account", "person", "N", "Jonas Meyer", "--role", "Head of Logistics"),
    "account rename": ("account", "rename", "N", "Northgate Logistics"),
    "account merge FROM": ("account", "merge", "N", "Harbor Lines"),
    "account merge INTO": ("account", "merge", "Harbor Lines", "N"),
    "account delete": ("account", "delete", "N", "--with-remarks"),
    "account restore": ("account", "restore", "N"),
    "remark add": ("remark", "add", "N", "We ship from two ports.", "--again"),
    "remark list": ("remark", "list", "N"),
    "remark search --account": ("remark", "search", "customs", "--account", "N"),
    "worksheet": ("worksheet", "N"),
    "reflect": ("reflect", "N", "--from", "SHEET"),
}

ONCE = {"account rename", "account merge FROM", "account merge INTO", "account delete",
        "account restore"}  # fmt: skip

# what a person types for the account 'Northgate Freight Ltd'
SAME_ACCOUNT = [
    "Northgate Freight",
    "northgate freight ltd.",
    "NORTHGATE-FREIGHT",
    "Nörthgate Freight, Ltd",
    "\u201cNorthgate Freight\u201d",
    "Northgate Freight Limited",
    "NF Shipping",  # an alias
]


def _store(run, tmp_path: Path, command: str) -> Path:
    """Northgate Freight Ltd with a remark, Harbor Lines, and two accounts 'Acme' fits;
    the worksheet of Northgate Freight Ltd as printed (for reflect)."""
    run("account", "add", "Northgate Freight Ltd", "--alias", "NF Shipping")
    run("remark", "add", "Northgate Freight Ltd", "Customs holds cost us a week.")
    run("account", "add", "Harbor Lines")
    run("account", "add", "Acme Inc")
    run("account", "add", "Acme GmbH")
    sheet = tmp_path / "northgate.md"
    sheet.write_text(run("worksheet", "Northgate Freight Ltd").stdout, encoding="utf-8")
    if command == "account restore":
        for name in ("Northgate Freight Ltd", "Acme Inc", "Acme GmbH"):
            run("account", "delete", name, "--with-remarks")
    return sheet


def _args(command: str, name: str, sheet: Path) -> list[str]:
    return [{"N": name, "SHEET": str(sheet)}.get(a, a) for a in COMMANDS[command]]


@pytest.mark.both_stores("case and collation of names, and the alias array column")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_finds_an_account_by_the_rules_of_remark_add(run, tmp_path, command):
    sheet = _store(run, tmp_path, command)
    for typed in SAME_ACCOUNT:
        if command in ONCE and typed != SAME_ACCOUNT[0]:
            continue  # the account is gone or renamed after the first: one form is enough
        run(*_args(command, typed, sheet))
    if command == "account restore":
        restored = json.loads(run("account", "show", "Northgate Freight Ltd", "--json").stdout)
        assert "Northgate Freight Ltd" in json.dumps(restored)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_says_did_you_mean_for_a_near_name(run, tmp_path, command):
    sheet = _store(run, tmp_path, command)
    typo = _one_line_error(run(*_args(command, "Northgate Frieght", sheet), code=3))
    assert "'Northgate Frieght'" in typo and "did you mean 'Northgate Freight Ltd'?" in typo
    shortened = _one_line_error(run(*_args(command, "Northgate", sheet), code=3))
    assert "did you mean 'Northgate Freight Ltd'?" in shortened


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_refuses_a_name_two_accounts_fit_naming_both(run, tmp_path, command):
    sheet = _store(run, tmp_path, command)
    both = _one_line_error(run(*_args(command, "ACME", sheet), code=3))
    assert "'ACME' could be 'Acme GmbH' or 'Acme Inc'" in both, both
    nothing = _one_line_error(run(*_args(command, "Zebra Zoo", sheet), code=3))
    assert "'Zebra Zoo'" in nothing and "did you mean" not in nothing


def test_a_refused_name_changes_nothing(run, tmp_path):
    _store(run, tmp_path, "account edit")
    before = run("export").stdout
    run("account", "edit", "Acme", "--need", "x", code=3)
    run("account", "delete", "Northgate Frieght", "--with-remarks", code=3)
    run("account", "merge", "Acme", "Harbor Lines", code=3)
    assert run("export").stdout == before


def test_an_import_matches_names_by_the_same_rules(run, write):
    run("account", "add", "Northgate Freight Ltd", "--alias", "NF Shipping")
    run("account", "add", "Acme Inc")
    run("account", "add", "Acme GmbH")
    good = write("good.csv", "account,text\nNorthgate Freight,One.\nnf shipping,Two.\n")
    assert "Added 2 remarks" in run("remark", "import", str(good)).stdout
    both = write("both.csv", "account,text\nACME,Three.\n")
    refused = run("remark", "import", str(both), code=4)
    assert "'ACME': no such account; did you mean 'Acme GmbH' or 'Acme Inc'?" in refused.stderr
    listed = json.loads(run("remark", "list", "Northgate Freight", "--json").stdout)
    assert len(listed) == 2  # the two imported; nothing of the refused file


def test_two_look_alike_names_of_one_owner_are_named_not_called_several_owners():
    """A store made before invisible characters were refused may hold "Acme" and "Ac\\u200bme":
    matching folds them to one name, so a name fits both; the refusal names both, visibly."""
    from focusblock.errors import UnknownAccount
    from focusblock.store.accounts import AccountNames

    names = AccountNames()
    names.add(1, "Acme")
    names.add(2, "Ac\u200bme")
    with pytest.raises(UnknownAccount) as refused:
        names.match("Acme")
    assert "'Ac\\u200bme'" in str(refused.value) and "'Acme'" in str(refused.value)
    assert "rename one, or merge them" in str(refused.value)
