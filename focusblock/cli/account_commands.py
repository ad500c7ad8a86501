"""`account add | edit | list | show | person | rename | merge | delete | restore`."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import click

from focusblock.cli.account_results import (
    AccountChanged,
    AccountDeleted,
    AccountList,
    AccountShown,
    AccountsMerged,
    PersonSet,
)
from focusblock.cli.context import AppContext, pass_app
from focusblock.cli.options import account_fact_options, page_options, since_date
from focusblock.cli.output import json_output
from focusblock.dates import parse_date, read_call_time
from focusblock.remark_input import refuse_nul
from focusblock.store.account_corrections import (
    delete_account,
    merge_accounts,
    rename_account,
    restore_account,
)
from focusblock.store.account_people import remove_person, set_person
from focusblock.store.accounts import (
    AccountFields,
    account_with_call,
    add_account,
    edit_account,
    list_accounts,
    show_account,
)
from focusblock.store.remarks import list_remarks, stream_remarks
from focusblock.store.views import AccountView

SHOW_LIMIT = 20  # account show: the facts and the latest 20 remarks


@click.group()
def account() -> None:
    """Customers you sell to: their stage, need, domains and next call.

    Every command finds an account by a name that differs from its own by case,
    accents, punctuation or a legal suffix ('northgate freight' for 'Northgate Freight
    Ltd'), or by an alias; a name one typo away says "did you mean".
    """


def _fields(
    app: AppContext,
    stage: str | None,
    domains: tuple[str, ...],
    aliases: tuple[str, ...],
    need: str | None,
    consequence: str | None,
    decision_date: str | None,
    next_call: str | None,
    past: bool,
) -> AccountFields:
    """The facts as typed on the command line, checked and parsed."""
    for field, value in (("--need", need), ("--consequence", consequence)):
        refuse_nul(value, field)
    for field, values in (("--domain", domains), ("--alias", aliases)):
        for value in values:
            refuse_nul(value, field)
    decided = parse_date(decision_date, "--decision-date", app.today()) if decision_date else None
    if past and next_call is None:
        raise click.UsageError("--past goes with --next-call: it lets a past call be stored.")
    call = None
    if next_call:
        call = read_call_time(next_call, "--next-call", app.now(), app.zone, past)
    return AccountFields(
        stage=stage.lower() if stage else None,
        domains=list(domains),
        aliases=list(aliases),
        need=need,
        consequence=consequence,
        decision_date=decided,
        next_call=call,
    )


def _with_call(app: AppContext, view: AccountView) -> AccountView:
    """The account as `account list` shows it, its next call and where it came from too."""
    return account_with_call(app.store(), view, app.now())


@account.command("add")
@click.argument("name")
@account_fact_options(editing=False)
@json_output
@pass_app
def account_add(app: AppContext, name: str, **facts: Any) -> AccountChanged:
    """Add the account NAME (names match case- and accent-insensitively)."""
    return AccountChanged(
        _with_call(app, add_account(app.store(), name, _fields(app, **facts))), "added"
    )


@account.command("edit")
@click.argument("name")
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
@account_fact_options(editing=True)
@json_output
@pass_app
def account_edit(
    app: AppContext, name: str, not_call: tuple[str, ...], code: str | None, **facts: Any
) -> AccountChanged:
    """Change facts of the account NAME; options not given stay as they are.

    Domains and aliases are added to those already known. An empty text (--need "")
    clears that fact. To rename it: `account rename OLD NEW`.
    """
    fields = replace(_fields(app, **facts), not_call=list(not_call), code=code)
    return AccountChanged(_with_call(app, edit_account(app.store(), name, fields)), "updated")


@account.command("list")
@json_output
@pass_app
def account_list(app: AppContext) -> AccountList:
    """List your accounts with their stage, need, next call and latest remark.

    The next call is the one the last plan found in your calendars, marked (calendar),
    or else the one typed with `account edit --next-call`, shown unmarked.
    """
    return AccountList(list_accounts(app.store(reading=True), app.now()))


@account.command("show")
@click.argument("name")
@page_options(SHOW_LIMIT)
@json_output
@pass_app
def account_show(
    app: AppContext, name: str, limit: int, show_all: bool, since: str | None, as_json: bool
) -> AccountShown:
    """Show the account NAME: its facts and its latest remarks (oldest of them first).

    \b
    Without --all, the latest 20 (--limit N); a line says how many were left out
    (on stderr with --json).
    """
    store = app.store(reading=True)
    after = since_date(app, since)
    if after is None and not show_all:  # the common case: one short transaction
        detail = show_account(store, name, app.now(), limit=limit)
        return AccountShown(detail, detail.account.remark_count, limit)
    detail = show_account(store, name, app.now(), limit=0)
    if show_all and not as_json:  # printed as read: a JSON document is written whole
        stream = partial(stream_remarks, store, name, since=after)
        return AccountShown(detail, detail.account.remark_count, limit, stream=stream)
    page = list_remarks(store, name, limit=None if show_all else limit, since=after)
    return AccountShown(replace(detail, remarks=page.remarks), page.total, limit)


@account.command("person")
@click.argument("account_name", metavar="ACCOUNT")
@click.argument("name")
@click.option(
    "--role",
    metavar="TEXT",
    help='Their job title, e.g. "Head of Logistics". An empty text ("") clears it.',
)
@click.option(
    "--email",
    metavar="ADDRESS",
    help='Their mail address, e.g. jonas.meyer@acme.example. An empty text ("") clears it.',
)
@click.option(
    "--remove",
    is_flag=True,
    help="Take NAME off the account's people (added by mistake); their remarks stay.",
)
@json_output
@pass_app
def account_person(
    app: AppContext,
    account_name: str,
    name: str,
    role: str | None,
    email: str | None,
    remove: bool,
) -> PersonSet:
    """Add NAME to the people of ACCOUNT, or change their role or address.

    \b
    NAME is matched case- and accent-insensitively ("Meyer, Jonas" is Jonas Meyer); the
    spelling typed here is kept. Options not given stay as they are. What you set here
    an import never overwrites: importing an email only fills what is still blank (and
    leaves a field you cleared empty). `account show ACCOUNT` lists the people.
    """
    for option, value in (("NAME", name), ("--role", role), ("--email", email)):
        refuse_nul(value, option)
    if remove:
        if role is not None or email is not None:
            raise click.UsageError(
                "--remove takes the person off; it goes without --role or --email"
            )
        return PersonSet(remove_person(app.store(), account_name, name), removed=True)
    return PersonSet(set_person(app.store(), account_name, name, email=email, role=role))


@account.command("rename")
@click.argument("old")
@click.argument("new")
@json_output
@pass_app
def account_rename(app: AppContext, old: str, new: str) -> AccountChanged:
    """Rename the account OLD to NEW; OLD stays an alias, so it still finds the account.

    NEW must not be another account's name or alias (compared case- and
    accent-insensitively).
    """
    return AccountChanged(_with_call(app, rename_account(app.store(), old, new)), "renamed")


@account.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@json_output
@pass_app
def account_merge(app: AppContext, source: str, target: str) -> AccountsMerged:
    """Merge the duplicate account FROM into INTO, in one transaction.

    FROM's remarks, answers, focus blocks, domains and aliases move to INTO, facts INTO
    lacks are taken from FROM, and FROM's name becomes an alias of INTO; FROM is then
    removed. Where both have a block in one week INTO keeps one; the other is dropped
    (you are told if it may still be in your calendar). A merge cannot be undone by a
    command: export first if unsure.
    """
    report = merge_accounts(app.store(), source, target, app.now())
    if report.target is not None:
        report = replace(report, target=_with_call(app, report.target))
    return AccountsMerged(report)


@account.command("delete")
@click.argument("name")
@click.option(
    "--with-remarks", is_flag=True, help="Delete it even though it has remarks (hidden with it)."
)
@json_output
@pass_app
def account_delete(app: AppContext, name: str, with_remarks: bool) -> AccountDeleted:
    """Delete the account NAME: hidden from every command until `account restore NAME`.

    Refused while it has remarks, unless --with-remarks. Nothing is removed: `export`
    still carries the account and its remarks, marked deleted.
    """
    return AccountDeleted(delete_account(app.store(), name, with_remarks, app.now()))


@account.command("restore")
@click.argument("name")
@json_output
@pass_app
def account_restore(app: AppContext, name: str) -> AccountChanged:
    """Bring back the deleted account NAME with its remarks, exactly as it was."""
    return AccountChanged(_with_call(app, restore_account(app.store(), name)), "restored")
