"""`account rename | merge | delete | restore`: correcting the accounts themselves."""

from __future__ import annotations

import click

from focusblock.cli.context import AppContext


@click.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def account_rename(app: AppContext, old: str, new: str) -> None:
    """Rename the account OLD to NEW; OLD stays an alias, so it still finds the account.

    NEW must not be another account's name or alias (compared case- and
    accent-insensitively).
    """
    from focusblock.cli.render import say
    from focusblock.store.account_corrections import rename_account

    view = rename_account(app.store(), old, new)
    aliases = ", ".join(view.aliases) or "-"
    say(f"Renamed account to '{view.name}' (aliases: {aliases}).")


@click.command("merge")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@click.pass_obj
def account_merge(app: AppContext, source: str, target: str) -> None:
    """Merge the duplicate account FROM into INTO, in one transaction.

    FROM's remarks, answers, focus blocks, domains and aliases move to INTO, facts INTO
    lacks are taken from FROM, and FROM's name becomes an alias of INTO; FROM is then
    removed. Where both have a block in one week INTO keeps one; the other is dropped
    (you are told if it may still be in your calendar). A merge cannot be undone by a
    command: export first if unsure.
    """
    from focusblock.cli.render_corrections import print_merge
    from focusblock.store.account_corrections import merge_accounts

    print_merge(merge_accounts(app.store(), source, target, app.now()), app.zone)


@click.command("delete")
@click.argument("name")
@click.option(
    "--with-remarks", is_flag=True, help="Delete it even though it has remarks (hidden with it)."
)
@click.pass_obj
def account_delete(app: AppContext, name: str, with_remarks: bool) -> None:
    """Delete the account NAME: hidden from every command until `account restore NAME`.

    Refused while it has remarks, unless --with-remarks. Nothing is removed: `export`
    still carries the account and its remarks, marked deleted.
    """
    from focusblock.cli.render_corrections import print_account_deleted
    from focusblock.store.account_corrections import delete_account

    report = delete_account(app.store(), name, with_remarks, app.now())
    print_account_deleted(report, app.zone)


@click.command("restore")
@click.argument("name")
@click.pass_obj
def account_restore(app: AppContext, name: str) -> None:
    """Bring back the deleted account NAME with its remarks, exactly as it was."""
    from focusblock.cli.render import plural, say
    from focusblock.store.account_corrections import restore_account

    view = restore_account(app.store(), name)
    say(f"Restored account '{view.name}' with {plural(view.remark_count, 'remark')}.")
