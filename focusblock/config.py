"""Settings, each declared once (key, type, default, help), and where focusblock keeps its files.

Settings load from TOML and FOCUSBLOCK_*.
Precedence: command-line flag, then FOCUSBLOCK_<KEY> environment variable, then the
config file, then the default. Nothing has to be configured to start.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from focusblock.errors import ConfigError

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


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Settings:
    timezone: str = "UTC"
    email: str | None = None
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    min_minutes: int = 30
    max_minutes: int = 90
    per_day: int = 2
    buffer_minutes: int = 10
    lead_hours: float = 2.0
    hopeful_quiet_days: int = 30
    questions_file: str | None = None
    private: bool = False
    pdf: bool = True
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def source_of(self, key: str) -> str:
        return self.sources.get(key, "default")


def _parse_zone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(value, str) or not value:
        raise ValueError("expected an IANA time zone name such as 'Europe/Berlin'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}; expected a name such as 'America/New_York'"
        ) from None
    return value


def _parse_time(value: Any) -> time:
    """A time of day in the user's own zone: HH:MM, never with a UTC offset (the working
    day follows the `timezone` setting, and an offset time cannot be compared with it)."""
    parsed = None
    if isinstance(value, time):
        parsed = value
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            parsed = time.fromisoformat(value.strip())
    if parsed is None or parsed.tzinfo is not None:
        raise ValueError(f"expected a time as HH:MM in your time zone, got {value!r}")
    return parsed


def _parse_days(value: Any) -> tuple[int, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list) or not value:
        raise ValueError('expected a list of days such as ["mon", "tue"]')
    days = []
    for item in value:
        word = str(item).strip().lower()[:3]
        if word not in DAY_NAMES:
            raise ValueError(f"unknown day {item!r}; expected one of {', '.join(DAY_NAMES)}")
        days.append(DAY_NAMES.index(word))
    return tuple(sorted(set(days)))


def _int_in(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number from {low} to {high}, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {value}")
        return value

    return parse


def _hours(value: Any) -> float:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 24 * 14:
        raise ValueError(f"expected a number of hours from 0 to 336, got {value!r}")
    return float(value)


def _optional_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
        "0",
        "false",
        "no",
        "off",
    }:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    raise ValueError(f"expected true or false, got {value!r}")


@dataclass(frozen=True)
class Setting:
    key: str  # dotted name in the TOML file
    attr: str  # field of Settings
    parse: Callable[[Any], Any]
    help: str
    example: str | None = None  # shown in the settings template where the default is empty

    @property
    def env_var(self) -> str:
        return "FOCUSBLOCK_" + self.key.upper().replace(".", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "timezone", "timezone", _parse_zone, "Your time zone (IANA name); default: the system's."
    ),
    Setting(
        "email",
        "email",
        _optional_text,
        "Your address, to skip invitations you declined.",
        example='"me@example.com"',
    ),
    Setting("work.days", "work_days", _parse_days, 'Working days, e.g. ["mon", "tue"].'),
    Setting("work.start", "work_start", _parse_time, "Start of the working day, HH:MM."),
    Setting("work.end", "work_end", _parse_time, "End of the working day, HH:MM."),
    Setting("blocks.min_minutes", "min_minutes", _int_in(15, 240), "Shortest focus block."),
    Setting("blocks.max_minutes", "max_minutes", _int_in(15, 480), "Longest focus block."),
    Setting("blocks.per_day", "per_day", _int_in(1, 8), "Focus blocks per day at most."),
    Setting(
        "blocks.buffer_minutes",
        "buffer_minutes",
        _int_in(0, 120),
        "Free time kept around other events.",
    ),
    Setting(
        "blocks.lead_hours",
        "lead_hours",
        _hours,
        "A block ends at least this long before that account's call.",
    ),
    Setting(
        "priority.hopeful_quiet_days",
        "hopeful_quiet_days",
        _int_in(1, 3650),
        "Days without news before a pending deal with no need, date or call "
        "is flagged for disqualification.",
    ),
    Setting(
        "worksheet.questions_file",
        "questions_file",
        _optional_text,
        "A TOML file of your own questions, added to or replacing the bank's per lens.",
        example='"~/focusblock-questions.toml"',
    ),
    Setting(
        "plan.private",
        "private",
        _boolean,
        "Write focus blocks without customer names (title 'Focus block', CLASS:PRIVATE).",
    ),
    Setting(
        "plan.pdf",
        "pdf",
        _boolean,
        "Also write the week's worksheet packet as PDF (needs the pdf extra).",
    ),
)
SETTINGS_BY_KEY = {setting.key: setting for setting in SETTINGS}


def system_timezone() -> str:
    """The OS zone as an IANA name, or UTC when it cannot be told."""
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
            return name
        except Exception:  # any unusable name falls through to the next candidate
            continue
    return "UTC"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def load_settings(path: Path, must_exist: bool, environ: dict[str, str] | None = None) -> Settings:
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {"timezone": system_timezone()}
    sources: dict[str, str] = {}
    file_values: dict[str, Any] = {}
    if path.exists():
        file_values = _flatten(_read_toml(path))
    elif must_exist:
        raise ConfigError(f"{path}: config file not found")

    for key, raw in file_values.items():
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(SETTINGS_BY_KEY), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{path}: unknown key '{key}'{hint}")
        values[setting.attr] = _parse(setting, raw, str(path))
        sources[setting.key] = str(path)

    for setting in SETTINGS:
        if setting.env_var in environ:
            values[setting.attr] = _parse(setting, environ[setting.env_var], setting.env_var)
            sources[setting.key] = setting.env_var

    settings = Settings(**values, sources=sources)
    _check_consistency(settings)
    return settings


def _parse(setting: Setting, raw: Any, origin: str) -> Any:
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{origin}: '{setting.key}': {exc}") from None


def _check_consistency(settings: Settings) -> None:
    if settings.work_end <= settings.work_start:
        raise ConfigError("'work.end' must be later than 'work.start'")
    if settings.max_minutes < settings.min_minutes:
        raise ConfigError("'blocks.max_minutes' must not be below 'blocks.min_minutes'")


def _toml(value: Any) -> str:
    """A default value as TOML text, for the settings template."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return f'"{value:%H:%M}"'
    if isinstance(value, tuple):  # work.days, kept as day numbers
        return "[" + ", ".join(f'"{DAY_NAMES[d]}"' for d in value) + "]"
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
        shown = setting.example if value is None and setting.example else _toml(value)
        lines.append(f"# {name} = {shown}  # {setting.help}")
    return "\n".join(lines) + "\n"
