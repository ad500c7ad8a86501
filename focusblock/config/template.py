"""The commented settings file `init` writes, generated from the settings table."""

from __future__ import annotations

from datetime import time
from typing import Any

from focusblock.config import SETTINGS, Settings
from focusblock.config.values import DAY_NAMES


def _toml(value: Any) -> str:
    """A default value as TOML text, for the settings template."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return f'"{value:%H:%M}"'
    if isinstance(value, tuple):  # work.days are kept as day numbers
        items = [DAY_NAMES[v] if isinstance(v, int) else v for v in value]
        return "[" + ", ".join(_toml(item) for item in items) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def config_template(timezone: str) -> str:
    """The commented settings file `init` writes: every setting with its default and help."""
    defaults = Settings(timezone=timezone)
    lines = [
        "# focusblock settings. Every key is optional: each line shows the default;",
        "# remove the '#' to change one. `focusblock config` shows what is in effect.",
    ]
    section = ""
    for setting in SETTINGS:
        table, _, name = setting.key.rpartition(".")
        if table != section:
            lines += ["", f"[{table}]"]
            section = table
        value = getattr(defaults, setting.attr)
        empty = value is None or value == ()
        shown = setting.example if empty and setting.example else _toml(value)
        lines.append(f"# {name} = {shown}  # {setting.help}")
    return "\n".join(lines) + "\n"
