"""``bb log``, ``bb audit``, ``bb sync``, ``bb policy show|commit``, ``bb waive``."""

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from bloomberry_cli.cli.console import err, out
from bloomberry_cli.cli.options import FormatOption, OutputFormat, QuietOption
from bloomberry_cli.cli.state import open_workspace

TrustRootOption = Annotated[
    str | None,
    typer.Option(
        "--trust-root",
        metavar="COMMIT",
        help="The commit whose policy is trusted (or BB_TRUST_ROOT, or git config bb.trustRoot).",
    ),
]
HighWaterOption = Annotated[
    str | None,
    typer.Option(
        "--high-water",
        metavar="COMMIT",
        help="A commit the history must still contain (or BB_HIGH_WATER, git config bb.highWater).",
    ),
]


def _violation_line(violation: Any) -> str:
    style = "yellow" if violation.severity == "warning" else "red"
    waived = " [dim](waived)[/]" if violation.waived else ""
    where = f" {escape(violation.path)}" if violation.path else ""
    return (
        f"[{style}]{violation.rule}[/]{waived} {violation.commit[:10]}{where}: "
        f"{escape(violation.message)}"
    )


def log(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="A post file.")]) -> int:
    """A post's decisions: who, when, stage, signature, reason, and whether each counts."""
    from bloomberry_cli.approvals.status import open_trail
    from bloomberry_cli.errors import BBError

    workspace = open_workspace(ctx)
    rel = workspace.relpath(Path.cwd() / path)
    hint = "`bb status` lists every post"
    if rel == ".." or rel.startswith("../") or Path(rel).is_absolute():
        raise BBError(f"{path}: is outside the workspace ({workspace.root})", hint=hint)
    if (workspace.root / rel).is_dir():  # "no decisions" would be untrue of the posts in it
        raise BBError(f"{path}: is a folder; bb log shows the decisions on one post", hint=hint)
    if not (workspace.root / rel).exists():
        raise BBError(f"{path}: no such file", hint=hint)
    trail = open_trail(workspace)
    decisions = [d for d in trail.decisions if d.post == rel] if trail else []
    if not decisions:
        out.print(f"No decisions on {escape(rel)} yet.")
        return 0
    by_commit: dict[str, list[Any]] = {}
    for violation in trail.violations if trail else []:
        by_commit.setdefault(violation.commit, []).append(violation)
    for decision in decisions:
        record = decision.record
        verdict = (
            f"[green]signed by {escape(record.reviewer)}, verified[/]"
            if decision.valid
            else "[red]does not count[/]"
        )
        out.print(
            f"{decision.committed:%Y-%m-%d %H:%M}  [bold]{record.decision}[/] "
            f"{escape(record.stage)}  {escape(record.reviewer)}  {verdict}  "
            f"[dim]{decision.sha[:10]} content {record.post_sha256[:10]}[/]"
        )
        if record.reason:
            out.print(f"    {escape(record.reason)}")
        for violation in by_commit.get(decision.sha, []):
            out.print("    " + _violation_line(violation))
    return 0


def audit(
    ctx: typer.Context,
    output_format: FormatOption = OutputFormat.text,
    trust_root: TrustRootOption = None,
    high_water: HighWaterOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the audit too.")] = False,
) -> int:
    """Verify the whole trail: policy in force, signatures, signers, roles, order, content."""
    from bloomberry_cli.approvals.audit import audit as run_audit
    from bloomberry_cli.approvals.audit import refused_report
    from bloomberry_cli.approvals.history import HistoryRefused
    from bloomberry_cli.approvals.trail import interactive

    workspace = open_workspace(ctx)
    try:
        report = run_audit(
            workspace,
            trust_root=trust_root,
            high_water=high_water,
            strict=strict,
            interactive=interactive(),
        )
    except HistoryRefused as exc:
        if output_format is OutputFormat.json:
            print(json.dumps(refused_report(exc)))
        raise
    if output_format is OutputFormat.json:
        print(
            json.dumps(
                {
                    "version": 1,
                    "ok": report.ok,
                    "decisions": report.decisions,
                    "trust_root": report.trust_root,
                    "trust": report.trust,
                    "violations": [v.__dict__ for v in report.violations],
                }
            )
        )
        return 0 if report.ok else 1
    for violation in report.violations:
        out.print(_violation_line(violation))
    if report.trust == "first-use" and report.trust_root and report.root_is_clean:
        err.print(
            f"[dim]trusted on first use: {report.trust_root[:12]} (pin it with `git "
            f"config bb.trustRoot {report.trust_root}`){escape(report.new_root_hint())}[/]"
        )
    counted = sum(1 for v in report.violations if v.counts or (strict and not v.waived))
    verdict = "[green]✓ trail verified[/]" if report.ok else f"[red]✗ {counted} violation(s)[/]"
    out.print(f"{verdict}: {report.decisions} decision(s) checked")
    return 0 if report.ok else 1


