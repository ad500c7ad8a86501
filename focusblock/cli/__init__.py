"""The command line: parse, call one core function, render. Heavy imports wait for the command."""

from __future__ import annotations

import sys
from typing import Any

import click

from focusblock import __version__
from focusblock.cli.context import AppContext
from focusblock.errors import FocusblockError


class FocusblockGroup(click.Group):
    """Turns domain errors into one message on stderr and a non-zero exit, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FocusblockError as exc:
            report_error(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing half-written was kept.", err=True)
            ctx.exit(130)


def report_error(exc: FocusblockError) -> None:
    click.echo(f"Error: {exc}", err=True)
    for line in exc.details:
        click.echo(f"  {line}", err=True)
    if exc.hint:
        click.echo(f"Hint: {exc.hint}", err=True)


@click.group(cls=FocusblockGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL_OR_PATH",
    help="The store: a SQLite file path or an SQLAlchemy URL. [env: FOCUSBLOCK_DB; "
    "default: focusblock.db in your user data folder]",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="Settings file (TOML). [env: FOCUSBLOCK_CONFIG; "
    "default: config.toml in your user config folder]",
)
@click.option(
    "--all-owners",
    is_flag=True,
    help="On a shared store, see every owner's accounts, not only yours.",
)
@click.version_option(__version__, prog_name="focusblock")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_file: str | None, all_owners: bool) -> None:
    """Protected time to think about ONE customer.

    Capture what each customer said, plan single-customer focus blocks into your
    calendar for the week, and print a worksheet of questions about every remark.

    \b
    Start here:
      focusblock init
      focusblock account add "Acme Corp" --domain acme.com --need "..."
      focusblock remark add "Acme Corp" "We lose two days every month-end close" --lens cost
      focusblock plan --busy my-calendar.ics --out focus.ics
    """
    ctx.obj = AppContext(db_flag=db, config_flag=config_file, all_owners=all_owners)
    ctx.call_on_close(ctx.obj.close)


def _register() -> None:
    from focusblock.cli import (
        account_commands,
        backup_commands,
        plan_commands,
        remark_commands,
        setup_commands,
        worksheet_commands,
    )

    setup_commands.register(cli)
    plan_commands.register(cli)
    worksheet_commands.register(cli)
    backup_commands.register(cli)
    cli.add_command(account_commands.account)
    cli.add_command(remark_commands.remark)


_register()


def main() -> None:
    cli(prog_name="focusblock")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
