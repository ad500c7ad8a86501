"""The tests never touch the user's real folders: HOME and every XDG folder point into the
test's own tmp_path, in the test's process and in every process it starts (a feed cache
was once left in the real ~/.cache/focusblock/feeds)."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from focusblock.calendar.sources import default_cache_dir
from focusblock.config import config_dir, data_dir
from tests.calendar_servers import FeedServer
from tests.conftest import EXAMPLES, HOME_FOLDERS, user_folders

FOLDERS_OF_A_PROCESS = """
import json, platformdirs
print(json.dumps([
    str(platformdirs.user_cache_path("focusblock", appauthor=False)),
    str(platformdirs.user_data_path("focusblock", appauthor=False)),
    str(platformdirs.user_config_path("focusblock", appauthor=False)),
    str(platformdirs.user_state_path("focusblock", appauthor=False)),
]))
"""


def _real_user_folder(*parts: str) -> Path:
    """A folder in the user's real home: from the password database, which no HOME changes."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir, *parts)


def _files_under(folder: Path) -> dict[str, float]:
    if not folder.exists():
        return {}
    return {str(p): p.lstat().st_mtime for p in [folder, *folder.rglob("*")]}


def test_every_user_folder_is_inside_the_tests_tmp_path(tmp_path):
    assert Path(os.environ["HOME"]).is_relative_to(tmp_path)
    for name in HOME_FOLDERS:
        assert Path(os.environ[name]).is_relative_to(tmp_path), name
    for folder in [*user_folders(), default_cache_dir(), data_dir(), config_dir()]:
        assert folder.is_relative_to(tmp_path), folder


def test_a_process_the_test_starts_has_the_same_private_home(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", FOLDERS_OF_A_PROCESS], capture_output=True, text=True, check=True
    )
    folders = [Path(f) for f in json.loads(done.stdout)]
    assert len(folders) == 4
    for folder in folders:
        assert folder.is_relative_to(tmp_path), folder


@pytest.mark.slow  # an HTTP feed server and a subprocess
def test_a_feed_read_by_a_command_is_cached_in_the_tests_home_only(tmp_path):
    real_cache = _real_user_folder(".cache", "focusblock")
    before = _files_under(real_cache)
    server = FeedServer(feeds={"/team.ics": (EXAMPLES / "calendar.ics").read_bytes()})
    server.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "focusblock", "busy", "--busy", server.url("/team.ics")],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    assert server.downloads == {"/team.ics": 1}
    cached = list((tmp_path / "home" / "cache" / "focusblock" / "feeds").iterdir())
    assert cached, "the feed was not cached in the test's home"
    assert _files_under(real_cache) == before
