"""``bb approve|reject|request-changes``, ``bb status``, ``bb log``, ``bb audit``."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bloomberry_cli.cli.console import err, out, problem_line
from bloomberry_cli.cli.options import FormatOption, OutputFormat
from bloomberry_cli.cli.state import open_workspace

PostsArgument = Annotated[list[Path], typer.Argument(help="Post files.", show_default=False)]
StageOption = Annotated[str | None, typer.Option(
    "--stage", help="The stage to decide (default: the next one you may decide).")]
ReasonOption = Annotated[str | None, typer.Option("--reason", "-r", help="Why.")]

_STAGE_MARK = {"approved": "✓", "pending": "·", "stale": "↻", "rejected": "✗",
               "changes-requested": "✎"}
_STATE_STYLE = {"approved": "green", "published": "green", "in-review": "cyan",
                "draft": "dim", "stale": "yellow", "changes-requested": "yellow",
                "rejected": "red"}


def _decide(ctx: typer.Context, paths: list[Path], verdict: str, stage: str | None,
            reason: str | None) -> int:
    from bloomberry_cli.approvals.decide import decide

    workspace = open_workspace(ctx)
    results = decide(workspace, paths, verdict, stage=stage, reason=reason)  # type: ignore[arg-type]
    for result in results:
        if result.refused:
            err.print(f"[red]refused[/] {escape(result.path)} ({result.stage or '?'}): "
                      f"{escape(result.refused)}")
        else:
            out.print(f"[green]{verdict}[/] {escape(result.path)} ({result.stage}) "
                      f"[dim]{result.commit[:10] if result.commit else ''}[/]")
    return 1 if any(r.refused for r in results) else 0


def approve(ctx: typer.Context, paths: PostsArgument, stage: StageOption = None,
            reason: ReasonOption = None) -> int:
    """Approve posts at your stage, as a signed commit."""
    return _decide(ctx, paths, "approve", stage, reason)


def reject(ctx: typer.Context, paths: PostsArgument, stage: StageOption = None,
           reason: ReasonOption = None) -> int:
    """Reject posts (a reason is required), as a signed commit."""
    return _decide(ctx, paths, "reject", stage, reason)


def request_changes(ctx: typer.Context, paths: PostsArgument, stage: StageOption = None,
                    reason: ReasonOption = None) -> int:
    """Ask for changes (a reason is required), as a signed commit."""
    return _decide(ctx, paths, "request-changes", stage, reason)


def status(ctx: typer.Context, output_format: FormatOption = OutputFormat.text,
           participants: Annotated[bool, typer.Option(
               "--participants", help="Per person: advocacy vs original posts and cadence.")
                                   ] = False) -> int:
    """Every post's state and stages, derived from the history."""
    if participants:
        return _participants(ctx, output_format)
    from bloomberry_cli.approvals.status import post_statuses
    from bloomberry_cli.governance.lint import Linter

    workspace = open_workspace(ctx)
    statuses, problems = post_statuses(workspace)
    linter = Linter(workspace)
    rows = []
    for item in statuses:
        findings = linter.check(item.post).findings
        lint = {"error": 0, "warning": 0}
        for finding in findings:
            if finding.severity in lint:
                lint[finding.severity] += 1
        rows.append({"path": item.path, "brief": item.brief, "participant": item.participant,
                     "program": item.program, "state": item.state, "stages": item.stages,
                     "lint": lint})
    if output_format is OutputFormat.json:
        print(json.dumps({"version": 1, "posts": rows}))
    else:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("post", "state", "stages", "lint"):
            table.add_column(column, no_wrap=column != "post", overflow="fold")
        for row in rows:
            stages = " ".join(f"{_STAGE_MARK[v]}{s}" for s, v in row["stages"].items())
            lint = f"{row['lint']['error']}E {row['lint']['warning']}W"
            state = f"[{_STATE_STYLE[row['state']]}]{row['state']}[/]"
            table.add_row(escape(row["path"].removeprefix("posts/")), state, stages, lint)
        out.print(table if rows else "No posts yet: run `bb draft BRIEF` first.")
        if rows:
            out.print("[dim]stages: ✓ approved · pending ↻ stale (edited since) ✎ changes "
                      "requested ✗ rejected[/]")
    for problem in problems:
        err.print(problem_line(problem))
    return 2 if problems else 0


