"""`bb approve | reject | request-changes`: one signed commit per decision, or a refusal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.approvals.policy import AUTHOR, Policy
from bloomberry_cli.approvals.state import PostStatus
from bloomberry_cli.approvals.status import post_statuses, workspace_policy
from bloomberry_cli.approvals.trailers import DecisionRecord, Verdict, format_message
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import config_value, git, repo_root
from bloomberry_cli.workspace import Workspace


@dataclass
class DecisionResult:
    path: str
    verdict: Verdict
    stage: str | None
    commit: str | None = None
    refused: str | None = None


def check_repository_ready(root: Path) -> Path:
    """The repository root, if it can take a commit now."""
    top = repo_root(root)
    if top is None:
        raise BBError(f"{root} is not in a git repository; decisions are git commits",
                      hint="run `git init` and commit the workspace first")
    git_dir = Path(git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
    for marker, what, how in (("rebase-merge", "a rebase", "git rebase --continue or --abort"),
                              ("rebase-apply", "a rebase", "git rebase --continue or --abort"),
                              ("MERGE_HEAD", "a merge", "git merge --continue or --abort"),
                              ("CHERRY_PICK_HEAD", "a cherry-pick",
                               "git cherry-pick --continue or --abort")):
        if (git_dir / marker).exists():
            raise BBError(f"{what} is in progress in this repository; bb will not commit now",
                          hint=f"finish it first ({how})")
    return top


def current_identity(root: Path, policy: Policy) -> str:
    """The email git commits as here, which must be a reviewer or a participant."""
    email = (config_value(root, "user.email") or "").lower()
    if not email:
        raise BBError("git does not know who you are", hint="git config user.email you@…")
    if email not in policy.people:
        raise BBError(f"{email} is neither a reviewer in bloomberry.yaml nor a participant "
                      "in voices/", hint="check `git config user.email`")
    return email


def signing_key_problem(root: Path, email: str, policy: Policy) -> str | None:
    """Why decisions signed here would fail the audit, if the configured SSH key is known not
    to be this person's key in the policy."""
    from bloomberry_cli.approvals.sshsig import key_blob

    if (config_value(root, "gpg.format") or "openpgp") != "ssh":
        return None
    configured = config_value(root, "user.signingkey")
    if not configured:
        return None
    if configured.startswith(("ssh-", "key::")):
        line = configured.removeprefix("key::")
    else:
        path = Path(configured).expanduser()
        public = path if path.name.endswith(".pub") else path.with_name(path.name + ".pub")
        try:
            line = public.read_text()
        except OSError:
            return None
    blob = key_blob(line)
    if blob is None or policy.key_owner.get(blob) == email:
        return None
    owner = policy.key_owner.get(blob)
    whose = f"{owner}'s key" if owner else "a key"
    return f"git signs here with {whose} that the policy does not list for {email}"


def decider(workspace: Workspace) -> tuple[Policy, str]:
    """The policy and the person deciding, once the repository can take their signed commit."""
    check_repository_ready(workspace.root)
    policy = workspace_policy(workspace)
    email = current_identity(workspace.root, policy)
    mismatch = signing_key_problem(workspace.root, email, policy)
    if mismatch and not workspace.config.approvals.allow_unsigned:
        raise BBError(f"{mismatch}; the audit would reject decisions signed with it",
                      hint="add your key to the policy (`bb keys setup` prints the line), or "
                      "point user.signingkey at the key it lists")
    return policy, email


def choose_stage(status: PostStatus, email: str, policy: Policy, stage: str | None,
                 verdict: Verdict) -> tuple[str | None, str | None]:
    """(stage, None) when the person may record ``verdict`` now, else (stage, why not)."""
    author = policy.author_email(status.participant)
    if stage is None:
        mine = [s for s in status.stages
                if policy.may_decide(email, s, status.participant, status.campaign_owner)
                and not (s != AUTHOR and email == author)]
        open_stages = [s for s in mine if status.stages[s] != "approved"]
        if not mine:
            return None, f"you hold no stage of this post (stages: {', '.join(status.stages)})"
        if not open_stages:
            return mine[-1], f"your stage{'s' if len(mine) > 1 else ''} " \
                f"({', '.join(mine)}) already approved this version"
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
        earlier = list(status.stages)[:list(status.stages).index(stage)]
        waiting = [s for s in earlier if status.stages[s] != "approved"]
        if waiting:
            return stage, f"{', '.join(waiting)} must approve first"
    return stage, None


def decide(workspace: Workspace, paths: list[Path], verdict: Verdict, *,
           stage: str | None = None, reason: str | None = None,
           today: dt.date | None = None) -> list[DecisionResult]:
    """Record ``verdict`` on each post as its own commit; refusals are results, not errors."""
    if verdict in ("reject", "request-changes") and not (reason and reason.strip()):
        raise BBError(f"{verdict} needs a reason", hint='add --reason "what must change"')
    policy, email = decider(workspace)
    statuses, problems = post_statuses(workspace, paths)
    if problems:
        from bloomberry_cli.errors import WorkspaceError

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
            result.commit = commit_decision(workspace, status, DecisionRecord(
                verdict, chosen, status.path, status.content_sha256, email,
                reason.strip() if reason else None))
        results.append(result)
    return results


def _lint_refusal(workspace: Workspace, path: str, today: dt.date | None) -> str | None:
    from bloomberry_cli.governance.lint import lint_post
    from bloomberry_cli.posts import load_post

    errors = [f for f in lint_post(workspace, load_post(workspace.root, path), today=today)
              if f.severity == "error"]
    if not errors:
        return None
    listed = "; ".join(f"{f.line}:{f.column} {f.rule}: {f.message}" for f in errors[:3])
    return f"{len(errors)} lint error(s): {listed}"


def commit_decision(workspace: Workspace, status: PostStatus, record: DecisionRecord) -> str:
    """Commit the post as it is (with any edit the reviewer made) and the decision trailers.
    If anything fails or is interrupted, the index is put back: no half-made decision."""
    root = workspace.root
    path = status.path
    # Signed unless the workspace allows unsigned decisions and no signing key is set up.
    signed = not workspace.config.approvals.allow_unsigned or bool(
        config_value(root, "user.signingkey"))
    committed = False
    try:
        git(root, "add", "--", path)
        sign = ["-S"] if signed else ["--no-gpg-sign"]
        # Usually nothing but the decision changes: the commit is empty apart from its message.
        result = git(root, "commit", "--quiet", "--allow-empty", *sign, "-F", "-", "--", path,
                     input=format_message(record), check=False)
        if result.returncode != 0:
            text = (result.stderr or result.stdout).strip()
            detail = text.splitlines()[-1] if text else "unknown error"
            signing = any(word in text.lower() for word in ("sign", "gpg", "ssh-keygen", "key"))
            raise BBError(f"git could not make the {'signed ' if signed else ''}commit: {detail}",
                          hint="run `bb keys setup` to create and configure a signing key"
                          if signing else None)
        committed = True
    finally:
        if not committed:
            git(root, "reset", "--quiet", "--", path, check=False)
    return git(root, "rev-parse", "HEAD").stdout.strip()
