"""`account add | edit | list | show`."""

from __future__ import annotations

import click

from focusblock.cli.context import AppContext
from focusblock.cli.options import account_fact_options, json_option


@click.group()
def account() -> None:
    """Customers you sell to: their stage, need, domains and next call."""


def _fields(app: AppContext, stage, domains, aliases, need, consequence, decision_date, next_call):  # type: ignore[no-untyped-def]
    from focusblock.dates import parse_date, parse_datetime
    from focusblock.store.accounts import AccountFields

    return AccountFields(
        stage=stage.lower() if stage else None,
        domains=list(domains),
        aliases=list(aliases),
        need=need,
        consequence=consequence,
        decision_date=parse_date(decision_date, "--decision-date") if decision_date else None,
        next_call=parse_datetime(next_call, "--next-call", app.zone) if next_call else None,
    )


@account.command("add")
@click.argument("name")
@account_fact_options
@click.pass_obj
def account_add(app: AppContext, name: str, **facts: object) -> None:
    """Add the account NAME (names match case- and accent-insensitively)."""
    from focusblock.store.accounts import add_account

    view = add_account(app.store(), name, _fields(app, **facts))
    click.echo(f"Added account '{view.name}' ({view.stage}).")


@account.command("edit")
@click.argument("name")
@click.option("--rename", metavar="NEW_NAME", help="Give the account a new name.")
@account_fact_options
@click.pass_obj
def account_edit(app: AppContext, name: str, rename: str | None, **facts: object) -> None:
    """Change facts of the account NAME; options not given stay as they are.

    Domains and aliases are added to those already known. An empty text (--need "")
    clears that fact.
    """
    from focusblock.store.accounts import edit_account

    view = edit_account(app.store(), name, _fields(app, **facts), rename=rename)
    click.echo(f"Updated account '{view.name}'.")


@account.command("list")
@json_option
@click.pass_obj
def account_list(app: AppContext, as_json: bool) -> None:
    """List your accounts with their stage, need and latest remark."""
    from focusblock.cli.render import echo_json, echo_table, fmt_date, fmt_time
    from focusblock.store.accounts import list_accounts

    views = list_accounts(app.store())
    if as_json:
        echo_json(views, app.zone)
        return
    if not views:
        click.echo('No accounts yet. Add one: focusblock account add "Customer name"')
        return
    rows = [
        (
            v.name,
            v.stage,
            v.need or "-",
            fmt_date(v.decision_date),
            fmt_time(v.next_call, app.zone),
            str(v.remark_count),
            fmt_date(v.last_heard),
        )
        for v in views
    ]
    echo_table(
        f"{len(views)} accounts",
        ("account", "stage", "need", "decision", "next call", "remarks", "last heard"),
        rows,
    )


@account.command("show")
@click.argument("name")
@json_option
@click.pass_obj
def account_show(app: AppContext, name: str, as_json: bool) -> None:
    """Show the account NAME: its facts and every remark, oldest first."""
    from focusblock.cli.render import echo_json, echo_table, fmt_date, fmt_time
    from focusblock.store.accounts import show_account

    detail = show_account(app.store(), name)
    if as_json:
        echo_json(detail, app.zone)
        return
    a = detail.account
    facts = [
        ("stage", a.stage),
        ("need", a.need or "-"),
        ("consequence of doing nothing", a.consequence or "-"),
        ("decision date", fmt_date(a.decision_date)),
        ("next call", fmt_time(a.next_call, app.zone)),
        ("domains", ", ".join(a.domains) or "-"),
        ("aliases", ", ".join(a.aliases) or "-"),
    ]
    echo_table(a.name, ("fact", "value"), facts)
    if not detail.remarks:
        click.echo(f'No remarks yet. Add one: focusblock remark add "{a.name}" "what they said"')
        return
    rows = [
        (fmt_date(r.heard_on), r.who or "-", r.via, r.lens or "-", r.text) for r in detail.remarks
    ]
    echo_table(f"{len(rows)} remarks", ("heard", "who", "via", "lens", "what they said"), rows)
