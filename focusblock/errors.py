"""Domain errors. The CLI turns each into a one-line message and an exit code."""


class FocusblockError(Exception):
    """A problem the user can fix: bad input, unknown account, bad setting."""

    exit_code = 1

    def __init__(
        self, message: str, hint: str | None = None, details: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.hint = hint
        # one line per problem, e.g. every bad row of an import
        self.details = details or []


class UnknownAccount(FocusblockError):
    exit_code = 3


class BadInput(FocusblockError):
    """A file, row or value we cannot accept; the message names it."""

    exit_code = 4


class ConfigError(FocusblockError):
    exit_code = 5


class StoreError(FocusblockError):
    """The database cannot be opened, is too new, or is otherwise unusable."""

    exit_code = 6


class SystemRefused(FocusblockError):
    """The system refused: a full disk, a read-only folder (README's exit code 8)."""

    exit_code = 8


class Conflict(FocusblockError):
    """Another focusblock command changed the same thing at the same time."""

    exit_code = 9


class UnknownRemark(FocusblockError):
    """No remark of yours has that number (or it belongs to a deleted account)."""

    exit_code = 3
