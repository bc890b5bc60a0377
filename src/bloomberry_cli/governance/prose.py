"""The part of a post that is linted as prose, and positions within the file."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from bloomberry_cli.posts import Post

_FENCE_LINE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.M)
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_DISABLE = re.compile(r"^\s*bb-disable\s+([\w.,\s-]+?)\s*(?::\s*(.*?))?\s*$", re.S)


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


def _blank(text: str, start: int, end: int) -> str:
    segment = text[start:end]
    return text[:start] + re.sub(r"[^\n]", " ", segment) + text[end:]


def prepare(post: Post) -> Prose:
    body = post.body
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
    prose = body
    directives = []
    for comment in _COMMENT.finditer(body):
        found = _DISABLE.match(comment.group(1))
        if found:
            rules = tuple(r for r in re.split(r"[\s,]+", found.group(1)) if r)
            line = bisect.bisect_right(line_starts, comment.start()) - 1 + post.body_line
            directives.append(Directive(rules, (found.group(2) or "").strip(), line))
        prose = _blank(prose, comment.start(), comment.end())
    fences = list(_FENCE_LINE.finditer(prose))
    for opening, closing in zip(fences[::2], fences[1::2], strict=False):
        prose = _blank(prose, opening.start(), closing.end())
    if len(fences) % 2:  # an unclosed fence runs to the end, as in CommonMark
        prose = _blank(prose, fences[-1].start(), len(prose))
    return Prose(prose, post.body_line, line_starts, directives)
