"""Where focusblock keeps its files, and how the user overrides that."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "focusblock"
ENV_DB = "FOCUSBLOCK_DB"
ENV_CONFIG = "FOCUSBLOCK_CONFIG"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / "focusblock.db"


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def resolve_db(flag: str | None) -> str:
    """The store to open: --db, then FOCUSBLOCK_DB, then the file in the user data folder."""
    return flag or os.environ.get(ENV_DB) or str(default_db_path())


def resolve_config(flag: str | None) -> tuple[Path, bool]:
    """The config file and whether the user named it (a named file must exist)."""
    named = flag or os.environ.get(ENV_CONFIG)
    if named:
        return Path(named).expanduser(), True
    return default_config_path(), False
