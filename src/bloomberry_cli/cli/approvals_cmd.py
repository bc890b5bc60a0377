"""``bb approve|reject|request-changes``, ``bb status``, ``bb log``, ``bb audit``."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bloomberry_cli.cli.console import err, out, print_table, problem_line
from bloomberry_cli.cli.options import FormatOption, OutputFormat
from bloomberry_cli.cli.state import open_workspace

if TYPE_CHECKING:  # the trail loads only in the commands that read it
    from bloomberry_cli.approvals.state import PostStatus

PostsArgument = Annotated[list[Path], typer.Argument(help="Post files.", show_default=False)]
StageOption = Annotated[
    str | None,
    typer.Option("--stage", help="The stage to decide (default: the next one you may decide)."),
]
ReasonOption = Annotated[str | None, typer.Option("--reason", "-r", help="Why.")]

_STAGE_MARK = {
    "approved": "✓",
    "pending": "·",
    "stale": "↻",
    "rejected": "✗",
    "changes-requested": "✎",
}
_STATE_STYLE = {
    "approved": "green",
    "published": "green",
    "in-review": "cyan",
    "draft": "dim",
    "stale": "yellow",
    "changes-requested": "yellow",
    "rejected": "red",
    "unverified": "bold red",
}


def _decide(
    ctx: typer.Context, paths: list[Path], verdict: str, stage: str | None, reason: str | None
) -> int:
    from bloomberry_cli.approvals.decide import decide

    workspace = open_workspace(ctx)
    results = decide(workspace, paths, verdict, stage=stage, reason=reason)  # type: ignore[arg-type]
    for result in results:
        if result.refused:
            err.print(
                f"[red]refused[/] {escape(result.path)} ({result.stage or '?'}): "
                f"{escape(result.refused)}"
            )
        else:
            out.print(
                f"[green]{verdict}[/] {escape(result.path)} ({escape(str(result.stage))}) "
                f"[dim]{result.commit[:10] if result.commit else ''}[/]"
            )
    return 1 if any(r.refused for r in results) else 0


def approve(
    ctx: typer.Context, paths: PostsArgument, stage: StageOption = None, reason: ReasonOption = None
) -> int:
    """Approve posts at your stage, as a signed commit."""
    return _decide(ctx, paths, "approve", stage, reason)


def reject(
    ctx: typer.Context, paths: PostsArgument, stage: StageOption = None, reason: ReasonOption = None
) -> int:
    """Reject posts (a reason is required), as a signed commit."""
    return _decide(ctx, paths, "reject", stage, reason)


def request_changes(
    ctx: typer.Context, paths: PostsArgument, stage: StageOption = None, reason: ReasonOption = None
) -> int:
    """Ask for changes (a reason is required), as a signed commit."""
    return _decide(ctx, paths, "request-changes", stage, reason)


def status(
    ctx: typer.Context,
    output_format: FormatOption = OutputFormat.text,
    participants: Annotated[
        bool,
        typer.Option("--participants", help="Per person: advocacy vs original posts and cadence."),
    ] = False,
) -> int:
    """Every post's state and stages, derived from the history."""
    if participants:
        return _participants(ctx, output_format)
    from bloomberry_cli.approvals.status import status_rows

    workspace = open_workspace(ctx)
    rows, problems = status_rows(workspace)
    if output_format is OutputFormat.json:
        print(json.dumps({"version": 1, "posts": [row.as_dict() for row in rows]}))
    else:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("post", "state", "stages", "lint"):
            table.add_column(column, no_wrap=column != "post", overflow="fold")
        for row in rows:
            item = row.status
            stages = " ".join(f"{_STAGE_MARK[v]}{s}" for s, v in item.stages.items())
            lint = f"{row.lint['error']}E {row.lint['warning']}W"
            state = f"[{_STATE_STYLE[item.state]}]{item.state}[/]"
            table.add_row(escape(item.path.removeprefix("posts/")), state, stages, lint)
        if rows:
            print_table(table)
        else:
            out.print("No posts yet: run `bb draft BRIEF` first.")
        _change_requests([row.status for row in rows])
        unverified = [row.status for row in rows if row.status.violations]
        for item in unverified:
            first = item.violations[0]
            out.print(
                f"[red]unverified[/] {escape(item.path)}: {first.rule} in "
                f"{first.commit[:10]}: {escape(first.message)}"
            )
        if unverified:
            out.print(
                "[dim]decisions that do not verify never count; `bb audit` explains, "
                "an admin can `bb waive` what was looked into[/]"
            )
        if rows:
            out.print(
                "[dim]stages: ✓ approved · pending ↻ stale (edited since) ✎ changes "
                "requested ✗ rejected[/]"
            )
    for problem in problems:
        err.print(problem_line(problem))
    return 2 if problems else 0