def log(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="A post file.")]) -> int:
    """A post's decisions: who, when, stage, signature, reason."""
    from bloomberry_cli.approvals.history import read_objects
    from bloomberry_cli.approvals.signatures import SignatureChecker
    from bloomberry_cli.approvals.status import decisions_by_post, workspace_policy

    workspace = open_workspace(ctx)
    rel = workspace.relpath(Path.cwd() / path)
    decisions = decisions_by_post(workspace).get(rel, [])
    if not decisions:
        out.print(f"No decisions on {escape(rel)} yet.")
        return 0
    policy = workspace_policy(workspace)
    checker = SignatureChecker(workspace.root, None)
    raws = read_objects(workspace.root, [d.sha for d in decisions])
    for decision, raw in zip(decisions, raws, strict=True):
        record = decision.record
        check = checker.check(decision.sha, raw or b"")
        signer = policy.key_owner.get(check.key) if check.key is not None else None
        signature = {"missing": "[red]unsigned[/]", "bad": "[red]bad signature[/]"}.get(
            check.status, f"[green]signed by {escape(signer)}[/]" if signer
            else "[yellow]signed by an unknown key[/]")
        out.print(f"{decision.committed:%Y-%m-%d %H:%M}  [bold]{record.decision}[/] "
                  f"{record.stage}  {escape(record.reviewer)}  {signature}  "
                  f"[dim]{decision.sha[:10]} content {record.post_sha256[:10]}[/]")
        if record.reason:
            out.print(f"    {escape(record.reason)}")
    return 0


def audit(ctx: typer.Context, output_format: FormatOption = OutputFormat.text,
          trust_root: Annotated[str | None, typer.Option(
              "--trust-root", metavar="REV",
              help="Trust the policy as of this commit (default: the first one).")] = None,
          ) -> int:
    """Verify every decision: signatures, signers, roles, order, duties, content, policy."""
    from bloomberry_cli.approvals.audit import audit as run_audit
    from bloomberry_cli.approvals.signatures import SignatureChecker
    from bloomberry_cli.userdirs import cache_dir

    workspace = open_workspace(ctx)
    checker = SignatureChecker(workspace.root, cache_dir() / "signatures.json")
    report = run_audit(workspace.root, trust_root=trust_root, checker=checker)
    if output_format is OutputFormat.json:
        print(json.dumps({"version": 1, "ok": report.ok, "decisions": report.decisions,
                          "violations": [v.__dict__ for v in report.violations]}))
    else:
        for violation in report.violations:
            out.print(f"[red]{violation.rule}[/] {violation.commit[:10]} "
                      f"{escape(violation.path)}: {escape(violation.message)}")
        verdict = "[green]✓ trail verified[/]" if report.ok else \
            f"[red]✗ {len(report.violations)} violation(s)[/]"
        out.print(f"{verdict}: {report.decisions} decision(s) checked")
    return 0 if report.ok else 1


keys_app = typer.Typer(help="Signing keys for decisions.", no_args_is_help=True)


@keys_app.command("setup")
def keys_setup(ctx: typer.Context) -> None:
    """Make (if needed) and configure an ed25519 signing key; print the line for the policy."""
    from bloomberry_cli.approvals.decide import check_repository_ready
    from bloomberry_cli.approvals.keys import setup_keys
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.gitrepo import config_value

    workspace = open_workspace(ctx)
    check_repository_ready(workspace.root)
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
    err.print(f"Add this line to the keys: of {' and '.join(where) or 'your entry'}, and ask "
              "an admin to commit it:")
    print(f'keys: ["{result.public_line}"]')


def sync(ctx: typer.Context) -> int:
    """Pull with rebase, audit what arrived, push your decisions."""
    from bloomberry_cli.approvals.sync import sync as run_sync

    workspace = open_workspace(ctx)
    result = run_sync(workspace.root)
    for violation in result.violations:
        err.print(f"[red]{violation.rule}[/] {violation.commit[:10]} {escape(violation.path)}: "
                  f"{escape(violation.message)}")
    if result.violations:
        err.print("[red]What arrived fails the audit; nothing was pushed.[/]")
        return 1
    out.print(f"✓ {result.arrived} commit(s) arrived and verified, {result.pushed} pushed.")
    return 0


def _participants(ctx: typer.Context, output_format: OutputFormat) -> int:
    import datetime as dt

    from bloomberry_cli.cli.program_cmd import cadence_table
    from bloomberry_cli.program.cadence import cadence, publications

    workspace = open_workspace(ctx)
    rows = cadence(workspace, publications(workspace), dt.date.today())
    if output_format is OutputFormat.json:
        print(json.dumps({"version": 1, "window_days": workspace.config.program.window_days,
                          "participants": [{
                              "participant": c.participant, "advocacy": c.advocacy,
                              "original": c.original, "ratio_ok": c.ratio_ok,
                              "target_original": c.target_original,
                              "original_gap": c.original_gap} for c in rows]}))
    else:
        cadence_table(rows)
    return 0
