"""The part of a post that is linted as prose, and positions within the file."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from bloomberry_cli.posts import Post

_FENCE_LINE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.M)
_RULE_LIST = re.compile(r"[\w.,\s-]+")


@dataclass(frozen=True, slots=True)
class Directive:
    rules: tuple[str, ...]
    reason: str
    line: int


@dataclass
class Prose:
    """The post body with fenced code and HTML comments blanked out, keeping every offset."""

    text: str
    body_line: int
    line_starts: list[int]
    directives: list[Directive] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of a body offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.body_line + index, offset - self.line_starts[index] + 1


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character in ``spans`` but line ends turned into spaces, in one
    pass: blanking span by span copies the whole post once per comment."""
    if not spans:
        return text
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _comments(body: str) -> list[tuple[int, int]]:
    """``<!-- … -->`` spans, found with str.find: linear even when a post holds thousands of
    unclosed openers (a lazy regex rescans to the end from each one)."""
    spans = []
    start = body.find("<!--")
    while start >= 0:
        end = body.find("-->", start + 4)
        if end < 0:
            break  # nothing after an unclosed opener can close
        spans.append((start, end + 3))
        start = body.find("<!--", end + 3)
    return spans


def _directive(comment: str) -> tuple[tuple[str, ...], str] | None:
    """``bb-disable RULE[, RULE…][: reason]`` → (rules, reason). Parsed by splitting, not by
    one regex: nested optional whitespace there backtracks for minutes on a crafted comment."""
    content = comment.strip()
    if not content.startswith("bb-disable") or content[10:11].strip():
        return None
    rules, colon, reason = content[10:].partition(":")
    if not rules.strip() or not _RULE_LIST.fullmatch(rules):
        return None
    return tuple(r for r in re.split(r"[\s,]+", rules) if r), reason.strip() if colon else ""


def prepare(post: Post) -> Prose:
    body = post.body
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
    directives = []
    comments = _comments(body)
    for start, end in comments:
        found = _directive(body[start + 4:end - 3])
        if found:
            line = bisect.bisect_right(line_starts, start) - 1 + post.body_line
            directives.append(Directive(*found, line))
    prose = _blank(body, comments)
    fences = list(_FENCE_LINE.finditer(prose))
    spans = [(opening.start(), closing.end())
             for opening, closing in zip(fences[::2], fences[1::2], strict=False)]
    if len(fences) % 2:  # an unclosed fence runs to the end, as in CommonMark
        spans.append((fences[-1].start(), len(prose)))
    return Prose(_blank(prose, spans), post.body_line, line_starts, directives)
