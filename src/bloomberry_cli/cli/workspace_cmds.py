"""``bb init``, ``bb validate``, ``bb schema``."""

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bloomberry_cli.cli.console import err, out, plural, warn
from bloomberry_cli.cli.options import FormatOption, OutputFormat
from bloomberry_cli.cli.state import open_workspace

if TYPE_CHECKING:
    from bloomberry_cli.errors import Problem


def init(directory: Annotated[Path, typer.Argument(help="Where to create it.")] = Path(".")) -> int:
    """Create a workspace with the example content (and a git repository if needed)."""
    from bloomberry_cli.init import create_workspace

    result = create_workspace(directory)
    err.print(
        f"[green]Created a bb workspace in {result.root}[/] ({plural(len(result.files), 'file')})"
    )
    if result.git_initialised:
        if result.committed:
            err.print("  git repository initialised; first commit made")
        else:
            err.print(f"  git repository initialised; no first commit: {result.commit_skipped}")
            err.print("  commit the files yourself: git add -A && git commit -m 'bb init'")
    elif result.repository_without_commits:
        err.print(
            "  this git repository has no commits yet; decisions are commits on top of "
            "the workspace, so commit it first:"
        )
        err.print("  git add -A && git commit -m 'bb init'", markup=False)
    import shlex

    place = "" if directory == Path(".") else f"cd {shlex.quote(str(directory))} && "
    err.print(f"  next: {place}bb draft briefs/soc2-type2.yaml", markup=False)
    return 0


def validate(ctx: typer.Context, output_format: FormatOption = OutputFormat.text) -> int:
    """Load and check every workspace file; list every problem (exit 2 on any)."""
    from bloomberry_cli.errors import Problem, ProblemsError, WorkspaceError
    from bloomberry_cli.governance.rules import settings_problems
    from bloomberry_cli.posts import find_posts
    from bloomberry_cli.workspace.references import check_posts

    as_json = output_format is OutputFormat.json
    try:
        workspace = open_workspace(ctx)
        problems = settings_problems(workspace) + check_posts(workspace)
    except ProblemsError as exc:
        if not as_json:
            raise
        print(_validation_json(exc.problems, []))
        return 2
    if problems:
        if as_json:
            print(_validation_json(problems, []))
            return 2
        raise WorkspaceError(problems)
    from bloomberry_cli.drafting.variants import single_message_warnings
    from bloomberry_cli.voice.memoryfile import outdated_memory_warnings
    from bloomberry_cli.workspace.pillars import pillar_warnings

    # advice: warnings never fail validation
    warnings: list[Problem] = [
        *single_message_warnings(workspace),
        *pillar_warnings(workspace),
        *outdated_memory_warnings(workspace),
    ]
    if as_json:
        print(_validation_json([], warnings))
        return 0
    posts = len(find_posts(workspace.root))
    counts = ", ".join(
        (
            plural(len(workspace.voices), "participant"),
            plural(len(workspace.briefs), "brief"),
            f"{len(workspace.claims.approved)} approved and "
            f"{plural(len(workspace.claims.blocked), 'blocked claim')}",
            plural(len(workspace.calendar.campaigns), "campaign"),
            plural(posts, "post"),
        )
    )
    out.print(f"[green]✓[/] workspace OK: {counts}")

    for warning in warnings:
        warn(warning)
    return 0


def _validation_json(problems: "list[Problem]", warnings: "list[Problem]") -> str:
    """DESIGN.md's shape: version, ok, problems (path, line, column, message); warnings,
    which never fail validation, only when there are any."""

    def entry(problem: "Problem") -> dict[str, object]:
        message = problem.message
        if problem.key_path:
            message = f"{problem.breadcrumb}: {message}"
        if problem.hint:
            message += f" ({problem.hint})"
        return {
            "path": problem.path,
            "line": problem.line,
            "column": problem.column,
            "message": message,
        }

    document: dict[str, object] = {
        "version": 1,
        "ok": not problems,
        "problems": [entry(p) for p in problems],
    }
    if warnings:
        document["warnings"] = [entry(w) for w in warnings]
    return json.dumps(document, indent=2, ensure_ascii=False)


class SchemaKind(StrEnum):
    config = "config"
    brief = "brief"
    voice = "voice"
    claims = "claims"
    calendar = "calendar"


def schema(kind: Annotated[SchemaKind, typer.Argument(help="Which file kind.")]) -> int:
    """Print the JSON Schema of a workspace file kind, for editors."""
    from bloomberry_cli.models import KINDS

    model, filename = KINDS[kind.value]
    document = model.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document.setdefault("description", f"bb workspace file: {filename}")
    if out.is_terminal:
        out.print_json(json.dumps(document))
    else:
        print(json.dumps(document, indent=2))
    return 0