def _change_requests(statuses: "list[PostStatus]") -> None:
    """Tell authors what a reviewer asked them to change, and how to resubmit."""
    from bloomberry_cli.review.queue import change_requests

    requests = [
        r for item in statuses if item.state == "changes-requested" for r in change_requests(item)
    ]
    for request in requests:
        out.print(
            f"[yellow]changes requested[/] on {escape(request.path)} by "
            f"{escape(request.reviewer)} ({escape(request.stage)}): {escape(request.reason)}"
        )
    if requests:
        out.print(
            "[dim]the author edits the post and commits it; the new version goes back to review[/]"
        )


keys_app = typer.Typer(help="Signing keys for decisions.", no_args_is_help=True)


@keys_app.command("setup")
def keys_setup(ctx: typer.Context) -> None:
    """Make (if needed) and configure an ed25519 signing key; print the line for the policy."""
    from bloomberry_cli.approvals.keys import setup_keys
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.gitrepo import config_value, repo_root

    workspace = open_workspace(ctx)
    # Only git settings are written: a repository is enough (no commit yet, a merge under
    # way and a detached HEAD are a decision's concerns, not this one's).
    if repo_root(workspace.root) is None:
        raise BBError(
            f"{workspace.root} is not in a git repository; bb keys setup configures its signing",
            hint="run `git init` first",
        )
    email = (config_value(workspace.root, "user.email") or "").lower()
    if not email:
        raise BBError("git does not know who you are", hint="git config user.email you@…")
    result = setup_keys(workspace.root, email)
    made = "Created" if result.created else "Using"
    err.print(f"{made} signing key {result.private_key}; this repository now signs with it.")
    voice = next((vid for vid, v in workspace.voices.items() if v.email == email), None)
    reviewer = any(r.email == email for r in workspace.config.reviewers)
    where = ["your entry under reviewers: in bloomberry.yaml"] if reviewer else []
    if voice:
        where.append(f"voices/{voice}.yaml")
    err.print(
        f"Add this line to the keys: of {' and '.join(where) or 'your entry'}, and ask "
        "an admin to record it with `bb policy commit` (the team's first keys after "
        "`bb init`: `bb policy commit --new-root`):"
    )
    print(f'keys: ["{result.public_line}"]')


def _participants(ctx: typer.Context, output_format: OutputFormat) -> int:
    import datetime as dt

    from bloomberry_cli.cli.program_cmd import cadence_table
    from bloomberry_cli.program.cadence import cadence, publications

    workspace = open_workspace(ctx)
    rows = cadence(workspace, publications(workspace), dt.date.today())
    if output_format is OutputFormat.json:
        print(
            json.dumps(
                {
                    "version": 1,
                    "window_days": workspace.config.program.window_days,
                    "participants": [
                        {
                            "participant": c.participant,
                            "advocacy": c.advocacy,
                            "original": c.original,
                            "ratio_ok": c.ratio_ok,
                            "target_original": c.target_original,
                            "original_gap": c.original_gap,
                            "pillars": c.pillars,
                        }
                        for c in rows
                    ],
                }
            )
        )
    else:
        cadence_table(rows)
    return 0
