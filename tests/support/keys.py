"""A reviewer at the terminal, scripted: `bb review`'s keys and answers fed in order."""

from __future__ import annotations

from bloomberry_cli.cli.terminal import run_editor


class ScriptedIO:
    """Keys and answers fed in order ('q' and '' once they run out); the editor is the real
    one ($EDITOR)."""

    def __init__(self, keys: str, lines: list[str] | None = None) -> None:
        self.keys = list(keys)
        self.lines = list(lines or [])

    def read_key(self) -> str:
        return self.keys.pop(0) if self.keys else "q"

    def read_line(self, prompt: str) -> str:
        return self.lines.pop(0) if self.lines else ""

    edit = staticmethod(run_editor)