def sync(ctx: typer.Context, quiet: QuietOption = False) -> int:
    """Fetch, verify what arrived, merge, push your decisions."""
    from bloomberry_cli.approvals.sync import sync as run_sync

    workspace = open_workspace(ctx)
    result = run_sync(workspace)
    for violation in result.arrived_violations:
        err.print(_violation_line(violation))
    if result.arrived_violations:
        err.print(
            f"[red]{len(result.arrived_violations)} violation(s) arrived: what those "
            "commits record never counts.[/] Your work was still merged; an admin can "
            "`bb waive` what was looked into."
        )
    for violation in result.local_violations:
        err.print(_violation_line(violation))
    if result.local_violations:
        err.print("[red]Your own unpushed commits fail the audit; nothing was pushed.[/]")
        err.print(
            "  hint: every later `bb sync` refuses until they are gone: fix or undo those "
            "commits (`git reset --keep @{upstream}` drops them; a policy change counts once an "
            "admin records it with `bb policy commit`) or ask an admin to look into them "
            "(`bb waive`), then `bb sync` again"
        )
        return 1
    merged = " (merged)" if result.merged else ""
    if not quiet:
        out.print(f"✓ {result.arrived} commit(s) arrived{merged}, {result.pushed} pushed.")
    if result.standing:
        err.print(f"[dim]{result.standing} earlier violation(s) still stand: `bb audit`[/]")
    return 1 if result.arrived_violations else 0


policy_app = typer.Typer(
    help="The approval policy in force, and changing it by consent.", no_args_is_help=True
)


@policy_app.command("show")
def policy_show(ctx: typer.Context, output_format: FormatOption = OutputFormat.text) -> None:
    """The policy in force, and what in the files is not in force."""
    from bloomberry_cli.approvals.consent import pending_change
    from bloomberry_cli.approvals.status import open_trail, policy_in_force

    workspace = open_workspace(ctx)
    trail = open_trail(workspace)
    policy = policy_in_force(workspace, trail)
    change = pending_change(workspace, trail)
    if output_format is OutputFormat.json:
        print(
            json.dumps(
                {
                    "version": 1,
                    "policy": policy.projection,
                    "not_in_force": [
                        {"field": c.field, "in_force": c.before, "files": c.after}
                        for c in change.changes
                    ],
                },
                default=str,
            )
        )
        return
    for name, value in sorted(policy.projection.items()):
        out.print(f"[bold]{escape(name)}[/]: {escape(json.dumps(value, ensure_ascii=False))}")
    for item in change.changes:
        out.print(
            f"[yellow]not in force[/] {escape(item.field)}: files say "
            f"{escape(json.dumps(item.after, ensure_ascii=False))}"
        )
    if change.changes:
        err.print("[dim]an admin records these with `bb policy commit`[/]")


@policy_app.command("commit")
def policy_commit(
    ctx: typer.Context,
    message: Annotated[str | None, typer.Option("-m", "--message", help="Why.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
    compromised: Annotated[
        bool,
        typer.Option(
            "--compromised", help="A removed key was compromised: void what it signed concurrently."
        ),
    ] = False,
    new_root: Annotated[
        bool,
        typer.Option(
            "--new-root",
            help="The team's first real policy (after bb init): commit it and pin "
            "it as the trust root.",
        ),
    ] = False,
) -> None:
    """Show the change against the policy in force, then commit it signed (admins only)."""
    from bloomberry_cli.approvals.consent import commit_policy, pending_change
    from bloomberry_cli.approvals.decide import check_repository_ready
    from bloomberry_cli.errors import BBError

    workspace = open_workspace(ctx)
    # first: outside git, or before the first commit, "nothing to consent to" is untrue
    check_repository_ready(workspace.root)
    change = pending_change(workspace)
    if not change.changes:
        raise BBError("the policy files match the policy in force: nothing to consent to")
    for item in change.changes:
        out.print(f"[bold]{escape(item.field)}[/]")
        out.print(f"  [red]- {escape(json.dumps(item.before, ensure_ascii=False))}[/]")
        out.print(f"  [green]+ {escape(json.dumps(item.after, ensure_ascii=False))}[/]")
    for grant in change.removed:
        out.print(f"[yellow]removes[/] {escape(' '.join(grant))}")
    if not yes and not sys.stdin.isatty():  # typer's prompt would meet EOF: "Aborted.", 1
        raise BBError(
            "nothing was committed: bb policy commit asks to confirm in a terminal",
            hint="read the change above, then pass --yes to commit it without asking",
        )
    if not yes and not typer.confirm("Sign and commit this policy?", default=False):
        raise BBError("nothing was committed")
    done = commit_policy(workspace, message, compromised=compromised, new_root=new_root)
    out.print(
        f"[green]policy committed[/] {(done.commit or '')[:10]} "
        f"[dim]Bb-Policy {done.policy_hash[:12]}[/]"
    )
    if new_root:
        err.print(
            f"This commit is now the trail's trust root here. Every other clone and CI "
            f"pins the same: git config bb.trustRoot {done.commit}"
        )


def waive(
    ctx: typer.Context,
    commit: Annotated[str, typer.Argument(help="The commit the audit reports.")],
    rule: Annotated[str, typer.Option("--rule", help="The violation's rule id.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="What was looked into.")],
) -> int:
    """Acknowledge one audit violation, as an admin-signed commit."""
    from bloomberry_cli.approvals.consent import waive as run_waive

    workspace = open_workspace(ctx)
    made = run_waive(workspace, commit, rule, reason)
    out.print(f"[green]waived[/] {rule} in {commit[:10]} [dim]{made[:10]}[/]")
    return 0
