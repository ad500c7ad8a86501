"""focusblock: protected time to think about one customer."""

__version__ = "0.1.0"
