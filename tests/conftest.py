"""Shared fixtures: a private home in tmp_path, a clean environment, a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from focusblock.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "calendars"
NOW = "2026-11-25T09:00:00-05:00"  # a Wednesday; "next week" is 2026-W49

EXAMPLE_ACCOUNTS = [
    (
        "Nordwind Logistik GmbH",
        "--alias",
        "Nordwind",
        "--domain",
        "nordwind-logistik.de",
        "--need",
        "Close the books in three days",
        "--consequence",
        "Weekend overtime",
        "--decision-date",
        "2027-01-29",
    ),
    (
        "Brightwater Health",
        "--domain",
        "brightwaterhealth.org",
        "--need",
        "Less paperwork",
        "--decision-date",
        "2026-12-10",
    ),
    ("Océane Cosmétiques", "--alias", "Oceane", "--domain", "oceane-cosmetiques.fr"),
    (
        "Kestrel Robotics",
        "--alias",
        "Kestrel",
        "--domain",
        "kestrel-robotics.com",
        "--need",
        "Parts on site",
        "--consequence",
        "1,800 USD per truck roll",
        "--decision-date",
        "2027-02-15",
    ),
    ("Sakura Foods", "--stage", "sold", "--domain", "sakurafoods.co.jp"),
    ("Halvorsen & Dahl", "--stage", "not-sold", "--domain", "halvorsen-dahl.no"),
]


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's settings or store: HOME and XDG folders point into tmp_path."""
    for name in list(os.environ):
        if name.startswith("FOCUSBLOCK_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("FOCUSBLOCK_TIMEZONE", "America/New_York")
    monkeypatch.setenv("FOCUSBLOCK_NOW", NOW)
    monkeypatch.setenv("FOCUSBLOCK_PLAN_PDF", "false")  # PDF is slow; its own tests turn it on


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "focusblock.db"


Run = Callable[..., Result]


def make_runner(target: str) -> Run:
    """A function that runs the CLI against the store at `target` (path or URL)."""

    def invoke(*args: str, code: int | None = 0, stdin: str | None = None) -> Result:
        """code=None accepts any exit code (the test inspects it)."""
        runner = CliRunner()
        result = runner.invoke(cli, ["--db", target, *args], input=stdin, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"focusblock {' '.join(args)} crashed") from result.exception
        if code is not None and result.exit_code != code:
            raise AssertionError(
                f"focusblock {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        assert "Traceback" not in result.stderr
        return result

    return invoke


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: looks at the SQLite file itself; not run against PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that drives the CLI runs against SQLite and a real PostgreSQL server."""
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if only_sqlite else BACKENDS)


@pytest.fixture(scope="session")
def postgres_cluster():
    from tests.postgres_server import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def store_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return str(db_path)
    return request.getfixturevalue("postgres_cluster").new_database()


@pytest.fixture
def run(store_target: str) -> Run:
    """Invoke the CLI against the test's own store; fails the test on an unexpected exit code."""
    return make_runner(store_target)


@pytest.fixture
def run_on() -> Callable[[Path | str], Run]:
    """A runner for another store, e.g. to restore a backup into."""
    return lambda target: make_runner(str(target))


@pytest.fixture
def example_store(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The examples' customers and remarks, as a seller in New York who is alex.morgan@."""
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    for name, *options in EXAMPLE_ACCOUNTS:
        run("account", "add", name, *options)
    run("remark", "import", str(EXAMPLES / "remarks.csv"))
    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def make(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make
