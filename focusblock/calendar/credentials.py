"""The CalDAV username and password: from the settings and the environment, never stored.

The password comes from FOCUSBLOCK_CALDAV_PASSWORD or from the output of
`calendars.password_command` (a password manager, e.g. `pass show caldav`), run without
a shell. It is read only when a CalDAV calendar is actually used, never written to a
file, and `Credentials.scrub` takes it out of every message we print.
"""

from __future__ import annotations

import os
import selectors
import shlex
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from focusblock.errors import ConfigError

ENV_PASSWORD = "FOCUSBLOCK_CALDAV_PASSWORD"
COMMAND_TIMEOUT_SECONDS = 30
MAX_HELPER_OUTPUT = 64 * 1024  # a password is a line; more is not a password helper
MASK = "***"


@dataclass
class Credentials:
    """A username and a password fetched on first use (so a plan from files runs no command)."""

    username: str | None = None
    password_command: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    _password: str | None = field(default=None, repr=False)
    _fetched: bool = field(default=False, repr=False)

    def password(self) -> str | None:
        """The password, fetched on first use only (a password manager may ask for a PIN)."""
        if not self._fetched:
            self._password = _password_from(self.environ, self.password_command)
            self._fetched = True
        return self._password

    def scrub(self, text: str) -> str:
        """`text` with the password (if one was fetched) replaced by ***."""
        if self._password:
            text = text.replace(self._password, MASK)
        return text


def credentials_from(
    username: str | None, password_command: str | None, environ: Mapping[str, str] | None = None
) -> Credentials:
    """Credentials from the settings' values and the environment (os.environ by default)."""
    return Credentials(
        username=username,
        password_command=password_command,
        environ=dict(os.environ if environ is None else environ),
    )


def _password_from(environ: Mapping[str, str], command: str | None) -> str | None:
    if environ.get(ENV_PASSWORD):
        return environ[ENV_PASSWORD]
    if not command:
        return None
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ConfigError(
            f"'calendars.password_command': cannot be split into words ({exc})"
        ) from None
    if not argv:
        return None
    try:
        returncode, output = _run_helper(argv)
    except FileNotFoundError:
        raise ConfigError(f"'calendars.password_command': command not found: {argv[0]}") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"'calendars.password_command': {argv[0]} gave no password within "
            f"{COMMAND_TIMEOUT_SECONDS} s"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"'calendars.password_command': cannot run {argv[0]} ({exc.strerror})"
        ) from None
    if returncode != 0:
        # its stderr is not shown: a password manager may echo what it was asked for
        raise ConfigError(
            f"'calendars.password_command': {argv[0]} failed (exit status {returncode})"
        )
    # like git's credential helpers: the first line is the password
    lines = output.decode("utf-8", errors="replace").splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise ConfigError(f"'calendars.password_command': {argv[0]} printed no password")
    return password


def _run_helper(argv: list[str]) -> tuple[int, bytes]:
    """The helper's exit status and what it printed by the time it exited.

    Read until the helper itself exits, not until its output closes: a helper that starts
    an agent (gpg-agent, a keyring daemon) leaves it holding the output open for minutes.
    What the helper wrote before exiting is still in the pipe and is read then.
    """
    deadline = time.monotonic() + COMMAND_TIMEOUT_SECONDS
    # its stderr is not kept: a password manager may echo what it was asked for
    helper = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert helper.stdout is not None
    fd = helper.stdout.fileno()
    os.set_blocking(fd, False)
    output = bytearray()
    try:
        with selectors.DefaultSelector() as waiting:
            waiting.register(fd, selectors.EVENT_READ)
            while len(output) <= MAX_HELPER_OUTPUT:
                exited = helper.poll() is not None
                if not _read_ready(fd, output) or exited:
                    break  # the output closed (the usual end), or the helper is gone
                left = deadline - time.monotonic()
                if left <= 0:
                    raise subprocess.TimeoutExpired(argv, COMMAND_TIMEOUT_SECONDS)
                waiting.select(min(left, 0.05))  # also wakes to look whether it exited
        if len(output) > MAX_HELPER_OUTPUT:
            # not a password: stop it now (unread, it would block on its full pipe)
            raise ConfigError(
                f"'calendars.password_command': {argv[0]} printed more than a password "
                f"(over {MAX_HELPER_OUTPUT // 1024} KB); expected one line"
            )
        returncode = helper.wait(max(deadline - time.monotonic(), 0.01))
    except BaseException:
        helper.kill()
        helper.wait()
        raise
    finally:
        helper.stdout.close()
    return returncode, bytes(output)


def _read_ready(fd: int, output: bytearray) -> bool:
    """Append what the pipe holds now to `output`; False once the pipe is closed."""
    while len(output) <= MAX_HELPER_OUTPUT:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        output += chunk
    return True
