"""`bb metrics import`: per-post metrics from a CSV into metrics/, idempotently."""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bloomberry_cli.errors import BBError, Problem, ProblemsError, WorkspaceError
from bloomberry_cli.textfile import atomic_write, read_text
from bloomberry_cli.wording import plural
from bloomberry_cli.workspace import Workspace

NUMBERS = ("impressions", "reactions", "comments", "reposts", "clicks", "inbound", "pipeline")
COLUMNS = ("post", "date", *NUMBERS)
ALIASES = {
    "url": "post",
    "path": "post",
    "post url": "post",
    "post path": "post",
    "inbound conversations": "inbound",
    "pipeline influenced": "pipeline",
    "likes": "reactions",
    "shares": "reposts",
    "views": "impressions",
}
#: Most platform exports lack these; a missing one counts as 0.
OPTIONAL = ("inbound", "pipeline")
#: Whole, non-negative numbers; pipeline is money and may have cents.
COUNTS = tuple(n for n in NUMBERS if n != "pipeline")
STORE = "metrics/metrics.csv"
UNMATCHED = "metrics/unmatched.csv"


@dataclass(frozen=True)
class MetricRow:
    post: str
    date: dt.date
    values: tuple[float, ...]  # in NUMBERS order

    def get(self, name: str) -> float:
        return self.values[NUMBERS.index(name)]


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _number(text: str) -> float:
    cleaned = text.strip().replace(",", "").replace("$", "").replace("€", "")
    return float(cleaned) if cleaned else 0.0


def _header(names: list[str], display: str) -> list[str]:
    mapped = [ALIASES.get(n.strip().lower(), n.strip().lower()) for n in names]
    for column in COLUMNS:
        given = [n.strip() for n, m in zip(names, mapped, strict=True) if m == column]
        if len(given) > 1:  # the last would silently win: `likes` and `reactions` both
            raise BBError(
                f"{display}: columns {' and '.join(repr(g) for g in given)} both give {column}",
                hint="keep the one you mean and delete or rename the other",
            )
    missing = [c for c in COLUMNS if c not in mapped and c not in OPTIONAL]
    if missing:
        separator = next((s for s in (";", "\t") if len(names) == 1 and s in names[0]), None)
        raise BBError(
            f"{display}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {', '.join(n for n in names if n)})",
            hint=f"the values are separated by {separator!r}, not commas: export or save it "
            "as comma-separated CSV"
            if separator
            else f"the first row must name the columns (any order and case): "
            f"{', '.join(COLUMNS)}; {' and '.join(OPTIONAL)} may be left out",
        )
    return mapped


def _post_key(raw: str) -> str:
    """A post path as a person or a spreadsheet wrote it (`./posts/…`, `posts\\…`) as bb
    names it; a URL as it is."""
    if "://" in raw:
        return raw
    normal = posixpath.normpath(raw.replace("\\", "/"))
    return normal if normal != "." else raw


def _post_index(workspace: Workspace) -> dict[str, str]:
    """Post paths, and the URLs their publish decisions recorded, → post path."""
    from bloomberry_cli.posts import find_posts
    from bloomberry_cli.program.cadence import publications

    index = {rel: rel for rel in find_posts(workspace.root)}
    for publication in publications(workspace):
        if publication.url:
            index[publication.url] = publication.path
            index[publication.url.rstrip("/")] = publication.path
    return index


def read_store(root: Path, rel: str = STORE) -> dict[tuple[str, dt.date], MetricRow]:
    """The stored metrics. bb writes this file, but it is in the workspace like any other
    file, so a damaged one is a problem naming its line, never a crash."""
    path = root / rel
    if not path.exists():
        return {}
    try:
        reader = csv.reader(io.StringIO(read_text(path, rel, within=root)))
        header = next(reader, None)
        rows: dict[tuple[str, dt.date], MetricRow] = {}
        if header is None:
            return rows
        columns = _header(header, rel)
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            record = dict(zip(columns, cells, strict=False))
            try:
                row = MetricRow(
                    record.get("post", ""),
                    dt.date.fromisoformat(record.get("date", "")),
                    tuple(_number(record.get(n, "")) for n in NUMBERS),
                )
            except ValueError as exc:
                raise WorkspaceError(
                    [
                        Problem(
                            rel,
                            f"unreadable row: {exc}",
                            line=line,
                            hint="fix or delete the row, or restore the file from git",
                        )
                    ]
                ) from None
            rows[(row.post, row.date)] = row
    except csv.Error as exc:
        raise WorkspaceError(
            [Problem(rel, f"not a readable CSV file: {exc}", line=reader.line_num)]
        ) from None
    return rows


