"""Which schema revisions this code knows, without importing Alembic on every start.

Keep in step with migrations/versions (a test checks it): the last one is the head.
"""

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0015",
    "0016",
    "0017",
)
HEAD = KNOWN_REVISIONS[-1]
