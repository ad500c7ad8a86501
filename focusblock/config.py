"""Settings: each declared once (key, type, default, help); loaded from TOML and FOCUSBLOCK_*.

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
    busy_sources: tuple[str, ...] = ()
    publish: str | None = None
    caldav_username: str | None = None
    password_command: str | None = None
    max_age_hours: float = 24.0
    fetch_timeout: int = 20
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
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a time as HH:MM, got {value!r}")


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


def _source_list(value: Any) -> tuple[str, ...]:
    import shlex

    if isinstance(value, str):  # from the environment: words, quoted where they hold spaces
        value = shlex.split(value)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(
            'expected a list of calendars such as ["~/cal/work.ics", "https://...", '
            '"caldav:https://..."]'
        )
    return tuple(value)


def _caldav_target(value: Any) -> str | None:
    text = _optional_text(value)
    if text is not None and not text.startswith("caldav:"):
        raise ValueError("expected caldav:https://server/path/to/calendar/")
    return text


@dataclass(frozen=True)
class Setting:
    key: str  # dotted name in the TOML file
    attr: str  # field of Settings
    parse: Callable[[Any], Any]
    help: str

    @property
    def env_var(self) -> str:
        return "FOCUSBLOCK_" + self.key.upper().replace(".", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "timezone", "timezone", _parse_zone, "Your time zone (IANA name); default: the system's."
    ),
    Setting("email", "email", _optional_text, "Your address, to skip invitations you declined."),
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
    Setting(
        "calendars.busy",
        "busy_sources",
        _source_list,
        "Where busy time comes from when no --busy is given: .ics files, Google's .zip, "
        "folders of .ics, https feeds, caldav:URL.",
    ),
    Setting(
        "calendars.publish",
        "publish",
        _caldav_target,
        "A CalDAV calendar (caldav:URL) that plan keeps the week's blocks in, in place.",
    ),
    Setting("calendars.username", "caldav_username", _optional_text, "Your CalDAV username."),
    Setting(
        "calendars.password_command",
        "password_command",
        _optional_text,
        "A command printing your CalDAV password (e.g. 'pass show caldav'); "
        "or set FOCUSBLOCK_CALDAV_PASSWORD. Never a password here.",
    ),
    Setting(
        "calendars.max_age",
        "max_age_hours",
        _hours,
        "Hours a feed's cached copy may be used when the feed cannot be fetched.",
    ),
    Setting(
        "calendars.timeout",
        "fetch_timeout",
        _int_in(1, 600),
        "Seconds to wait for a calendar server or feed.",
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
        if setting is None and key.rsplit(".", 1)[-1] in ("password", "pass", "secret"):
            raise ConfigError(
                f"{path}: '{key}': no password in the settings file, please; use "
                "calendars.password_command or the FOCUSBLOCK_CALDAV_PASSWORD variable"
            )
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
