"""The errors a user can act on.

Everything the library expects to go wrong is a ``BBError``; the CLI maps it to a message and
exit code 2. Anything else reaching the CLI is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one workspace file, with where it is and what to do."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    key_path: tuple[str | int, ...] = ()
    hint: str | None = None

    @property
    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    @property
    def breadcrumb(self) -> str:
        return " → ".join(str(part) for part in self.key_path)

    def __str__(self) -> str:
        text = f"{self.location}: "
        if self.key_path:
            text += f"{self.breadcrumb}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class BBError(Exception):
    """An expected failure: bad input, a missing file, a refused action."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class WorkspaceError(BBError):
    """One or more problems in the workspace's files, all reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the workspace")
        self.problems = problems
