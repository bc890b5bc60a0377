"""``bb lint``: governance checks for people at a terminal and for CI."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len
from rich.markup import escape

from bloomberry_cli.cli.console import err, out, problem_line
from bloomberry_cli.cli.options import PathsArgument
from bloomberry_cli.cli.state import open_workspace
from bloomberry_cli.errors import BBError


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def lint(
    ctx: typer.Context,
    paths: PathsArgument = None,
    output_format: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")
                             ] = LintFormat.text,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 at this level or above.")
                       ] = FailOn.error,
    changed_since: Annotated[str | None, typer.Option(
        "--changed-since", metavar="REF", help="Only posts changed since this git ref.")] = None,
) -> int:
    """Check posts against claims, disclosure, channel and voice rules."""
    from bloomberry_cli.gitrepo import changed_files
    from bloomberry_cli.governance import formats
    from bloomberry_cli.governance.lint import lint_paths

    workspace = open_workspace(ctx)
    targets = list(paths) if paths else None
    if targets:
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise BBError(f"no such file or folder: {', '.join(missing)}")
    if changed_since is not None:
        changed = changed_files(workspace.root, changed_since, "posts")
        chosen = [workspace.root / rel for rel in changed if rel.endswith(".md")]
        if targets:
            within = [t.resolve() for t in targets]
            chosen = [c for c in chosen if any(c.resolve().is_relative_to(t) for t in within)]
        targets = chosen
        if not targets:
            err.print(f"No posts changed since {changed_since}.")
    report = lint_paths(workspace, targets)
    if output_format is LintFormat.json:
        print(formats.to_json(report))
    elif output_format is LintFormat.sarif:
        print(formats.to_sarif(report))
    elif output_format is LintFormat.github:
        text = formats.to_github(report)
        if text:
            print(text)
    else:
        _print_text(workspace.root, report)
    for problem in report.problems:
        err.print(problem_line(problem))
    if report.problems:
        err.print(f"[bold red]bb: error:[/] {len(report.problems)} post(s) could not be linted")
        return 2
    return 1 if report.failed(fail_on.value) else 0


def _print_text(root: Path, report) -> None:
    by_path: dict[str, list] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, findings in by_path.items():
        out.print(f"\n[bold underline]{escape(path)}[/]")
        try:
            lines = (root / path).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for finding in findings:
            style = _STYLE[finding.severity]
            out.print(f"  {finding.line}:{finding.column}  [{style}]{finding.severity:<7}[/] "
                      f"{escape(finding.message)}  [dim]{finding.rule}[/]")
            if 0 < finding.line <= len(lines) and finding.match:
                source = lines[finding.line - 1]
                start = finding.column - 1
                end = finding.end_column - 1 if finding.end_line == finding.line else len(source)
                out.print(f"    [dim]│[/] {escape(source)}")
                out.print(f"    [dim]│[/] {' ' * cell_len(source[:start])}[{style}]"
                          f"{'^' * max(cell_len(source[start:end]), 1)}[/]")
            if finding.suggestion:
                out.print(f"    [dim]→ {escape(finding.suggestion)}[/]")
    for item in report.suppressed:
        f = item.finding
        out.print(f"  [dim]{escape(f.path)}:{f.line}: {f.rule} suppressed: "
                  f"{escape(item.reason)}[/]")
    counts = report.summary
    files_with = len(by_path)
    status = "[green]✓[/]" if not report.findings else ""
    out.print(f"\n{status} {counts['error']} error(s), {counts['warning']} warning(s), "
              f"{counts['info']} info in {files_with} of {report.files} file(s)"
              + (f"; {len(report.suppressed)} suppressed" if report.suppressed else ""))
