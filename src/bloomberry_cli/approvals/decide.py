"""`bb approve | reject | request-changes`: one signed commit per decision, or a refusal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.approvals.decision_commit import commit_decision, decision_message
from bloomberry_cli.approvals.policy import AUTHOR, Policy, workspace_projection
from bloomberry_cli.approvals.sshsig import key_blob
from bloomberry_cli.approvals.state import PostStatus
from bloomberry_cli.approvals.status import open_trail, policy_in_force, post_statuses
from bloomberry_cli.approvals.trail import Trail
from bloomberry_cli.approvals.trailers import WITHDRAWALS, DecisionRecord, Verdict
from bloomberry_cli.errors import BBError, WorkspaceError
from bloomberry_cli.external import run_program, run_shell_command
from bloomberry_cli.gitrepo import config_value, current_branch, git, repo_root
from bloomberry_cli.workspace import Workspace


@dataclass
class DecisionResult:
    path: str
    verdict: Verdict
    stage: str | None
    commit: str | None = None
    refused: str | None = None


POLICY_PATHS = ("bloomberry.yaml", "voices", "claims.yaml", "calendar.yaml")


def check_repository_ready(root: Path) -> Path:
    """The repository root, if it can take a decision commit now."""
    top = repo_root(root)
    if top is None:
        raise BBError(
            f"{root} is not in a git repository; decisions are git commits",
            hint="run `git init` and commit the workspace first",
        )
    git_dir = Path(git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
    for marker, what, how in (
        ("rebase-merge", "a rebase", "git rebase --continue or --abort"),
        ("rebase-apply", "a rebase", "git rebase --continue or --abort"),
        ("MERGE_HEAD", "a merge", "git merge --continue or --abort"),
        ("CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue or --abort"),
    ):
        if (git_dir / marker).exists():
            raise BBError(
                f"{what} is in progress in this repository; bb will not commit now",
                hint=f"finish it first ({how})",
            )
    if git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        raise BBError(
            "this repository has no commits yet: a decision needs the workspace committed first",
            hint="git add -A && git commit -m 'Workspace'",
        )
    if current_branch(root) is None:
        raise BBError(
            "HEAD is detached: a decision made here would belong to no branch",
            hint="switch to your branch first (`git switch main`)",
        )
    return top


def check_policy_committed(workspace: Workspace, trail: Trail) -> None:
    """Decisions are judged by the committed policy: refuse while the files say otherwise.
    An uncommitted edit that leaves the policy as it is (a Voice Memory `bb voice calibrate`
    wrote, a style line, a sample) changes no one's grants: nothing to wait for."""
    root = workspace.root
    changed = git(
        root, "status", "--porcelain", "--untracked-files=all", "--", *POLICY_PATHS
    ).stdout.splitlines()
    if (
        changed
        and trail.tip_projection is not None
        and dict(workspace_projection(workspace)) == dict(trail.tip_projection)
    ):
        return
    if changed:
        files = ", ".join(line[3:] for line in changed[:3])
        raise BBError(
            f"uncommitted changes to policy files ({files}): decisions are judged "
            "by the policy as committed, so bb will not decide now",
            hint="commit them with `bb policy commit` (an admin signs it), or undo "
            "them (`git restore`)",
        )


def signing_key_line(root: Path) -> str | None:
    """The public key git will sign with here, as an ``ssh-…`` line, if it is an SSH key."""
    if (config_value(root, "gpg.format") or "openpgp") != "ssh":
        return None
    configured = config_value(root, "user.signingkey")
    if not configured:
        command = config_value(root, "gpg.ssh.defaultKeyCommand")
        if not command:
            return None
        result = run_shell_command(command, cwd=root)
        lines = [line for line in result.stdout.splitlines() if line.startswith("key::")]
        return lines[0].removeprefix("key::") if lines else None
    if configured.startswith(("ssh-", "key::")):
        return configured.removeprefix("key::")
    path = Path(configured).expanduser()
    public = path if path.name.endswith(".pub") else path.with_name(path.name + ".pub")
    try:
        return public.read_text()
    except OSError:
        pass
    derived = run_program(["ssh-keygen", "-y", "-f", str(path)], hint="install OpenSSH")
    return derived.stdout if derived.ok else None


def current_identity(root: Path, policy: Policy) -> str:
    """Who is deciding: the owner of the signing key git will use, which must agree with
    ``user.email`` (without a signing key, ``user.email`` alone)."""
    email = (config_value(root, "user.email") or "").lower()
    line = signing_key_line(root)
    blob = key_blob(line) if line else None
    owner = policy.key_owner.get(blob) if blob is not None else None
    if line and owner is None and not policy.allow_unsigned:
        raise BBError(
            "git signs here with a key that no one holds in the policy in force; "
            "the audit would reject decisions signed with it",
            hint="add your key to the policy (`bb keys setup` prints the line, an "
            "admin commits it with `bb policy commit`), or point user.signingkey "
            "at the key it lists",
        )
    if owner is not None and email and owner != email:
        raise BBError(
            f"git signs here with {owner}'s key, but user.email is {email}",
            hint="use your own key and email: `git config user.email` and "
            "`git config user.signingkey`",
        )
    email = owner or email
    if not email:
        raise BBError("git does not know who you are", hint="git config user.email you@…")
    if email not in policy.people:
        raise BBError(
            f"{email} is neither a reviewer nor a participant in the policy in force",
            hint="check `git config user.email`; new people need an admin's `bb policy commit`",
        )
    return email


