"""What a command's module loads before the command reads a byte, checked without timing
(speed itself is measured in bench/): the store commands load no worksheet, plan or
calendar code, `busy` nothing of the worksheets, of writing a plan, of kept answers or of
the network (until a source is on it), and `--help` not even the settings. Each probe is a
fresh interpreter, so what an earlier import left in sys.modules cannot hide a load."""

from __future__ import annotations

import subprocess
import sys

import pytest

from focusblock.cli import COMMANDS
from tests.conftest import EXAMPLES, REPO
from tests.test_startup import FULL_PROBE

pytestmark = pytest.mark.slow  # fresh interpreters, to see what a command loads

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print("\\n".join(sorted(sys.modules)))
"""

# A store command lists, adds and shows what the store holds: none of these is its work.
NOT_FOR_STORE_COMMANDS = (
    "focusblock.worksheet",
    "focusblock.plan",
    "focusblock.calendar",
    "focusblock.store.reflections",
    "focusblock.store.importing",
    "focusblock.cli.week_strip",
    "focusblock.transcripts",
    "dateutil",  # reads a date typed other than ISO 8601 only (--on 19/11/2026)
)
# `busy` reads calendars and the accounts' calls; it writes no plan and reads no worksheet,
# and lays out no strip of the week until --grid asks for one.
NOT_FOR_BUSY = (
    "focusblock.plan.glance",
    "focusblock.cli.week_strip",
    "focusblock.worksheet.week_grid",
    "focusblock.worksheet.content",
    "focusblock.worksheet.answers",
    "focusblock.worksheet.findings",
    "focusblock.worksheet.rendering",
    "focusblock.worksheet.pdf",
    "focusblock.worksheet.from_store",
    "focusblock.worksheet.question_bank",
    "focusblock.worksheet.deal",
    "focusblock.plan.week",
    "focusblock.plan.write",
    "focusblock.plan.kept_answers",
    "focusblock.plan.withdrawn_sheets",
    "focusblock.store.reflections",
    "focusblock.store.worksheets",
    # the network code loads only for a feed or a CalDAV calendar, not for a file's week
    "focusblock.calendar.feeds",
    "focusblock.calendar.caldav_io",
    "http.client",
    "xml.etree",
)
# `--help` and `--version` print the command table: no settings, dates or store types.
NOT_FOR_HELP = (
    "focusblock.cli.context",
    "focusblock.config",
    "focusblock.dates",
    "focusblock.model",
    "dateutil",
    "platformdirs",
)


def loaded_by(*modules: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(done.stdout.split())


def loaded_running(args: list[str]) -> set[str]:
    """What running `focusblock ARGS` loads, up to its exit."""
    done = subprocess.run(
        [sys.executable, "-c", FULL_PROBE.format(args=["focusblock", *args])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(done.stdout.rsplit("LOADED:", 1)[1].strip().split(","))


def command_module(command: str) -> str:
    """The module the command table loads for `command`."""
    return f"focusblock.cli.{COMMANDS[command][0]}"


def loaded_of(loaded: set[str], unwanted: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == u or m.startswith(u + ".") for u in unwanted))


@pytest.mark.parametrize("command", ["account", "remark"])
def test_store_commands_load_no_worksheet_plan_or_calendar_code(command):
    loaded = loaded_by(command_module(command))
    assert "focusblock.cli.output" in loaded  # the probe saw the module's imports
    unwanted = loaded_of(loaded, NOT_FOR_STORE_COMMANDS)
    assert not unwanted, f"{command}: {unwanted}"


def test_busy_loads_nothing_of_worksheets_plan_writing_or_kept_answers():
    loaded = loaded_by(command_module("busy"))
    assert "focusblock.plan.busy" in loaded
    assert not loaded_of(loaded, NOT_FOR_BUSY)


def test_the_week_strip_written_to_a_pipe_loads_no_rich(tmp_path, monkeypatch):
    """`plan` from cron, `busy --grid | mail`: plain characters, so rich (a twentieth of
    such a run to load) is not needed."""
    monkeypatch.setenv("FOCUSBLOCK_DB", str(tmp_path / "store.db"))
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    calendar = str(EXAMPLES / "calendar.ics")
    loaded = loaded_running(["busy", "--grid", "--busy", calendar, "--week", "2026-W49"])
    assert "focusblock.cli.week_strip" in loaded
    assert not loaded_of(loaded, ("rich",))


def test_busy_with_an_email_set_loads_no_account_editing_code(tmp_path, monkeypatch):
    """Opening the store with an email set checks whose accounts they are (adopt_accounts):
    that check alone, not the account commands' module and the remark rules it imports."""
    monkeypatch.setenv("FOCUSBLOCK_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "seller@example.com")
    calendar = str(EXAMPLES / "calendar.ics")
    loaded = loaded_running(["busy", "--json", "--busy", calendar, "--week", "2026-W49"])
    assert "focusblock.store.ownership" in loaded  # the store was opened, the owner checked
    unwanted = ("focusblock.store.accounts", "focusblock.remark_input")
    assert not loaded_of(loaded, unwanted)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_no_settings(flag):
    loaded = loaded_running([flag])
    assert "click" in loaded
    assert not loaded_of(loaded, NOT_FOR_HELP)


def test_remark_help_lists_remark_import_without_loading_it():
    """`remark import` reads CSV, mail, transcripts and calendars; listing it in `remark
    --help` must not load them (it did, through click asking the command for its help)."""
    loaded = loaded_running(["remark", "--help"])
    assert "focusblock.cli.remark_commands" in loaded
    unwanted = ("focusblock.cli.remark_import_commands", "focusblock.store.importing")
    assert not loaded_of(loaded, (*unwanted, "focusblock.calendar"))


def test_the_check_sees_a_module_below_a_named_package():
    assert loaded_of({"focusblock.plan.week", "focusblock.planet"}, ("focusblock.plan",)) == [
        "focusblock.plan.week"
    ]


def test_commands_take_their_context_with_pass_app():
    """The root command no longer makes the AppContext (that would load the settings for
    --help): a command written with click.pass_obj would get None, so none may be."""
    cli = REPO / "focusblock" / "cli"
    using = [p.name for p in sorted(cli.glob("*.py")) if "@click.pass_obj" in p.read_text()]
    assert not using, f"use @pass_app (focusblock/cli/context.py) instead of pass_obj: {using}"
