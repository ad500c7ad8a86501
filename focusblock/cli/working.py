"""A line on stderr that says a slow command is still working, and on what.

Nothing shows for a command done within DELAY_SECONDS, nor when stderr is not a terminal
(a script, a pipe, a log): there it would only be noise. Rich is imported only once the
line is shown.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import Any

DELAY_SECONDS = 2.0


class Working:
    """`with Working("reading the calendars") as working:` ... `working.step("writing")`."""

    def __init__(self, label: str, delay: float = DELAY_SECONDS) -> None:
        self.label = label
        self.delay = delay
        self.lock = threading.Lock()
        self.status: Any = None
        self.timer: threading.Timer | None = None
        self.done = False

    def __enter__(self) -> Working:
        if sys.stderr.isatty():
            self.timer = threading.Timer(self.delay, self._show)
            self.timer.daemon = True  # never keeps a finished command alive
            self.timer.start()
        return self

    def step(self, label: str) -> None:
        """What the command is doing now."""
        with self.lock:
            self.label = label
            if self.status is not None:
                self.status.update(_text(label))

    def _show(self) -> None:
        from rich.console import Console

        with self.lock:
            if self.done:
                return
            console = Console(stderr=True, highlight=False)
            self.status = console.status(_text(self.label), spinner="dots")
            self.status.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            self.done = True
            if self.status is not None:
                self.status.stop()  # transient: the line goes, the command's output stays
                self.status = None


def _text(label: str) -> Any:
    from rich.text import Text

    from focusblock.cli.render import shown

    return Text(shown(label) + " …")  # a Text is never read as markup: labels hold file names