@dataclass
class Decider:
    trail: Trail
    policy: Policy
    email: str


def decider(workspace: Workspace) -> Decider:
    """The verified trail, the policy in force and the person deciding, once the repository
    can take their signed commit."""
    check_repository_ready(workspace.root)
    trail = open_trail(workspace)
    assert trail is not None
    check_policy_committed(workspace, trail)
    policy = policy_in_force(workspace, trail)
    return Decider(trail, policy, current_identity(workspace.root, policy))


def choose_stage(
    status: PostStatus, email: str, policy: Policy, stage: str | None, verdict: Verdict
) -> tuple[str | None, str | None]:
    """(stage, None) when the person may record ``verdict`` now, else (stage, why not)."""
    if status.violations:
        first = status.violations[0]
        return stage, (
            f"this post's trail has a violation ({first.rule} in "
            f"{first.commit[:10]}: {first.message}); run `bb audit`"
        )
    author = policy.author_email(status.participant)
    if stage is None:
        mine = [
            s
            for s in status.stages
            if policy.may_decide(email, s, status.participant, status.campaign_owner)
            and not (s != AUTHOR and email == author)
        ]
        open_stages = [s for s in mine if status.stages[s] != "approved"]
        if not mine:
            return None, f"you hold no stage of this post (stages: {', '.join(status.stages)})"
        if verdict in WITHDRAWALS:
            # withdrawing your own approval is a normal act: your first stage still open,
            # else the last one you approved
            stage = open_stages[0] if open_stages else mine[-1]
        elif not open_stages:
            return (
                mine[-1],
                f"your stage{'s' if len(mine) > 1 else ''} "
                f"({', '.join(mine)}) already approved this version",
            )
        else:
            stage = open_stages[0]
    if stage not in status.stages:
        return stage, f"this post has no stage '{stage}' (stages: {', '.join(status.stages)})"
    if stage != AUTHOR and email == author:
        return stage, "you wrote this post: you may approve only its author stage"
    if not policy.may_decide(email, stage, status.participant, status.campaign_owner):
        return stage, f"you do not hold the {stage} role for this post"
    if verdict == "approve":
        if status.stages[stage] == "approved":
            return stage, f"the {stage} stage already approved this version"
        earlier = list(status.stages)[: list(status.stages).index(stage)]
        waiting = [s for s in earlier if status.stages[s] != "approved"]
        if waiting:
            return stage, f"{', '.join(waiting)} must approve first"
    return stage, None


def decide(
    workspace: Workspace,
    paths: list[Path],
    verdict: Verdict,
    *,
    stage: str | None = None,
    reason: str | None = None,
    today: dt.date | None = None,
) -> list[DecisionResult]:
    """Record ``verdict`` on each post as its own commit; refusals are results, not errors."""
    if verdict in ("reject", "request-changes") and not (reason and reason.strip()):
        raise BBError(f"{verdict} needs a reason", hint='add --reason "what must change"')
    # before any commit: a reason that would break the message breaks it for every post
    decision_message(DecisionRecord(verdict, "s", "p", "0" * 64, "r", reason, parent="0" * 40))
    who = decider(workspace)
    policy, email = who.policy, who.email
    statuses, problems = post_statuses(workspace, paths, trail=who.trail)
    if problems:
        raise WorkspaceError(problems)
    if not statuses:
        raise BBError("no posts at the given paths")
    results = []
    for status in statuses:
        chosen, refusal = choose_stage(status, email, policy, stage, verdict)
        result = DecisionResult(status.path, verdict, chosen)
        if refusal is None and verdict == "approve":
            refusal = _lint_refusal(workspace, status.path, today)
        if refusal is not None:
            result.refused = refusal
        else:
            assert chosen is not None
            result.commit = commit_decision(
                workspace,
                status,
                DecisionRecord(
                    verdict,
                    chosen,
                    who.trail.prefix + status.path,
                    status.content_sha256,
                    email,
                    reason.strip() if reason else None,
                ),
            )
        results.append(result)
    return results


def _lint_refusal(workspace: Workspace, path: str, today: dt.date | None) -> str | None:
    from bloomberry_cli.governance.lint import lint_post
    from bloomberry_cli.posts import load_post

    errors = [
        f
        for f in lint_post(workspace, load_post(workspace.root, path), today=today)
        if f.severity == "error"
    ]
    if not errors:
        return None
    listed = "; ".join(f"{f.line}:{f.column} {f.rule}: {f.message}" for f in errors[:3])
    return f"{len(errors)} lint error(s): {listed}"
