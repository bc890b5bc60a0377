"""`bb sync`: pull with rebase, audit what arrived, push. Never resolves a conflict silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bloomberry_cli.approvals.audit import Violation, audit
from bloomberry_cli.approvals.decide import check_repository_ready
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import config_value, git


class SyncConflict(BBError):
    exit_code = 1


@dataclass
class SyncResult:
    arrived: int = 0
    pushed: int = 0
    violations: list[Violation] = field(default_factory=list)


def _rev(root: Path, ref: str) -> str | None:
    result = git(root, "rev-parse", "--verify", "--quiet", ref, check=False)
    return result.stdout.strip() or None


def sync(root: Path) -> SyncResult:
    check_repository_ready(root)
    if _rev(root, "@{upstream}") is None:
        raise BBError("this branch has no upstream to sync with",
                      hint="push it once with `git push -u origin HEAD`")
    if git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        raise BBError("you have uncommitted changes to tracked files; bb sync will not move "
                      "them", hint="commit or stash them first (`git status` lists them)")
    before = _rev(root, "@{upstream}")
    git(root, "fetch", "--quiet")
    after = _rev(root, "@{upstream}")
    arrived = git(root, "rev-list", f"{before}..{after}").stdout.split() if before != after \
        else []
    sign = ["--gpg-sign"] if config_value(root, "user.signingkey") else []
    rebase = git(root, "rebase", "--quiet", *sign, "@{upstream}", check=False)
    if rebase.returncode != 0:
        conflicted = git(root, "diff", "--name-only", "--diff-filter=U",
                         check=False).stdout.split()
        git(root, "rebase", "--abort", check=False)
        what = ", ".join(conflicted) or "the same files"
        raise SyncConflict(
            f"your changes and the shared history both changed {what}; nothing was changed here",
            hint="decide which version stands: `git pull --rebase`, resolve, then `bb sync`")
    result = SyncResult(arrived=len(arrived))
    if arrived:
        arrived_set = set(arrived)
        result.violations = [v for v in audit(root).violations if v.commit in arrived_set]
        if result.violations:
            return result  # nothing is pushed on top of history that fails the audit
    ahead = git(root, "rev-list", "--count", "@{upstream}..HEAD").stdout.strip()
    result.pushed = int(ahead or 0)
    if result.pushed:
        push = git(root, "push", "--quiet", check=False)
        if push.returncode != 0:
            lines = (push.stderr or push.stdout).strip().splitlines()
            raise BBError(f"git push failed: {lines[-1] if lines else 'no output'}",
                          hint="someone pushed meanwhile: run `bb sync` again")
    return result
