"""Post files: YAML front matter + Markdown body.

They live at ``posts/<brief>/<participant>--<program>.md``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bloomberry_cli.errors import Problem, ProblemsError
from bloomberry_cli.limits import MAX_POST_BYTES
from bloomberry_cli.models.briefing import Briefing
from bloomberry_cli.models.common import Identifier, Program
from bloomberry_cli.textfile import TextFileError, read_text
from bloomberry_cli.validation import validate_document
from bloomberry_cli.yamlfile import YamlProblems, parse_yaml

POSTS_DIR = "posts"


class PostMeta(BaseModel):
    """The front matter. Unknown keys are kept: people and other tools add their own."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    brief: Identifier
    participant: Identifier
    program: Program
    channel: str
    scheduled: dt.date | None = None
    engine: str | None = None
    model: str | None = None
    generated: dt.datetime | None = None
    generated_sha256: str | None = None
    claims: list[str] = Field(default_factory=list)
    #: The campaign topics the post was drafted for: with ``scheduled``, they decide whether a
    #: campaign owner must approve it, and are hashed with the post.
    topics: list[str] = Field(default_factory=list)
    #: The advocacy campaigns a thought-leadership post falls inside, as `bb draft` briefed its
    #: author: front matter, so never part of the published text.
    briefing: list[Briefing] = Field(default_factory=list)


@dataclass
class Post:
    path: str
    meta: PostMeta
    body: str
    #: 1-based line of the file on which the body starts.
    body_line: int
    #: The front matter as written, to point at a key's line.
    front: str = ""

    def key_line(self, key: str) -> int | None:
        """The file line on which front-matter ``key`` is set."""
        for index, line in enumerate(self.front.splitlines()):
            if line.startswith(f"{key}:"):
                return index + 2  # the file's first line is the opening '---'
        return None

    @property
    def edited(self) -> bool:
        """True when the body differs from what the drafting engine generated."""
        return self.meta.generated_sha256 is not None and (
            self.meta.generated_sha256 != body_sha256(self.body)
        )

    @cached_property
    def publication(self) -> Publication:
        """What the post publishes, computed once (see ``publication``)."""
        return publication(self)


class PostError(ProblemsError):
    """A post file that cannot be read or parsed, with where and why."""

    def __init__(self, problems: list[Problem], *, readable: bool = True) -> None:
        super().__init__(problems)
        #: False when the file could not be read as text at all (not UTF-8, too large, …).
        self.readable = readable


def post_path(brief: str, participant: str, program: str) -> str:
    return f"{POSTS_DIR}/{brief}/{participant}--{program}.md"


def body_sha256(body: str) -> str:
    """Hash of the body, insensitive to line endings and to the trailing whitespace an editor
    may add or strip: a draft saved with CRLF (Windows, core.autocrlf) is not an edit."""
    return hashlib.sha256(normalize_newlines(body).strip().encode("utf-8")).hexdigest()


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR to LF. Lines and columns stay those of the file."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line) or None when the file has no front matter."""
    match = _FENCE.match(text)
    if match is None:
        return None
    front = match.group(1)
    return front, text[match.end() :], front.count("\n") + 3


# Flat `key: plain-scalar` front matter (what bb writes) is parsed here rather than by the YAML
# parser: at ten thousand posts a full parse costs half of the lint budget. Types still come
# from PyYAML's own resolver and constructor; anything else falls back to the full parser.
_FLAT_LINE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+([A-Za-z0-9][\w.:+/@ -]*?)[ \t]*")
_FLAT_LIST = re.compile(r"([A-Za-z_][\w-]*):[ \t]+\[([\w.:+/@, -]*)\][ \t]*")
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@lru_cache(maxsize=4096)  # the same briefs, people, programs and channels on every post
def _scalar(value: str) -> Any:
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if tag == "tag:yaml.org,2002:str":
        return value
    return _constructor.construct_object(yaml.ScalarNode(tag, value))


def _parse_flat(front: str) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    for line in front.splitlines():
        if not line.strip():
            continue
        match = _FLAT_LINE.fullmatch(line)
        if match:
            key, value = match.groups()
            parsed: Any = _scalar(value)
        else:
            match = _FLAT_LIST.fullmatch(line)
            if not match:
                return None
            key = match.group(1)
            items = [item.strip() for item in match.group(2).split(",")]
            parsed = [_scalar(item) for item in items if item]
        if key in data or " #" in line or ": " in line[match.end(1) + 1 :]:
            return None
        data[key] = parsed
    return data


