"""Edit commands change only what is given: no option of `remark edit` or `account edit`
shows a default in --help or applies one (an edit keeps the remark's or account's own
value unless the option is given)."""

from __future__ import annotations

import json

import click
import pytest

from focusblock.cli import cli


def _edit_commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    found = []
    for group_name in cli.list_commands(ctx):
        group = cli.get_command(ctx, group_name)
        if isinstance(group, click.Group):
            for name, command in group.commands.items():
                if name == "edit":
                    found.append((f"{group_name} {name}", command))
    return found


EDIT_COMMANDS = _edit_commands()


def test_there_are_edit_commands_to_check():
    assert {name for name, _ in EDIT_COMMANDS} >= {"remark edit", "account edit"}


@pytest.mark.parametrize(("name", "command"), EDIT_COMMANDS, ids=[n for n, _ in EDIT_COMMANDS])
def test_edit_help_shows_no_default_and_options_have_none(run, name, command):
    shown = run(*name.split(), "--help").stdout
    assert "default" not in shown.lower(), shown
    # what the command receives for each option not given: nothing to apply
    ctx = command.make_context(name, ["1"])
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag:
            given = ctx.params[param.name]
            assert given in (None, ()), f"{name} {param.opts[0]} defaults to {given!r}"
            assert not param.show_default, f"{name} {param.opts[0]} shows a default"


def test_remark_edit_keeps_every_field_not_given(run):
    run("account", "add", "Acme")
    run(
        "remark", "add", "Acme", "We close in six days.", "--on", "2026-11-02",
        "--via", "email", "--lens", "need", "--who", "Dana",
    )  # fmt: skip
    run("remark", "edit", "1", "--text", "We close in seven days.")
    shown = json.loads(run("remark", "show", "1", "--json").stdout)["remark"]
    assert shown["text"] == "We close in seven days."
    assert (shown["via"], shown["lens"], shown["who"], shown["heard_on"]) == (
        "email",
        "need",
        "Dana",
        "2026-11-02",
    )


def test_account_edit_keeps_every_fact_not_given(run):
    run(
        "account", "add", "Acme", "--stage", "sold", "--need", "Faster close",
        "--domain", "acme.com", "--decision-date", "2027-01-15",
    )  # fmt: skip
    run("account", "edit", "Acme", "--consequence", "Audit fees")
    shown = json.loads(run("account", "show", "Acme", "--json").stdout)
    account = shown.get("account", shown)
    assert account["stage"] == "sold"
    assert account["need"] == "Faster close"
    assert account["consequence"] == "Audit fees"
    assert account["decision_date"] == "2027-01-15"
    assert account["domains"] == ["acme.com"]
