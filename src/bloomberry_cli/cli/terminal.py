"""Keyboard input for interactive commands, replaceable in tests."""

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def read_key() -> str:
    """One keystroke, without Enter. cbreak (not raw) mode keeps Ctrl-C working."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        return sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_line(prompt: str) -> str:
    return input(prompt)


def run_editor(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    subprocess.run([*shlex.split(editor), str(path)], check=False)


@dataclass
class TerminalIO:
    read_key = staticmethod(read_key)
    read_line = staticmethod(read_line)
    edit = staticmethod(run_editor)
