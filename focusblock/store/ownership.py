"""Who owns the accounts when the seller's identity changes."""

from __future__ import annotations

from sqlalchemy import select, update

from focusblock.store.store import Store
from focusblock.store.tables import ACCOUNT, ACCOUNT_TABLE


def adopt_accounts(store: Store, former: str) -> int:
    """Give this owner the accounts of `former`, when `former` is the store's only owner.

    Accounts made before an email was configured belong to the login name; once the
    email is set they would vanish from every list. A store with one owner follows the
    identity instead: once, since afterwards the owner is this one.
    """
    if store.all_owners or former == store.owner:
        return 0
    with store.transaction(write=False) as tx:
        owners = set(tx.conn.scalars(select(ACCOUNT.owner).distinct()))
    if owners != {former}:
        return 0
    with store.transaction() as tx:
        moved = tx.conn.execute(
            update(ACCOUNT_TABLE).where(ACCOUNT.owner == former).values(owner=tx.owner)
        )
        return int(getattr(moved, "rowcount", 0) or 0)