def parse_post(text: str, path: str) -> Post:
    """Parse a post file's text; raise ``PostError`` naming what is wrong and where.

    The body's line endings are normalised to LF, so a CRLF post reads like the LF one."""
    parts = split_front_matter(normalize_newlines(text))
    if parts is None:
        raise PostError(
            [
                Problem(
                    path,
                    "no front matter",
                    line=1,
                    column=1,
                    hint="a post starts with a '---' line, then brief, participant, "
                    "program and channel, then '---'",
                )
            ]
        )
    front, body, body_line = parts
    data = None
    try:
        data = _parse_flat(front)
    except (ValueError, yaml.YAMLError):
        data = None
    if data is not None:
        try:
            return Post(path, PostMeta.model_validate(data), body, body_line, front)
        except ValidationError:
            pass  # the full parser below reports it with positions
    try:
        doc = parse_yaml(front, path)
    except YamlProblems as exc:
        raise PostError([_shift(p, 1) for p in exc.problems]) from None
    meta, problems = validate_document(PostMeta, doc)
    if meta is None:
        raise PostError([_shift(p, 1) for p in problems])
    return Post(path, meta, body, body_line, front)


def _shift(problem: Problem, lines: int) -> Problem:
    """Front matter positions are relative to its first line; the file starts one earlier."""
    if problem.line is None:
        return problem
    return Problem(
        problem.path,
        problem.message,
        problem.line + lines,
        problem.column,
        problem.key_path,
        problem.hint,
    )


# bb's own control comments: read by bb, never published. Other comments are published as
# written (LinkedIn and X do not render Markdown or HTML) and are linted like any text.
_RULE_LIST = re.compile(r"[\w.,\s-]*")
_BLANK_LINE = re.compile(r"[ \t]*(?:\n|\Z)")
_NEWLINE = re.compile("\n")


@dataclass(frozen=True, slots=True)
class ControlComment:
    """``<!-- bb-disable RULE[, RULE]: reason -->`` in a post."""

    rules: tuple[str, ...]
    reason: str
    #: 1-based line of the file.
    line: int
    #: Offsets of the comment in the body.
    start: int
    end: int


@dataclass(frozen=True)
class Publication:
    """The text a post publishes: its body (LF line endings) without the front matter and
    without bb's control comments; nothing else is removed. Lint, length counting, review,
    export and publish all read this one definition."""

    #: Exactly what is published: what export hands to a scheduler.
    text: str
    #: The body with control comments blanked to spaces: the same characters as ``text`` at
    #: the body's own offsets, so a finding in it has the file's line and column.
    view: str
    body_line: int
    controls: tuple[ControlComment, ...]
    line_starts: tuple[int, ...]
    #: (offset in ``text``, offset in the body, length) of each piece of the body kept.
    pieces: tuple[tuple[int, int, int], ...]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of a body offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.body_line + index, offset - self.line_starts[index] + 1

    def body_offset(self, text_offset: int) -> int:
        """The body offset of an offset in ``text`` (its end maps to the end of the text)."""
        index = max(bisect.bisect_right(self.pieces, (text_offset, len(self.view) + 1)) - 1, 0)
        start, body_start, _ = self.pieces[index]
        return body_start + text_offset - start


def publication(post: Post) -> Publication:
    """What ``post`` publishes, with the way back to positions in its file."""
    body = post.body
    line_starts = (0, *(found.end() for found in _NEWLINE.finditer(body)))
    found_controls = _control_comments(body) if "<!--" in body else []
    if not found_controls:
        lead = len(body) - len(body.lstrip())
        text = body.strip()
        return Publication(text, body, post.body_line, (), line_starts, ((0, lead, len(text)),))
    controls = []
    removed: list[tuple[int, int]] = []
    for start, end, names, reason in found_controls:
        line = bisect.bisect_right(line_starts, start) - 1 + post.body_line
        controls.append(
            ControlComment(
                tuple(r for r in re.split(r"[\s,]+", names) if r), reason, line, start, end
            )
        )
        removed.append(_removed_span(body, start, end))
    view = _blank(body, [(c.start, c.end) for c in controls])
    kept: list[tuple[int, int]] = []  # body spans that are published
    position = 0
    for start, end in removed:
        if start > position:
            kept.append((position, start))
        position = max(position, end)
    kept.append((position, len(body)))
    joined = "".join(body[start:end] for start, end in kept)
    lead = len(joined) - len(joined.lstrip())
    pieces, offset = [], -lead
    for start, end in kept:
        pieces.append((offset, start, end - start))
        offset += end - start
    pieces = [(max(t, 0), b + max(-t, 0), n - max(-t, 0)) for t, b, n in pieces if t + n > 0]
    return Publication(
        joined.strip(),
        view,
        post.body_line,
        tuple(controls),
        line_starts,
        tuple(pieces) or ((0, len(body), 0),),
    )


