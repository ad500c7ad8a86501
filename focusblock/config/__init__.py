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
from zoneinfo import ZoneInfo

from platformdirs import user_config_path, user_data_path

from focusblock.config import values
from focusblock.errors import ConfigError, StoreError

APP_NAME = "focusblock"
ENV_DB = "FOCUSBLOCK_DB"
ENV_CONFIG = "FOCUSBLOCK_CONFIG"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / "focusblock.db"


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def resolve_db(flag: str | None) -> str:
    """The store to open: --db, then FOCUSBLOCK_DB, then the file in the user data folder.

    An empty --db or FOCUSBLOCK_DB is an error, not the default store: `--db "$STORE"`
    with STORE unset must not quietly write into another store.
    """
    for given, origin in ((flag, "--db"), (os.environ.get(ENV_DB), ENV_DB)):
        if given is None:
            continue
        if not given.strip():
            raise StoreError(
                f"{origin}: is empty; expected a SQLite file path or a postgresql:// URL "
                f"(without {origin}, the store is {default_db_path()})"
            )
        return given
    return str(default_db_path())


def display_db(target: str) -> str:
    """The store as shown to people: a URL's password is always masked."""
    if "://" not in target:
        return target
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(target).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        scheme = target.split("://", 1)[0]
        return f"{scheme}://***"  # unreadable: show nothing that may hold a secret


def resolve_config(flag: str | None) -> tuple[Path, bool]:
    """The config file and whether the user named it (a named file must exist)."""
    named = flag or os.environ.get(ENV_CONFIG)
    if named:
        return Path(named).expanduser(), True
    return default_config_path(), False


@dataclass(frozen=True)
class Settings:
    timezone: str = "UTC"
    email: str | None = None
    colleague_domains: tuple[str, ...] = ()
    me: tuple[str, ...] = ()
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    min_minutes: int = 30
    max_minutes: int = 90
    per_day: int = 2
    buffer_minutes: int = 10
    lead_hours: float = 2.0
    hopeful_quiet_days: int = 30
    disqualify_after_remarks: int = 10
    questions_file: str | None = None
    private: bool = False
    describe_remarks: bool = False
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
        "timezone",
        "timezone",
        values.parse_zone,
        "Your time zone (IANA name); default: the system's.",
    ),
    Setting(
        "email",
        "email",
        values.optional_text,
        "Your address, to skip invitations you declined and to tell colleagues (its domain).",
        example='"me@example.com"',
    ),
    Setting(
        "colleague_domains",
        "colleague_domains",
        values.domain_list,
        "Your company's other mail domains (your email's domain counts already): a meeting "
        "with colleagues only is internal, never a customer's call. Never a public one.",
        example='["acme-group.com"]',
    ),
    Setting(
        "me",
        "me",
        values.name_list,
        "Your own names as call transcripts show them: your words are never stored as "
        "the customer's.",
        example='["Alex Seller", "Alex S."]',
    ),
    Setting("work.days", "work_days", values.parse_days, 'Working days, e.g. ["mon", "tue"].'),
    Setting("work.start", "work_start", values.parse_time, "Start of the working day, HH:MM."),
    Setting("work.end", "work_end", values.parse_time, "End of the working day, HH:MM."),
    Setting("blocks.min_minutes", "min_minutes", values.int_in(15, 240), "Shortest focus block."),
    Setting("blocks.max_minutes", "max_minutes", values.int_in(15, 480), "Longest focus block."),
    Setting("blocks.per_day", "per_day", values.int_in(1, 8), "Focus blocks per day at most."),
    Setting(
        "blocks.buffer_minutes",
        "buffer_minutes",
        values.int_in(0, 120),
        "Free time kept around other events.",
    ),
    Setting(
        "blocks.lead_hours",
        "lead_hours",
        values.hours,
        "A block ends at least this long before that account's call.",
    ),
    Setting(
        "priority.hopeful_quiet_days",
        "hopeful_quiet_days",
        values.int_in(1, 3650),
        "Days without news before a pending deal with no need, date or call "
        "is flagged for disqualification.",
    ),
    Setting(
        "priority.disqualify_after_remarks",
        "disqualify_after_remarks",
        values.int_in(1, 100000),
        "Remarks after which a pending deal with no call booked, where none of its need, "
        "their figures for the cost of doing nothing, who signs or a decision date has "
        "been heard, is flagged for disqualification.",
    ),
    Setting(
        "worksheet.questions_file",
        "questions_file",
        values.optional_text,
        "A TOML file of your own questions, added to or replacing the bank's per stage "
        "([pending], [sold]) and lens, and its quoted questions ([sold.quoted] figure = ...).",
        example='"~/focusblock-questions.toml"',
    ),
    Setting(
        "plan.private",
        "private",
        values.boolean,
        "Write focus blocks without customer names (title 'Focus block', CLASS:PRIVATE).",
    ),
    Setting(
        "plan.describe_remarks",
        "describe_remarks",
        values.boolean,
        "Put the latest remarks, verbatim, in each block's description (colleagues and mail "
        "servers who see your calendar read them too).",
    ),
    Setting(
        "plan.pdf",
        "pdf",
        values.boolean,
        "Also write the week's worksheet packet as PDF.",
    ),
    Setting(
        "calendars.busy",
        "busy_sources",
        values.source_list,
        "Where busy time comes from when no --busy is given: .ics files, Google's .zip, "
        "folders of .ics, https feeds, caldav:URL; {url = ..., name = ...} shows a feed "
        "by its name.",
        example='["~/cal/work.ics", {url = "https://.../basic.ics", name = "Team calendar"}, '
        '"caldav:https://.../me/work/"]',
    ),
    Setting(
        "calendars.publish",
        "publish",
        values.caldav_target,
        "A CalDAV calendar (caldav:URL) that plan keeps the week's blocks in, in place.",
        example='"caldav:https://.../calendars/me/focus/"',
    ),
    Setting(
        "calendars.username",
        "caldav_username",
        values.optional_text,
        "Your CalDAV username.",
        example='"me"',
    ),
    Setting(
        "calendars.password_command",
        "password_command",
        values.optional_text,
        "A command printing your CalDAV password (e.g. 'pass show caldav'); "
        "or set FOCUSBLOCK_CALDAV_PASSWORD. Never a password here.",
        example='"pass show caldav"',
    ),
    Setting(
        "calendars.max_age",
        "max_age_hours",
        values.hours,
        "Hours a feed's cached copy may be used when the feed cannot be fetched.",
    ),
    Setting(
        "calendars.timeout",
        "fetch_timeout",
        values.int_in(1, 600),
        "Seconds to wait for a calendar server or feed.",
    ),
)
SETTINGS_BY_KEY = {setting.key: setting for setting in SETTINGS}


def system_timezone() -> str:
    """The OS zone as an IANA name, or UTC when it cannot be told."""
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
