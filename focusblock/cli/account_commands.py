"""`account add | edit | list | show`; rename, merge, delete and restore are in
account_correction_commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import account_fact_options, json_option, page_options, since_date

SHOW_LIMIT = 20  # account show: the facts and the latest 20 remarks

if TYPE_CHECKING:
    from focusblock.store.accounts import AccountFields


@click.group()
def account() -> None:
    """Customers you sell to: their stage, need, domains and next call."""


def _fields(
    app: AppContext,
    stage: str | None,
    domains: tuple[str, ...],
    aliases: tuple[str, ...],
    need: str | None,
    consequence: str | None,
    decision_date: str | None,
    next_call: str | None,
) -> AccountFields:
    """The facts as typed on the command line, checked and parsed."""
    from focusblock.dates import parse_date, parse_datetime
    from focusblock.remark_input import refuse_nul
    from focusblock.store.accounts import AccountFields

    for field, value in (("--need", need), ("--consequence", consequence)):
        refuse_nul(value, field)
    for field, values in (("--domain", domains), ("--alias", aliases)):
        for value in values:
            refuse_nul(value, field)
    decided = parse_date(decision_date, "--decision-date", app.today()) if decision_date else None
    return AccountFields(
        stage=stage.lower() if stage else None,
        domains=list(domains),
        aliases=list(aliases),
        need=need,
        consequence=consequence,
        decision_date=decided,
        next_call=parse_datetime(next_call, "--next-call", app.zone) if next_call else None,
    )


@account.command("add")
@click.argument("name")
@account_fact_options
@click.pass_obj
def account_add(app: AppContext, name: str, **facts: Any) -> None:
    """Add the account NAME (names match case- and accent-insensitively)."""
    from focusblock.cli.render import say
    from focusblock.store.accounts import add_account

    view = add_account(app.store(), name, _fields(app, **facts))
    say(f"Added account '{view.name}' ({view.stage}).")


@account.command("edit")
@click.argument("name")
@click.option("--rename", metavar="NEW_NAME", help="Give the account a new name.")
@click.option(
    "--not-call",
    "not_call",
    multiple=True,
    metavar="TEXT",
    help="A meeting whose title contains TEXT is never this account's call (repeatable).",
)
@click.option(
    "--code",
    metavar="CODE",
    help="A short code (e.g. K7) shown after 'Focus block' in --private plans, to tell "
    "blocks apart with no customer name. An empty text clears it.",
)
@account_fact_options
@click.pass_obj
def account_edit(
    app: AppContext,
    name: str,
    rename: str | None,
    not_call: tuple[str, ...],
    code: str | None,
    **facts: Any,
) -> None:
    """Change facts of the account NAME; options not given stay as they are.

    Domains and aliases are added to those already known. An empty text (--need "")
    clears that fact.
    """
    from dataclasses import replace

    from focusblock.cli.render import say
    from focusblock.store.accounts import edit_account

    fields = replace(_fields(app, **facts), not_call=list(not_call), code=code)
    view = edit_account(app.store(), name, fields, rename=rename)
    say(f"Updated account '{view.name}'.")


@account.command("list")
@json_option
@click.pass_obj
def account_list(app: AppContext, as_json: bool) -> None:
    """List your accounts with their stage, need and latest remark."""
    from focusblock.cli import render
    from focusblock.store.accounts import list_accounts

    views = list_accounts(app.store())
    if as_json:
        render.echo_json([render.account_json(v, app.zone) for v in views])
        return
    render.print_accounts(views, app.zone)


@account.command("show")
@click.argument("name")
@page_options(SHOW_LIMIT)
@json_option
@click.pass_obj
def account_show(
    app: AppContext, name: str, limit: int, show_all: bool, since: str | None, as_json: bool
) -> None:
    """Show the account NAME: its facts and its latest remarks (oldest of them first).

    \b
    Without --all, the latest 20 (--limit N); a line says how many were left out
    (on stderr with --json).
    """
    from dataclasses import replace

    from focusblock.cli import render
    from focusblock.store.accounts import show_account
    from focusblock.store.remarks import list_remarks, stream_remarks

    store = app.store()
    after = since_date(app, since)
    if after is None and not show_all:  # the common case: one short transaction
        detail = show_account(store, name, app.now(), limit=limit)
        total = detail.account.remark_count
    else:
        detail = show_account(store, name, app.now(), limit=0)
        if show_all and not as_json:
            render.print_account_facts(detail, app.zone)
            with stream_remarks(store, name, since=after) as (total, views):
                render.print_remarks_stream(views, total, with_account=False)
            return
        page = list_remarks(store, name, limit=None if show_all else limit, since=after)
        detail, total = replace(detail, remarks=page.remarks), page.total
    left_out = total - len(detail.remarks)
    if as_json:
        render.echo_json(render.account_detail_json(detail, app.zone))
    else:
        render.print_account(detail, app.zone, total)
    render.say_left_out(left_out, total, limit, to_stderr=as_json)


def _add_correction_commands() -> None:
    from focusblock.cli import account_correction_commands as corrections

    for command in (
        corrections.account_rename,
        corrections.account_merge,
        corrections.account_delete,
        corrections.account_restore,
    ):
        account.add_command(command)


_add_correction_commands()
