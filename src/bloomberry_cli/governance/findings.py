"""What a check reports. The rules themselves are in rules.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive, in Unicode code points
    rule: str
    severity: Severity
    message: str
    match: str | None = None
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies recursively: ten times slower on large reports.
        return {name: getattr(self, name) for name in self.__slots__}

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        # Lint workers send thousands back: the constructor's arguments unpickle in half the
        # time of the default (a state dict set attribute by attribute).
        return Finding, tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding switched off by ``<!-- bb-disable RULE: reason -->`` in the post."""

    finding: Finding
    reason: str


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most about ``limit`` characters, cut between words."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit + 1].rsplit(" ", 1)[0] if " " in flat[: limit + 1] else flat[:limit]
    return cut.rstrip(" ,;:") + "…"


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity: the summary lint, draft and status all print."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
