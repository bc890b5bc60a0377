"""``bb init``, ``bb validate``, ``bb schema``."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bloomberry_cli.cli.console import err, out
from bloomberry_cli.cli.state import open_workspace


def init(directory: Annotated[Path, typer.Argument(help="Where to create it.")] = Path(".")) -> int:
    """Create a workspace with the example content (and a git repository if needed)."""
    from bloomberry_cli.init import create_workspace

    result = create_workspace(directory)
    err.print(f"[green]Created a bb workspace in {result.root}[/] ({len(result.files)} files)")
    if result.git_initialised:
        if result.committed:
            err.print("  git repository initialised; first commit made")
        else:
            err.print(f"  git repository initialised; no first commit: {result.commit_skipped}")
            err.print("  commit the files yourself: git add -A && git commit -m 'bb init'")
    elif result.repository_without_commits:
        err.print("  this git repository has no commits yet; decisions are commits on top of "
                  "the workspace, so commit it first:")
        err.print("  git add -A && git commit -m 'bb init'", markup=False)
    import shlex

    place = "" if directory == Path(".") else f"cd {shlex.quote(str(directory))} && "
    err.print(f"  next: {place}bb draft briefs/soc2-type2.yaml", markup=False)
    return 0


def validate(ctx: typer.Context) -> int:
    """Load and check every workspace file; list every problem (exit 2 on any)."""
    from bloomberry_cli.errors import WorkspaceError
    from bloomberry_cli.governance.rules import settings_problems
    from bloomberry_cli.posts import find_posts
    from bloomberry_cli.workspace.references import check_posts

    workspace = open_workspace(ctx)
    problems = settings_problems(workspace) + check_posts(workspace)
    if problems:
        raise WorkspaceError(problems)
    posts = len(find_posts(workspace.root))
    counts = (f"{len(workspace.voices)} participants, {len(workspace.briefs)} briefs, "
              f"{len(workspace.claims.approved)} approved and {len(workspace.claims.blocked)} "
              f"blocked claims, {len(workspace.calendar.campaigns)} campaigns, {posts} posts")
    out.print(f"[green]✓[/] workspace OK: {counts}")
    from rich.markup import escape

    from bloomberry_cli.drafting.variants import single_message_warnings
    from bloomberry_cli.workspace.pillars import pillar_warnings

    # advice: warnings never fail validation
    for warning in single_message_warnings(workspace) + pillar_warnings(workspace):
        err.print(f"[yellow]warning:[/] {escape(str(warning))}")
    return 0


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