def _write_store(root: Path, rel: str, rows: dict[tuple[str, dt.date], MetricRow]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for key in sorted(rows):
        row = rows[key]
        writer.writerow([row.post, row.date.isoformat(), *(f"{v:g}" for v in row.values)])
    atomic_write(root / rel, buffer.getvalue())


def import_metrics(workspace: Workspace, file: Path) -> ImportResult:
    display = str(file)
    text = read_text(file, display, max_bytes=50 * 1024 * 1024)
    try:
        return _import_rows(workspace, display, csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise BBError(f"{display}: not a readable CSV file: {exc}") from None


def _import_rows(workspace: Workspace, display: str, reader: Any) -> ImportResult:
    try:
        names = next(reader)
    except StopIteration:
        raise BBError(f"{display} is empty", hint=f"columns: {', '.join(COLUMNS)}") from None
    columns = _header(names, display)
    index = _post_index(workspace)
    problems: list[Problem] = []
    incoming: dict[tuple[str, dt.date], tuple[int, MetricRow]] = {}
    unmatched: dict[tuple[str, dt.date], MetricRow] = {}
    result = ImportResult()
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):  # an unquoted "$1,000" splits into two cells
            problems.append(
                Problem(
                    display,
                    f"{len(cells)} values but {len(columns)} columns",
                    line=line,
                    hint="a number with a thousands separator must "
                    'be quoted ("1,000") or written without it (1000)',
                )
            )
            continue
        record = dict(zip(columns, cells, strict=False))
        raw_post = (record.get("post") or "").strip()
        try:
            day = dt.date.fromisoformat((record.get("date") or "").strip()[:10])
        except ValueError:
            problems.append(
                Problem(
                    display,
                    f"'{record.get('date', '')}' is not a date",
                    line=line,
                    key_path=("date",),
                    hint="write dates as YYYY-MM-DD",
                )
            )
            continue
        try:
            values = tuple(_number(record.get(n) or "") for n in NUMBERS)
        except ValueError:
            bad = next(n for n in NUMBERS if not _is_number(record.get(n) or ""))
            problems.append(
                Problem(
                    display,
                    f"'{record.get(bad)}' is not a number",
                    line=line,
                    key_path=(bad,),
                )
            )
            continue
        wrong = _out_of_range(values)
        if wrong:
            name, value = wrong
            kind = "a whole number" if name in COUNTS else "an amount"
            problems.append(
                Problem(
                    display,
                    f"'{(record.get(name) or '').strip()}' is not {kind} of 0 or more",
                    line=line,
                    key_path=(name,),
                    hint=f"read {value:g}",
                )
            )
            continue
        post = index.get(_post_key(raw_post)) or index.get(raw_post.rstrip("/"))
        row = MetricRow(post or raw_post, day, values)
        if post is None:
            unmatched[(raw_post, day)] = row
            result.unmatched.append(f"line {line}: {raw_post or '(empty)'} matches no post")
            continue
        key = (post, day)
        if key in incoming:
            first_line, first = incoming[key]
            if first.values != values:
                problems.append(
                    Problem(
                        display,
                        f"repeats line {first_line} ({post}, {day}) with different numbers",
                        line=line,
                        hint="keep the row that is right and delete the other",
                    )
                )
            else:
                result.notes.append(f"line {line} repeats line {first_line}; counted once")
            continue
        incoming[key] = (line, row)
    if problems:
        # Nothing is written while any row is in doubt; the file is the user's, not the
        # workspace's (it may be anywhere): named as such.
        raise ProblemsError(problems, f"{plural(len(problems), 'problem')} in {display}")
    stored = read_store(workspace.root)
    for key, (_, row) in incoming.items():
        if key not in stored:
            result.added += 1
        elif stored[key] != row:
            result.updated += 1
        else:
            result.unchanged += 1
        stored[key] = row
    _write_store(workspace.root, STORE, stored)
    if unmatched:
        kept = read_store(workspace.root, UNMATCHED)
        kept.update(unmatched)
        _write_store(workspace.root, UNMATCHED, kept)
    return result


def _out_of_range(values: tuple[float, ...]) -> tuple[str, float] | None:
    for name, value in zip(NUMBERS, values, strict=True):
        if value < 0 or (name in COUNTS and value != int(value)):
            return name, value
    return None


def _is_number(text: str) -> bool:
    try:
        _number(text)
    except ValueError:
        return False
    return True