def _control_comments(body: str) -> list[tuple[int, int, str, str]]:
    """(start, end, rules, reason) of every ``<!-- bb-disable RULES: reason -->``. Found with
    str.find and parsed by splitting: linear even for a crafted post (a lazy regex rescans to
    the end from every unclosed opener; nested optional spaces backtrack for minutes)."""
    found = []
    start = body.find("<!--")
    while start >= 0:
        end = body.find("-->", start + 4)
        if end < 0:
            break  # nothing after an unclosed opener can close
        content = body[start + 4 : end].strip()
        if content.startswith("bb-disable") and not content[10:11].strip():
            names, _colon, reason = content[10:].partition(":")
            if not _RULE_LIST.fullmatch(names):
                names, reason = "", content[10:]
            found.append((start, end + 3, names, reason.strip()))
        start = body.find("<!--", end + 3)
    return found


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character in ``spans`` but line ends turned into spaces, in one
    pass: blanking span by span copies the whole post once per comment."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _removed_span(body: str, start: int, end: int) -> tuple[int, int]:
    """What removing a control comment takes out: the comment; its whole line when it stands
    alone on it; and one blank line after it when one precedes it too (no gap left behind)."""
    line_start = body.rfind("\n", 0, start) + 1
    after = _BLANK_LINE.match(body, end)
    if body[line_start:start].strip() or after is None:
        return start, end
    end = after.end()
    before_blank = (
        line_start == 0 or not body[body.rfind("\n", 0, line_start - 1) + 1 : line_start].strip()
    )
    following = _BLANK_LINE.match(body, end)
    if before_blank and following is not None and end < len(body):
        end = following.end()
    return line_start, end


def published_text(post: Post) -> str:
    """Exactly the text ``post`` publishes (see ``Publication``)."""
    return post.publication.text


def load_post(root: Path, rel: str) -> Post:
    if not rel.isprintable():  # no post is named so (ids are words); printed, such a name
        # can start a line of its own: a forged `::error` annotation in a CI log
        raise PostError(
            [
                Problem(
                    rel,
                    "its name holds a control character (a line break?); no post is named so",
                    hint="rename the file: posts/<brief>/<participant>--<program>.md",
                )
            ],
            readable=False,
        )
    try:
        text = read_text(os.path.join(root, rel), rel, max_bytes=MAX_POST_BYTES, within=root)
    except TextFileError as exc:
        raise PostError([exc.problem], readable=False) from None
    return parse_post(text, rel)


def render_post(meta: dict[str, Any], body: str) -> str:
    """Front matter + body, in the flat form the fast parser reads back; a nested value (the
    briefing) as block YAML, which the full parser reads."""
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        ):
            lines.append(
                yaml.safe_dump(
                    {key: value},
                    sort_keys=False,
                    allow_unicode=True,
                    default_flow_style=False,
                    width=4096,
                ).rstrip("\n")
            )
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(str(v) for v in value)}]")
        elif isinstance(value, dt.datetime):
            lines.append(f"{key}: {value.strftime('%Y-%m-%dT%H:%M:%SZ')}")
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body.strip() + "\n"


def _markdown_files(directory: str) -> list[str]:
    """The ``*.md`` files under ``directory``, as ``rglob`` finds them (symlinked folders are
    not entered), without a ``stat`` per file: ten thousand posts are listed in milliseconds."""
    found = []
    pending = [directory]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.name.endswith(".md") and entry.is_file():
                found.append(entry.path)
    return found


def find_posts(root: Path, paths: list[Path] | None = None) -> list[str]:
    """Workspace-relative paths of the posts under ``paths``; ``None`` means all of posts/,
    an empty list means none."""
    if paths is None:
        if not (root / POSTS_DIR).is_dir():
            return []  # a new workspace: nothing drafted yet
        paths = [root / POSTS_DIR]
    found: set[str] = set()
    prefix = os.path.abspath(root).rstrip(os.sep) + os.sep  # a relative root too
    for target in paths:
        # normalised, so `posts/x/../x/a.md` and `./posts/…` name the same post
        absolute = Path(os.path.abspath(target if target.is_absolute() else Path.cwd() / target))
        files = _markdown_files(str(absolute)) if absolute.is_dir() else [str(absolute)]
        for file in files:
            relative = file[len(prefix) :] if file.startswith(prefix) else file
            found.add(relative.replace(os.sep, "/"))
    return sorted(found)


def load_posts(root: Path, paths: list[Path] | None = None) -> tuple[list[Post], list[Problem]]:
    """The readable posts under ``paths`` (as ``find_posts``) and the problems of the others."""
    posts: list[Post] = []
    problems: list[Problem] = []
    for rel in find_posts(root, paths):
        try:
            posts.append(load_post(root, rel))
        except PostError as exc:
            problems.extend(exc.problems)
    return posts, problems
