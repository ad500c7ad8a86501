"""`init` and `config`: where things live and what is in effect."""

from __future__ import annotations

import click

from focusblock.calendar.urls import show_source
from focusblock.cli.config_results import ConfigShown
from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.output import EMPTY, json_output, say
from focusblock.config import SETTINGS, display_db, resolve_config, resolve_db, system_timezone
from focusblock.config.template import config_template
from focusblock.config.values import DAY_NAMES
from focusblock.private_files import ensure_private_dir, write_private


@click.command()
@pass_app
def init(app: AppContext) -> None:
    """Create the store and a commented settings file (at --config FILE, or in your config
    folder) if they do not exist yet; every setting is in it with its default."""
    config_path, _ = resolve_config(app.config_flag)
    if not config_path.exists():  # the default file, or the one --config names
        ensure_private_dir(config_path.parent)
        write_private(config_path, config_template(system_timezone()))
        say(f"Settings: {config_path} (created, all defaults)")
    else:
        say(f"Settings: {config_path}")
    app.settings  # noqa: B018 - a bad settings file should fail here, at init, not later
    app.store()
    say(f"Store:    {display_db(resolve_db(app.db_flag))} (ready)")
    say('Next: focusblock account add "Customer name" --domain customer.com')


@click.command("config")
@json_output
@pass_app
def show_config(app: AppContext) -> ConfigShown:
    """Show the settings in effect and where each comes from."""
    settings = app.settings
    rows = tuple(
        (
            setting.key,
            _show(getattr(settings, setting.attr)),
            settings.source_of(setting.key),
            setting.help,
        )
        for setting in SETTINGS
    )
    db = display_db(resolve_db(app.db_flag))
    return ConfigShown(rows, db, str(resolve_config(app.config_flag)[0]))


def _show(value: object) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], str):
        return ", ".join(show_source(v) for v in value)  # calendars.busy
    if isinstance(value, str) and value.startswith("caldav:"):
        return show_source(value)
    if isinstance(value, tuple):
        return ", ".join(DAY_NAMES[d] for d in value)  # only work.days is a tuple
    if value is None:
        return EMPTY
    return str(value)
