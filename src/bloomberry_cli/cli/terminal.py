"""Keyboard input for interactive commands, replaceable in tests."""

import os
import select
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.errors import BBError
from bloomberry_cli.external import run_interactive

#: Escape sequences of the keys that scroll, by what follows ESC.
_SEQUENCES = {"[A": "up", "[B": "down", "OA": "up", "OB": "down", "[5~": "pgup", "[6~": "pgdn"}


def read_key() -> str:
    """One keystroke, without Enter; arrows and page keys by name ("up", "pgdn").
    cbreak (not raw) mode keeps Ctrl-C working."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # the default flush would drop typed-ahead keys
        key = os.read(fd, 1).decode("utf-8", "replace")
        if key != "\x1b":
            return key
        tail = ""
        while len(tail) < 3 and select.select([fd], [], [], 0.05)[0]:
            tail += os.read(fd, 1).decode("utf-8", "replace")
            if tail in _SEQUENCES:
                return _SEQUENCES[tail]
        return "escape"
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_line(prompt: str) -> str:
    return input(prompt)


def run_editor(path: Path) -> None:
    """Open ``path`` in $VISUAL or $EDITOR; a missing or failing editor is a BBError."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    hint = "set EDITOR to an editor that waits until you close the file, e.g. EDITOR='nano'"
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise BBError(f"cannot read EDITOR={editor!r}: {exc}", hint=hint) from exc
    try:
        status = run_interactive([*command, str(path)])
    except OSError as exc:
        raise BBError(
            f"could not start the editor {editor!r}: {exc.strerror or exc}", hint=hint
        ) from exc
    if status:
        raise BBError(f"the editor {editor!r} exited with status {status}", hint=hint)


@dataclass
class TerminalIO:
    read_key = staticmethod(read_key)
    read_line = staticmethod(read_line)
    edit = staticmethod(run_editor)
