"""Shared fixtures: a private home in tmp_path, a clean environment, a CLI runner, and the
choice of the tests that run on PostgreSQL as well as SQLite."""

from __future__ import annotations

import inspect
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from focusblock.cli import cli

if TYPE_CHECKING:
    from tests.postgres_server import Cluster

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


# Where a program keeps the user's files: HOME and every XDG folder. The tests point all of
# them into a temporary home, so that nothing reads or writes the developer's own settings,
# store, feed cache (~/.cache/focusblock) or any other program's files.
HOME_FOLDERS = {
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
    "XDG_RUNTIME_DIR": "runtime",
}


# The environment that says where Python keeps compiled modules (see keep_bytecode).
BYTECODE = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")


def point_home_into(home: Path, setenv: Callable[[str, str], object]) -> None:
    """HOME (made, private) and every XDG folder inside `home`, set by `setenv`. The XDG
    folders are named, not made: focusblock makes the ones it needs, as on a new account."""
    home.mkdir(mode=0o700, exist_ok=True)
    setenv("HOME", str(home))
    for name, folder in HOME_FOLDERS.items():
        setenv(name, str(home / folder))


def user_folders() -> list[Path]:
    """focusblock's folders in the home the environment names (where platformdirs puts them)."""
    import platformdirs

    return [
        platformdirs.user_cache_path("focusblock", appauthor=False),
        platformdirs.user_data_path("focusblock", appauthor=False),
        platformdirs.user_config_path("focusblock", appauthor=False),
        platformdirs.user_state_path("focusblock", appauthor=False),
    ]


def _snapshot(folders: list[Path]) -> set[tuple[str, float]]:
    """Every file and folder under `folders`, with its modification time."""
    return {
        (str(path), path.lstat().st_mtime)
        for folder in folders
        if folder.exists()
        for path in [folder, *folder.rglob("*")]
    }


@dataclass
class RealHome:
    """The developer's own home, kept aside while the session runs in a temporary one."""

    environ: dict[str, str | None]
    folders: list[Path]
    before: set[tuple[str, float]]
    session_home: Path


_real_home: list[RealHome] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: looks at the SQLite file itself; not run against PostgreSQL"
    )
    config.addinivalue_line(
        "markers",
        "both_stores(reason): also runs against PostgreSQL, for the reason given (SQL that "
        "differs between the two backends)",
    )
    config.addinivalue_line(
        "markers",
        "fresh_store(reason): the store is made by the test's first command, not copied from "
        "the session's migrated template",
    )
    # Before anything runs (session fixtures and servers too, which start before any test's
    # own fixtures), the whole session gets a home of its own; subprocesses inherit it.
    folders = user_folders()
    real = RealHome(
        environ={name: os.environ.get(name) for name in ("HOME", *HOME_FOLDERS, *BYTECODE)},
        folders=folders,
        before=_snapshot(folders),
        session_home=Path(tempfile.mkdtemp(prefix="focusblock-tests-home-")),
    )
    _real_home.append(real)
    point_home_into(real.session_home / "home", os.environ.__setitem__)
    keep_bytecode(config, real.session_home / "bytecode")


def keep_bytecode(config: pytest.Config, fallback: Path) -> None:
    """Compiled modules are kept in pytest's cache folder, never beside the sources.

    Where the environment says to write no bytecode (PYTHONDONTWRITEBYTECODE, as on this
    project's machines), every session compiled and assertion-rewrote all the test modules
    again (2-3 s, and as much again in each pytest-xdist worker), and each of the hundred-odd
    Python subprocesses (`python -m focusblock`, the demo, the concurrency workers) compiled
    focusblock again (0.2 s apiece). Modules imported from now on, in this process and in
    the subprocesses, read and write their bytecode in .pytest_cache (or, without pytest's
    cache, the session's temporary folder); the user's setting is back at the end.
    """
    cache = getattr(config, "cache", None)
    folder = cache.mkdir("bytecode") if cache is not None else fallback
    _interpreter_bytecode.append((sys.dont_write_bytecode, sys.pycache_prefix))
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(folder)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


