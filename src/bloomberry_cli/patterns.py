"""Claim patterns from ``claims.yaml``, compiled with RE2.

A workspace's patterns are written by anyone who can open a pull request, and `bb lint` runs
them over every post in CI. Python's ``re`` backtracks: ``(a+)+$`` against forty ``a``s and a
``!`` runs for hours. RE2 matches in time linear in the text, whatever the pattern, so no
pattern can hang a run; it refuses what it cannot do that way (backreferences, lookaround).
A timeout that skipped a slow pattern would instead be a way to slip a blocked claim through.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import re2

from bloomberry_cli.errors import BBError
from bloomberry_cli.limits import MAX_PATTERN_CHARS

#: What the README and error hints say about the accepted syntax.
SYNTAX_HINT = (
    "patterns use RE2 syntax (https://github.com/google/re2/wiki/Syntax): "
    "no backreferences (\\1) and no lookaround ((?=…), (?!…), (?<=…)); "
    "write \\z, not \\Z, for the end of the text"
)

# Memory RE2 may use for one compiled pattern; a pattern that needs more is refused at
# validation, so matching memory is bounded too.
_MAX_MEM = 8 << 20
_MAX_MEM_COMBINED = 64 << 20


class PatternError(BBError, ValueError):
    """A pattern RE2 refuses; the message says why, in the user's terms. A ``ValueError`` too,
    so that pydantic validators and callers checking values keep treating it as one."""


def _options(max_mem: int) -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would otherwise write to stderr itself
    options.max_mem = max_mem
    return options


def compile_pattern(pattern: str) -> Any:
    """The compiled, case-insensitive pattern; ``PatternError`` if RE2 refuses it or it
    matches empty text (it would then match every post)."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(
            f"pattern is {len(pattern):,} characters; bb accepts patterns of "
            f"up to {MAX_PATTERN_CHARS:,}"
        )
    try:
        compiled = re2.compile(pattern, _options(_MAX_MEM))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "refused"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(f"pattern {pattern!r} is not accepted: {reason}") from None
    if compiled.search("") is not None:
        raise PatternError(f"pattern {pattern!r} matches empty text; it would match every post")
    return compiled


def compile_any(patterns: Iterable[str]) -> Any | None:
    """One alternation of all ``patterns``, to rule most posts out in one pass; None when
    there are none or the alternation is too large for RE2 (then each pattern runs alone)."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    if not joined:
        return None
    try:
        return re2.compile(joined, _options(_MAX_MEM_COMBINED))
    except re2.error:
        return None
