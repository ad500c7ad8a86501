"""A throwaway PostgreSQL cluster on 127.0.0.1 for the test session, in a temp folder."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run: {reason}; CI must run them")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


class Cluster:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            unavailable("no PostgreSQL server binaries (apt-get install postgresql)")
        try:
            import psycopg  # noqa: F401 - the driver the postgres extra brings
        except ImportError:
            unavailable("psycopg is not installed (pip install 'focusblock[postgres]')")
        assert bin_dir is not None
        self.bin = bin_dir
        # in memory where the system has a memory file system: each test's database is a
        # copy of a template, and copying and deleting them on disk took seconds
        memory = Path("/dev/shm")
        in_memory = memory.is_dir() and os.access(memory, os.W_OK)
        self.folder = Path(
            tempfile.mkdtemp(prefix="focusblock-pg-", dir=str(memory) if in_memory else None)
        )
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "focusblock", "--auth=trust", "-E", "UTF8")
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F",
            "start",
        )
        self.data = data
        self._names = itertools.count(1)
        self._template: str | None = None

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def new_database(self, template: str | None = None) -> str:
        """A new database's URL: empty, or a copy of the database `template`."""
        import psycopg

        name = f"focusblock_test_{next(self._names)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=focusblock dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return f"postgresql+psycopg://focusblock@127.0.0.1:{self.port}/{name}"

    def migrated_template(self) -> str:
        """The name of a database at the schema's head, made once, to copy for each test:
        running the migrations took most of a short test."""
        if self._template is None:
            from focusblock.store.store import Store

            url = self.new_database()
            Store.open(url, owner="template").close()  # closed: a template must be idle
            self._template = url.rsplit("/", 1)[1]
        return self._template

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
