"""What `config` prints and returns as JSON: each setting, its value and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from focusblock.cli.output import Result, Table, print_table, say


@dataclass(frozen=True)
class ConfigShown(Result):
    """`config`: each setting with its value, where it comes from and what it means."""

    rows: tuple[tuple[str, str, str, str], ...]  # (key, value, from, meaning)
    db: str
    config_file: str

    def json(self, zone: tzinfo) -> Any:
        data = {key: value for key, value, _, _ in self.rows}
        return {**data, "db": self.db, "config_file": self.config_file}

    def text(self, zone: tzinfo) -> None:
        print_table(Table(None, ("setting", "value", "from", "meaning"), self.rows))
        say(f"store: {self.db}")
        say(f"settings file: {self.config_file}")
