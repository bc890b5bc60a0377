"""`bb lint`'s text format: findings grouped by file, wrapped to the terminal's width."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.markup import escape

from bloomberry_cli.cli.console import out, plural, visible_name
from bloomberry_cli.limits import MAX_POST_BYTES
from bloomberry_cli.textfile import TextFileError, read_text

if TYPE_CHECKING:
    from bloomberry_cli.governance.findings import Finding
    from bloomberry_cli.governance.lint import LintReport
    from bloomberry_cli.governance.rules import Rule

_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue", "off": "dim"}


def wrap_finding(finding: Finding, width: int | None) -> list[str]:
    """The finding's heading line(s), plain: position, severity, message and rule id. Wrapped
    between words to ``width`` (None: one line), with a hanging indent; a rule id is never
    split."""
    prefix = f"  {finding.line}:{finding.column}  {finding.severity:<7} "
    text = f"{' '.join(finding.message.split())}  {finding.rule}"
    return _wrapped(prefix, text, width)


def _wrapped(prefix: str, text: str, width: int | None) -> list[str]:
    """``prefix`` + ``text`` wrapped under the prefix at whole words: a message is never cut
    mid-word and a rule id (``claims.blocked``) never split."""
    if width is None or len(prefix) + len(text) <= width:
        return [prefix + text]
    return textwrap.wrap(
        text,
        width=max(width, len(prefix) + 20),
        initial_indent=prefix,
        subsequent_indent=" " * len(prefix),
        break_long_words=False,
        break_on_hyphens=False,
    )


def _styled(lines: list[str], finding: Finding) -> list[str]:
    """Markup for the plain lines of ``wrap_finding``: the severity coloured, the rule dim."""
    style = _STYLE[finding.severity]
    marked = [escape(line) for line in lines]
    head = f"  {finding.line}:{finding.column}  "
    marked[0] = f"{head}[{style}]{finding.severity:<7}[/]{escape(lines[0][len(head) + 7 :])}"
    last = marked[-1]
    if last.endswith(finding.rule):  # always, as wrap_finding puts it last and whole
        marked[-1] = f"{last[: -len(finding.rule)]}[dim]{finding.rule}[/]"
    return marked


def _source_lines(root: Path, path: str) -> list[str]:
    # Read as lint read it: never through a link out of the workspace, never a FIFO, never
    # past the post limit (the finding for such a file is post.unreadable, with no lines).
    try:
        return read_text(root / path, path, max_bytes=MAX_POST_BYTES, within=root).splitlines()
    except (TextFileError, OSError):
        return []


def print_text(root: Path, report: LintReport) -> None:
    width = out.width if out.is_terminal else None
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    printed = False
    for path, findings in by_path.items():
        if printed:
            out.print()
        printed = True
        out.print(f"[bold underline]{escape(visible_name(path))}[/]")
        lines = _source_lines(root, path)
        for finding in findings:
            for line in _styled(wrap_finding(finding, width), finding):
                out.print(line)
            style = _STYLE[finding.severity]
            if 0 < finding.line <= len(lines) and finding.match:
                source = lines[finding.line - 1]
                start = finding.column - 1
                end = finding.end_column - 1 if finding.end_line == finding.line else len(source)
                out.print(f"    [dim]│[/] {escape(source)}")
                out.print(
                    f"    [dim]│[/] {' ' * cell_len(source[:start])}[{style}]"
                    f"{'^' * max(cell_len(source[start:end]), 1)}[/]"
                )
            if finding.suggestion:
                suggestion = f"→ {finding.suggestion}"
                wrapped = (
                    textwrap.wrap(suggestion, width=max(width - 4, 40), subsequent_indent="  ")
                    if width
                    else [suggestion]
                )
                for part in wrapped:
                    out.print(f"    [dim]{escape(part)}[/]")
    if report.suppressed and printed:
        out.print()
    for item in report.suppressed:
        f = item.finding
        out.print(
            f"  [dim]{escape(visible_name(f.path))}:{f.line}: {f.rule} suppressed: "
            f"{escape(item.reason)}[/]"
        )
        printed = True
    counts = report.summary
    status = "[green]✓[/] " if not report.findings else ""
    if printed:
        out.print()
    out.print(
        f"{status}{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info in {len(by_path)} of {plural(report.files, 'file')}"
        + (f"; {len(report.suppressed)} suppressed" if report.suppressed else "")
    )


def print_rules(rules: list[Rule], levels: dict[str, str]) -> None:
    """`bb lint --list-rules`: every rule, its effective severity, what it finds."""
    width = out.width if out.is_terminal else None
    id_width = max(len(rule.id) for rule in rules)
    for rule in rules:
        level = levels.get(rule.id, rule.severity)
        note = "" if level == rule.severity else f" (default {rule.severity})"
        if rule.floor:
            note += " (never below error)"
        prefix = f"{rule.id:<{id_width}}  {level:<7}  "
        text = rule.summary + note
        lines = _wrapped(prefix, text, width)
        style = _STYLE[level]
        first = lines[0]
        out.print(
            f"{escape(rule.id)}{' ' * (id_width - len(rule.id))}  "
            f"[{style}]{level:<7}[/]{escape(first[len(prefix) - 2 :])}"
        )
        for line in lines[1:]:
            out.print(escape(line))