_interpreter_bytecode: list[tuple[bool, str | None]] = []


# Test modules whose tests wait on a long subprocess start it when the tests are collected:
# such a module has start_early(its selected tests) and stop_all() (see test_code_quality).
_started_early: list[ModuleType] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """Long checks (mypy) start now, in the background, to run beside the other tests. Not
    in a pytest-xdist worker, which runs only some of the tests it collected."""
    if session.config.option.collectonly or hasattr(session.config, "workerinput"):
        return
    selected: dict[ModuleType, list[pytest.Function]] = {}
    for item in session.items:
        if isinstance(item, pytest.Function) and hasattr(item.module, "start_early"):
            selected.setdefault(item.module, []).append(item)
    for module, items in selected.items():
        _started_early.append(module)
        module.start_early(items)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _started_early:
        _started_early.pop().stop_all()
    while _interpreter_bytecode:
        sys.dont_write_bytecode, sys.pycache_prefix = _interpreter_bytecode.pop()
    while _real_home:
        real = _real_home.pop()
        for name, value in real.environ.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(real.session_home, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The run fails if it made or changed anything in the user's real focusblock folders."""
    for real in _real_home:
        changed = sorted(path for path, _ in _snapshot(real.folders) ^ real.before)
        if changed:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write("\n")  # after the last line of progress dots
                reporter.write_line(
                    "the tests made or changed files in the user's real folders: "
                    + ", ".join(changed[:10]),
                    red=True,
                )
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def as_a_test(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment every test starts in: a home of its own, no FOCUSBLOCK_ setting of
    the developer's, New York, and the clock pinned."""
    for name in list(os.environ):
        if name.startswith("FOCUSBLOCK_"):
            monkeypatch.delenv(name)
    point_home_into(home, monkeypatch.setenv)
    monkeypatch.setenv("FOCUSBLOCK_TIMEZONE", "America/New_York")
    monkeypatch.setenv("FOCUSBLOCK_NOW", NOW)
    monkeypatch.setenv("FOCUSBLOCK_PLAN_PDF", "false")  # PDF is slow; its own tests turn it on


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's settings or store: HOME and every XDG folder point into
    tmp_path (subprocesses inherit them)."""
    as_a_test(tmp_path / "home", monkeypatch)


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

# Which tests run on PostgreSQL too. A test that takes the `backend` fixture (through
# `store_target` or `run`) runs on SQLite; one marked `both_stores("why")` runs on a real
# PostgreSQL server as well. Marked are the store-level tests (focusblock/store used
# directly, locking, concurrency, interrupted transactions, upgrades) and the CLI journeys
# whose SQL differs between the two: locking and transactions, sequences after rows
# inserted with their ids, case and collation of names, JSON and array columns, dates and
# times with zones, length limits and NUL bytes that only PostgreSQL enforces, ordering
# that golden files pin. Every other command's test runs on SQLite only: its SQL is the
# same statement on both, and running all of them twice doubled the suite's time.


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`backend` is SQLite, and PostgreSQL too for a test marked both_stores."""
    if "backend" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_stores") is not None
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS if both and not only_sqlite else BACKENDS[:1])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test runs on both stores for a reason that is written down beside it, and only a
    test that opens a store (takes `backend`, through `store_target` or `run`) is marked."""
    for item in items:
        for name in ("both_stores", "fresh_store"):
            marker = item.get_closest_marker(name)
            if marker is None:
                continue
            if not (marker.args and str(marker.args[0]).strip()):
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} needs a reason")
            if "backend" not in getattr(item, "fixturenames", ()):
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name}: it opens no store")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    from tests.postgres_server import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store at the schema's head, made once: every test that needs no store of
    its own making starts from a copy (running the migrations took most of a short test)."""
    from focusblock.store.store import Store

    path = tmp_path_factory.mktemp("template") / "focusblock.db"
    Store.open(str(path), owner="template").close()
    return path


EXAMPLES_SELLER = "alex.morgan@example.com"


def add_the_examples(run: Run) -> None:
    """The examples' customers and their remarks, added as a user would."""
    for name, *options in EXAMPLE_ACCOUNTS:
        run("account", "add", name, *options)
    run("remark", "import", str(EXAMPLES / "remarks.csv"))


def _filled_once(target: str, home: Path) -> None:
    """The examples added to the store at `target`, in a test's environment."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        as_a_test(home, monkeypatch)
        monkeypatch.setenv("FOCUSBLOCK_EMAIL", EXAMPLES_SELLER)
        add_the_examples(make_runner(target))


@pytest.fixture(scope="session")
def examples_sqlite(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples' store, made once by the commands: example_store copies it (the six
    accounts and the import were most of each such test's time)."""
    folder = tmp_path_factory.mktemp("examples")
    path = folder / "focusblock.db"
    shutil.copyfile(migrated_sqlite, path)
    _filled_once(str(path), folder / "home")
    return path


@pytest.fixture(scope="session")
def examples_postgres(postgres_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The name of a PostgreSQL database holding the examples, made once, to copy."""
    url = postgres_cluster.new_database(template=postgres_cluster.migrated_template())
    _filled_once(url, tmp_path_factory.mktemp("examples-postgres") / "home")
    return url.rsplit("/", 1)[1]


def _makes_its_own_store(request: pytest.FixtureRequest) -> bool:
    """A test that looks at the SQLite file (asks for db_path) or is about how a store is
    made (fresh_store) gets no copy: its first command makes the store, as for a user."""
    if request.node.get_closest_marker("fresh_store") is not None:
        return True
    return "db_path" in inspect.signature(request.function).parameters


@pytest.fixture
def store_target(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """The test's own store: a path (SQLite) or a URL (PostgreSQL), already migrated unless
    the test makes its own store."""
    fresh = _makes_its_own_store(request)
    examples = "example_store" in request.fixturenames
    if backend == "sqlite":
        if not fresh:
            db_path.parent.mkdir(mode=0o700)
            db_path.parent.chmod(0o700)  # as the store makes it, whatever the umask
            template = "examples_sqlite" if examples else "migrated_sqlite"
            shutil.copyfile(request.getfixturevalue(template), db_path)
            db_path.chmod(0o600)
        return str(db_path)
    cluster = request.getfixturevalue("postgres_cluster")
    if fresh:
        return cluster.new_database()
    if examples:
        return cluster.new_database(template=request.getfixturevalue("examples_postgres"))
    return cluster.new_database(template=cluster.migrated_template())


@pytest.fixture
def run(store_target: str) -> Run:
    """Invoke the CLI against the test's own store; fails the test on an unexpected exit code."""
    return make_runner(store_target)


@pytest.fixture
def run_on() -> Callable[[Path | str], Run]:
    """A runner for another store, e.g. to restore a backup into."""
    return lambda target: make_runner(str(target))


@pytest.fixture
def example_store(run: Run, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Run:
    """The examples' customers and remarks, as a seller in New York who is alex.morgan@
    (a copy of the store the commands made once, unless the test makes its own store)."""
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", EXAMPLES_SELLER)
    if _makes_its_own_store(request):
        add_the_examples(run)
    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def make(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make


@pytest.fixture
def acme(run):
    run("account", "add", "Acme Corp", "--domain", "acme.com")
    run(
        "remark",
        "add",
        "Acme Corp",
        "We close in six days.",
        "--on",
        "2026-11-02",
        "--lens",
        "need",
    )
    run("remark", "add", "Acme Corp", "Audit fees went up 30%.", "--on", "2026-11-09")
    return run
