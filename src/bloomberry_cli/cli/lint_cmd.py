"""``bb lint``: governance checks for people at a terminal and for CI."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bloomberry_cli.cli.console import err, plural, problem_line, warn
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


def lint(
    ctx: typer.Context,
    paths: PathsArgument = None,
    output_format: Annotated[
        LintFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LintFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 at this level or above.")
    ] = FailOn.error,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since", metavar="REF", help="Only posts changed since this git ref."
        ),
    ] = None,
    list_rules: Annotated[
        bool,
        typer.Option(
            "--list-rules",
            "--rules",
            help="List every rule, its severity here and what it finds; lint nothing.",
        ),
    ] = False,
) -> int:
    """Check posts against claims, disclosure, channel and voice rules."""
    from bloomberry_cli.cli.lint_text import print_text
    from bloomberry_cli.governance import formats
    from bloomberry_cli.governance.lint import lint_paths
    from bloomberry_cli.voice.memoryfile import outdated_memory_warnings
    from bloomberry_cli.workspace.changed import changed_posts

    if list_rules:
        return _list_rules(ctx, output_format)
    workspace = open_workspace(ctx)
    targets = list(paths) if paths else None
    if targets:
        _check_targets(workspace.root, targets)
    if changed_since is not None:
        targets = changed_posts(workspace.root, changed_since, targets)
        if not targets:
            err.print(f"No posts changed since {changed_since}.")
    report = lint_paths(workspace, targets)
    for warning in outdated_memory_warnings(workspace):
        warn(warning)
    if output_format is LintFormat.json:
        print(formats.to_json(report))
    elif output_format is LintFormat.sarif:
        print(formats.to_sarif(report))
    elif output_format is LintFormat.github:
        text = formats.to_github(report)
        if text:
            print(text)
    else:
        print_text(workspace.root, report)
    for problem in report.problems:
        err.print(problem_line(problem))
    if report.problems:
        err.print(
            f"[bold red]bb: error:[/] {plural(len(report.problems), 'post')} could not be linted"
        )
        return 2
    return 1 if report.failed(fail_on.value) else 0


def _check_targets(root: Path, targets: list[Path]) -> None:
    """Paths given on the command line name posts of this workspace: a typo that names some
    other folder would otherwise lint nothing and pass ("0 of 0 files"), green in CI."""
    from bloomberry_cli.posts import find_posts

    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise BBError(f"no such file or folder: {', '.join(missing)}")
    top = root.resolve()
    outside = [str(p) for p in targets if not p.resolve().is_relative_to(top)]
    if outside:
        raise BBError(
            f"outside the workspace ({top}): {', '.join(outside)}",
            hint="bb lint checks the posts of the workspace it runs in; use -C DIR for another",
        )
    empty = [str(p) for p in targets if p.is_dir() and not find_posts(root, [p])]
    if empty:
        raise BBError(
            f"no posts in {', '.join(empty)}",
            hint="bb lint checks the .md posts under posts/ (`bb lint` alone checks them all)",
        )


def _list_rules(ctx: typer.Context, output_format: LintFormat) -> int:
    """Every rule with its effective severity: the workspace's settings when there is one."""
    import json

    from bloomberry_cli.cli.lint_text import print_rules
    from bloomberry_cli.errors import ProblemsError, WorkspaceError
    from bloomberry_cli.governance.rules import RULES, effective_levels, settings_problems

    try:
        workspace = open_workspace(ctx)
    except ProblemsError:  # a workspace, but a broken one: say what is wrong
        raise
    except BBError:  # no workspace here: the defaults
        err.print("Not in a bb workspace: default severities.")
        levels: dict[str, str] = {rule.id: rule.severity for rule in RULES.values()}
    else:
        problems = settings_problems(workspace)
        if problems:
            raise WorkspaceError(problems)
        levels = dict(effective_levels(workspace))
    if output_format is LintFormat.json:
        print(
            json.dumps(
                {
                    "version": 1,
                    "rules": [
                        {
                            "id": rule.id,
                            "severity": levels[rule.id],
                            "default": rule.severity,
                            "floor": rule.floor,
                            "description": rule.summary,
                        }
                        for rule in RULES.values()
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        print_rules(list(RULES.values()), levels)
    return 0
