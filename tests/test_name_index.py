"""NameIndex finds exactly what comparing a typed name with every account finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from focusblock.names import NameIndex, leading_words, match_key, one_typo_apart

WORDS = st.sampled_from(["acme", "acne", "acmee", "kestrel", "kestrl", "robotics", "inc", "2", "&"])
NAMES = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)


def every_account(accounts, typed):
    """The plain way, account by account: what match_account did before the index."""
    wanted = match_key(typed)
    same, near = {}, {}
    for account_id, name, aliases in accounts:
        for key in {match_key(n) for n in (name, *aliases)}:
            if key == wanted:
                same[account_id] = name
            elif (
                one_typo_apart(key, wanted)
                or leading_words(wanted, key)
                or leading_words(key, wanted)
            ):
                near[account_id] = name
    return same, near


@settings(max_examples=300, derandomize=True, database=None)
@given(st.lists(st.tuples(NAMES, st.lists(NAMES, max_size=2)), max_size=12), NAMES)
def test_the_index_agrees_with_comparing_every_account(named, typed):
    accounts = [(i, name, tuple(aliases)) for i, (name, aliases) in enumerate(named)]
    index = NameIndex()
    for account_id, name, aliases in accounts:
        index.add(account_id, name, aliases)
    assert index.lookup(typed) == every_account(accounts, typed)
