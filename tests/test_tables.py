"""The store's typed columns and the model's types agree with the tables they map."""

from __future__ import annotations

from dataclasses import fields

from focusblock.model import Account, FocusBlock, Remark, RemarkVersion
from focusblock.store.tables import ACCOUNT, FOCUS_BLOCK, REFLECTION, REMARK, REMARK_REVISION


def test_each_typed_column_is_named_as_its_column():
    for columns in (ACCOUNT, REMARK, REMARK_REVISION, REFLECTION, FOCUS_BLOCK):
        assert [column.name for column in columns] == list(columns._fields)


def test_model_fields_are_stored_columns():
    """What the model says of a stored thing is a column of its table (a remark's account
    is its account's name; `source` is the remark's imported_from; a block's call is
    kept in its call_* columns)."""
    cases = [
        (Account, ACCOUNT, {}),
        (Remark, REMARK, {"account": "account_id", "source": "imported_from"}),
        (RemarkVersion, REMARK_REVISION, {}),
        (FocusBlock, FOCUS_BLOCK, {"call": "call_start"}),
    ]
    for model, columns, stored_as in cases:
        names = [stored_as.get(f.name, f.name) for f in fields(model)]
        missing = [name for name in names if name not in columns._fields]
        assert not missing, f"{model.__name__}: {missing}"
