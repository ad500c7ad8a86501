"""The command line: parse, call one core function, render.

Start-up stays light: this module imports click and the output layer only, not even the
settings (each command's AppContext is made when it runs: cli/context.py). Each
command's module (and the libraries it needs) is imported when that command runs; the
root --help lists the commands from the table below, so printing it imports none of them.

Elsewhere every import is at the top of its module, but for the libraries in
focusblock.LAZY_LIBRARIES (tests/test_layout.py checks it).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from focusblock import __version__
from focusblock.cli.output import one_line, say
from focusblock.errors import FocusblockError

# name -> (module, attribute, one-line help shown by `focusblock --help`); a test checks
# that each line matches the command's own help.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "setup_commands",
        "init",
        "Create the store and a commented settings file (at --config...",
    ),
    "account": (
        "account_commands",
        "account",
        "Customers you sell to: their stage, need, domains and...",
    ),
    "remark": (
        "remark_commands",
        "remark",
        "What customers said, verbatim: the material of every...",
    ),
    "busy": ("busy_commands", "busy", "Show what the planner sees as busy in a week, and why."),
    "plan": (
        "plan_commands",
        "plan",
        "Plan a week of single-customer focus blocks and write them...",
    ),
    "worksheet": (
        "worksheet_commands",
        "worksheet",
        "Print ACCOUNT's worksheet: every remark, oldest first,...",
    ),
    "reflect": (
        "worksheet_commands",
        "reflect",
        "Write your answers about ACCOUNT's remarks into the store.",
    ),
    "export": (
        "backup_commands",
        "export",
        "Write every account, remark, reflection and block...",
    ),
    "import-all": (
        "backup_commands",
        "import_all_command",
        "Load an export into an empty store (to restore a...",
    ),
    "config": (
        "setup_commands",
        "show_config",
        "Show the settings in effect and where each comes from.",
    ),
}


def load_command(module: str, attribute: str) -> click.Command:
    """The command `attribute` of focusblock.cli.`module`, its module loaded now."""
    command: click.Command = getattr(importlib.import_module(f"focusblock.cli.{module}"), attribute)
    return command


class FocusblockGroup(click.Group):
    """Loads commands on demand, and turns domain errors into one message on stderr and a
    non-zero exit, in one place."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        return load_command(module, attribute)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            refuse_undecodable(ctx, args)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FocusblockError as exc:
            report_error(exc)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # `focusblock remark list --all | head`: the reader has enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except OSError as exc:  # a folder that does not exist, no permission, a full disk
            where = f"{exc.filename}: " if exc.filename else ""
            say(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(8)
        except KeyboardInterrupt as exc:
            # A command that knows what the store holds now says it (an import that had
            # committed when Ctrl-C came); the others were rolled back.
            kept = getattr(exc, "kept", None) or "nothing half-written was kept"
            click.echo(f"Interrupted; {kept}.", err=True)
            ctx.exit(130)
        except Exception as exc:
            code = database_error(exc, ctx.obj.store_shown() if ctx.obj else None)
            if code is None:
                raise
            ctx.exit(code)


def refuse_undecodable(ctx: click.Context, args: list[str]) -> None:
    """An argument that is not UTF-8 (a Latin-1 terminal, a script's bytes) reaches Python
    as surrogates that fail far later, in the store or the output: refused first, in one
    line naming the argument's place and its first such byte, never its text (it may be a
    URL with a password)."""
    for place, arg in enumerate(args, start=1):
        bad = next((i for i, ch in enumerate(arg) if "\udc80" <= ch <= "\udcff"), None)
        if bad is not None:
            say(
                f"Error: argument {place} is not UTF-8 text (byte 0x{ord(arg[bad]) - 0xDC00:02x} "
                f"at character {bad + 1}); expected UTF-8: set the terminal's encoding to UTF-8",
                err=True,
            )
            ctx.exit(4)


def database_error(exc: Exception, store: str | None = None) -> int | None:
    """A database error as one line on stderr and its exit code; None if it is not one.

    Every store function works inside one transaction that is rolled back on an error, so
    nothing of the command was kept. sqlalchemy is looked up, not imported: a command
    that never opened the store cannot raise its errors.
    """
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.DBAPIError):
        return None
    from focusblock.store.opening import first_line, system_refusal

    reason = first_line(exc)
    refused = system_refusal(reason)
    if refused is not None:
        where = f"{store}: " if store else ""
        say(f"Error: {where}{refused} ({reason}); nothing was changed", err=True)
        return 8
    if "locked" in reason.lower() or isinstance(exc, errors.IntegrityError):
        say(
            f"Error: another focusblock command changed the store meanwhile ({reason}); "
            "nothing was changed; run it again",
            err=True,
        )
        return 9
    say(f"Error: the store refused the change ({reason}); nothing was changed", err=True)
    return 1


def report_error(exc: FocusblockError) -> None:
    """The one place a domain error becomes a message on stderr."""
    # one line: a newline can only come from a name the user gave (a file's, an account's)
    say(f"Error: {one_line(str(exc))}", err=True)
    for line in exc.details:
        say(f"  {line}", err=True)
    if exc.hint:
        say(f"Hint: {exc.hint}", err=True)


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
def cli(db: str | None, config_file: str | None, all_owners: bool) -> None:
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
    # The options are read by each command's AppContext (cli/context.py, pass_app), made
    # when a command first asks: --help and --version load no settings.


def main() -> None:
    # Python's collector of reference cycles runs as objects pile up: here, while the
    # command loads its libraries and builds what lives until it ends (the store's tables,
    # a calendar's parsed events), each run searching everything made so far for cycles
    # that are not there: a tenth of `busy`'s time on a big calendar. What the command's
    # loops drop is freed as it is dropped (peak memory measured the same without the
    # collector on bench/'s biggest workloads), so it is off while the command runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cli(prog_name="focusblock")
    finally:
        # By now the command has closed what it opened (the store through call_on_close,
        # files in their with-blocks). Python's shutdown would still search every object
        # of every imported module for cycles to free, a tenth of a second on a slow
        # laptop and a fifth of `busy`'s whole time: frozen, they are left to the exit.
        gc.freeze()
        if collecting:
            gc.enable()


if __name__ == "__main__":  # pragma: no cover
    main()
