"""`bb sync`: fetch, verify what arrived, integrate by merge, push what this clone made.

A gate, not a hole (DESIGN.md, Trail model 10): a forged decision that arrives is reported and
never counts, but does not lock the team out; an upstream that no longer contains what this
clone verified last (a force-push) is refused; violations made here are never pushed. Other
people's commits are never rebased or re-signed: this clone's work is merged, not replayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bloomberry_cli.approvals.decide import check_repository_ready
from bloomberry_cli.approvals.history import full_commit_id
from bloomberry_cli.approvals.status import open_trail
from bloomberry_cli.approvals.trail import HIGH_WATER_KEY, Violation, branch_high_water_key
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import NO_REPLACE, config_value, current_branch, git
from bloomberry_cli.workspace import Workspace


class SyncRefused(BBError):
    """Sync stopped without changing anything here; exit 1 (the check found a problem)."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, rule: str = "") -> None:
        super().__init__(message, hint=hint)
        self.rule = rule


@dataclass
class SyncResult:
    arrived: int = 0
    pushed: int = 0
    merged: bool = False
    #: Violations in commits that arrived now: reported, never counted.
    arrived_violations: list[Violation] = field(default_factory=list)
    #: Violations elsewhere in the history still standing (not waived).
    standing: int = 0
    #: Violations in this clone's own unpushed commits: nothing was pushed.
    local_violations: list[Violation] = field(default_factory=list)


def _rev(root: Path, ref: str) -> str | None:
    result = git(
        root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False, env=NO_REPLACE
    )
    return result.stdout.strip() or None


def _contains(root: Path, older: str, newer: str) -> bool:
    return (
        git(
            root, "merge-base", "--is-ancestor", older, newer, check=False, env=NO_REPLACE
        ).returncode
        == 0
    )


def sync(workspace: Workspace) -> SyncResult:
    root = workspace.root
    check_repository_ready(root)
    if _rev(root, "@{upstream}") is None:
        _no_upstream(root)
    if git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise BBError(
            "you have uncommitted changes to tracked files; bb sync will not move them",
            hint="commit or stash them first (`git status` lists them)",
        )
    fetched = git(root, "fetch", "--quiet", check=False)
    if not fetched.ok:
        raise BBError(
            f"cannot fetch from the shared repository: {fetched.message}",
            hint="check the remote's address (`git remote -v`) and your network or access; "
            "nothing was changed here",
        )
    upstream = _rev(root, "@{upstream}")
    assert upstream is not None
    key = branch_high_water_key(root)
    assert key is not None  # check_repository_ready refuses a detached HEAD
    mark = config_value(root, key)
    legacy = None if mark else config_value(root, HIGH_WATER_KEY)
    if legacy and _rev(root, legacy) and _contains(root, legacy, upstream):
        # A clone-wide mark (an earlier bb's sync, or a pin) that this upstream contains:
        # this branch's from now on. One it does not contain may be another branch's.
        mark = legacy
    if mark:
        mark = full_commit_id(mark, "high-water mark", f"git config {key}")
    if mark and not (_rev(root, mark) and _contains(root, mark, upstream)):
        raise SyncRefused(
            f"the shared history no longer contains {mark[:12]}, the last commit this clone "
            "verified: someone rewrote it (a force-push). Nothing was merged or pushed",
            hint="ask an admin what happened; protect the branch against force-pushes on the "
            "git host",
            rule="history.rewritten",
        )
    head = _rev(root, "HEAD")
    assert head is not None
    arrived = git(root, "rev-list", f"{head}..{upstream}", env=NO_REPLACE).stdout.split()
    result = SyncResult(arrived=len(arrived))
    if arrived:
        result.merged = _integrate(root, head, upstream)
    trail = open_trail(workspace)
    assert trail is not None
    arrived_set = set(arrived)
    local = set(git(root, "rev-list", f"{upstream}..HEAD", env=NO_REPLACE).stdout.split())
    for violation in trail.violations:
        if not violation.counts:
            continue
        if violation.commit in arrived_set:
            result.arrived_violations.append(violation)
        elif violation.commit in local and violation.rule not in ("history.multiple-roots",):
            result.local_violations.append(violation)
        else:
            result.standing += 1
    git(root, "config", key, upstream)
    if mark and mark == legacy:  # moved to this branch's key: it no longer speaks for all
        git(root, "config", "--unset", HIGH_WATER_KEY, check=False)
    if result.local_violations:
        return result  # never push a violation made here
    ahead = git(root, "rev-list", "--count", "@{upstream}..HEAD", env=NO_REPLACE).stdout.strip()
    result.pushed = int(ahead or 0)
    if result.pushed:
        push = git(root, "push", "--quiet", check=False)
        if not push.ok:
            raced = any(word in push.message for word in ("fetch first", "non-fast-forward"))
            raise SyncRefused(
                f"git push failed: {push.message}",
                hint="someone pushed meanwhile: run `bb sync` again"
                if raced
                else "nothing was pushed; your commits are still here",
            )
        git(root, "config", key, _rev(root, "HEAD") or upstream)
    return result


def _no_upstream(root: Path) -> None:
    """Why there is nothing to sync with, and the git command that fixes it."""
    remotes = git(root, "remote").stdout.split()
    if not remotes:
        raise BBError(
            "this repository has no remote to sync with",
            hint="add the team's shared repository, then push once: `git remote add origin "
            "URL` and `git push -u origin HEAD`",
        )
    branch = current_branch(root)
    remote = "origin" if "origin" in remotes else remotes[0]
    raise BBError(
        f"this branch ({branch or 'HEAD'}) has no upstream to sync with",
        hint=f"push it once with `git push -u {remote} HEAD`",
    )


def _integrate(root: Path, head: str, upstream: str) -> bool:
    """Fast-forward when this clone has nothing new; otherwise merge (signed, when a key is
    set up). True when a merge commit was made."""
    if _contains(root, head, upstream):
        git(root, "merge", "--quiet", "--ff-only", upstream)
        return False
    sign = ["-S"] if config_value(root, "user.signingkey") else []
    name = git(root, "rev-parse", "--abbrev-ref", "@{upstream}", check=False).stdout.strip()
    message = f"bb sync: merge {name or upstream[:12]}"
    merge = git(root, "merge", "--quiet", "--no-ff", "-m", message, *sign, upstream, check=False)
    if merge.returncode != 0:
        conflicted = git(root, "diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
        git(root, "merge", "--abort", check=False)
        what = ", ".join(conflicted) or "the same files"
        raise SyncRefused(
            f"your changes and the shared history both changed {what}; nothing was changed here",
            # not `git pull`: since git 2.27 it refuses diverged branches unless told how,
            # and with pull.rebase it would rebase this clone's decisions, which then no
            # longer count (Bb-Parent names the commit each was made on)
            hint="merge by hand: `git merge @{upstream}`, fix the files it names, "
            "`git commit`, then `bb sync` (not `git pull --rebase`: a rebased decision "
            "no longer counts)",
        )
    return True
