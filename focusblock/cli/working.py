"""Lines on stderr that say a slow command is still working, and on what.

Nothing shows for a command done within DELAY_SECONDS, nor when stderr is not a terminal
(a script, a pipe, a log): there it would only be noise. Each step is a line of its own,
written once: nothing is redrawn, so a password prompt on the same terminal is never
written over, the cursor is never hidden (a command killed midway leaves the terminal as
it was), and stdout is never touched.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from focusblock.cli.output import shown

DELAY_SECONDS = 2.0


class Working:
    """`with Working("reading the calendars") as working:` ... `working.step("writing")`."""

    def __init__(self, label: str, delay: float = DELAY_SECONDS) -> None:
        self.label = label
        self.delay = delay
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.shown = False  # once the first line is out, each step is said as it comes
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
            if self.shown and not self.done:
                _say(label)

    def _show(self) -> None:
        with self.lock:
            if not self.done:
                self.shown = True
                _say(self.label)

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


def _say(label: str) -> None:
    sys.stderr.write(shown(label) + " …\n")  # labels hold file and account names
    sys.stderr.flush()
