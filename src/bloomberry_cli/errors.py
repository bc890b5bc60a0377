"""The errors a user can act on.

Everything the library expects to go wrong is a ``BBError``; the CLI maps it to a message and
exit code 2. Anything else reaching the CLI is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    """An expected failure: bad input, a missing file, a refused action.

    ``problems`` says where, when the failure is about positions in files: the CLI's one
    handler prints the message, then each problem on its own line, then the hint.
    """

    exit_code = 2

    def __init__(
        self, message: str, *, hint: str | None = None, problems: Sequence[Problem] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.problems: list[Problem] = list(problems)


class ProblemsError(BBError):
    """One or more positioned problems in files, all reported together.

    The base of every error that carries problems (a workspace that does not load, a post
    that does not parse, YAML that is malformed, a file that is not text), so that one
    ``except`` and one handler serve them all; the subclasses name where they come from.
    """

    def __init__(
        self, problems: Sequence[Problem], message: str | None = None, *, hint: str | None = None
    ) -> None:
        count = len(problems)
        super().__init__(
            message or f"{count} problem{'s' if count != 1 else ''} in the workspace",
            hint=hint,
            problems=problems,
        )


class WorkspaceError(ProblemsError):
    """One or more problems in the workspace's files, all reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
