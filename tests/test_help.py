"""`--help`: every command has it, and the root help's table matches each command."""

from __future__ import annotations

import click

from focusblock.cli import cli


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


def test_every_correction_command_has_help(run):
    for group, command in (
        ("remark", "show"),
        ("remark", "edit"),
        ("remark", "delete"),
        ("remark", "restore"),
        ("remark", "purge"),
        ("account", "rename"),
        ("account", "merge"),
        ("account", "delete"),
        ("account", "restore"),
    ):
        text = run(group, command, "--help").stdout
        assert f"{group} {command} [OPTIONS]" in text
        assert len(text.splitlines()) > 4
