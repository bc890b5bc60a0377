"""Admin acts on the trail: ``bb policy commit`` (consent to a policy change), ``bb policy
show`` and ``bb waive`` (acknowledge a violation that was looked into)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bloomberry_cli.approvals.decide import (
    POLICY_PATHS,
    check_repository_ready,
    current_identity,
)
from bloomberry_cli.approvals.policy import ADMIN, MARKETING, Policy, workspace_projection
from bloomberry_cli.approvals.projection import (
    changed_fields,
    claims_only,
    grants,
    projection_hash,
    removed_grants,
)
from bloomberry_cli.approvals.status import open_trail, policy_in_force
from bloomberry_cli.approvals.trail import Trail
from bloomberry_cli.approvals.trailers import (
    WaiverRecord,
    format_policy_message,
    format_waiver_message,
)
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import git
from bloomberry_cli.workspace import Workspace


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class PolicyChange:
    changes: list[FieldChange] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    added: list[tuple[str, str, str]] = field(default_factory=list)
    policy_hash: str = ""
    commit: str | None = None


def pending_change(workspace: Workspace, trail: Trail | None = None) -> PolicyChange:
    """The files' policy against the policy in force: what a `bb policy commit` consents to.
    ``trail``: one already read."""
    trail = trail or open_trail(workspace)
    in_force = policy_in_force(workspace, trail).projection
    files = workspace_projection(workspace)
    result = PolicyChange(policy_hash=projection_hash(files))
    for name in changed_fields(in_force, files):
        result.changes.append(FieldChange(name, in_force.get(name), files.get(name)))
    result.removed = sorted(grants(in_force) - grants(files))
    result.added = sorted(grants(files) - grants(in_force))
    return result


def commit_policy(
    workspace: Workspace, summary: str | None, *, compromised: bool = False, new_root: bool = False
) -> PolicyChange:
    """Commit the policy files, signed, with the consent trailer. Refused unless the person
    is an admin (or marketing, for claims only) of the policy in force.

    ``new_root``: the team's first real policy (after `bb init`, no one holds the example's
    keys): commit it and pin it as this clone's trust root instead of asking for consent."""
    root = workspace.root
    check_repository_ready(root)
    trail = open_trail(workspace)
    policy = policy_in_force(workspace, trail)
    files = workspace_projection(workspace)
    change = pending_change(workspace, trail)
    if not change.changes:
        raise BBError("the policy files match the policy in force: nothing to consent to")
    if new_root:
        new_policy = Policy.from_projection(files)
        email = current_identity(root, new_policy)
        if not new_policy.is_admin(email):
            raise BBError(
                f"{email} is not an admin in the new policy; the trail's first "
                "policy is committed by one of its admins"
            )
    else:
        try:
            email = current_identity(root, policy)
        except BBError as exc:
            raise BBError(
                exc.message,
                hint="if this is your team's first real policy after `bb init` (no one holds "
                "the example's keys), run `bb policy commit --new-root`",
            ) from None
    role_needed = MARKETING if claims_only(policy.projection, files) else ADMIN
    if not new_root and not (
        policy.is_admin(email) or (role_needed == MARKETING and policy.has_role(email, MARKETING))
    ):
        raise BBError(
            f"{email} is not an admin in the policy in force; only an admin may "
            "change it (marketing may change claims.yaml alone)",
            hint="ask an admin to run `bb policy commit`",
        )
    if removed_grants(policy.projection, files, compromised=compromised) and not summary:
        summary = "bb: policy change (removes a grant)"
    message = format_policy_message(
        summary or "bb: policy change", change.policy_hash, compromised=compromised
    )
    paths = [p for p in POLICY_PATHS if (root / p).exists() or _tracked(workspace, p)]
    git(root, "add", "-A", "--", *paths)
    result = git(
        root,
        "commit",
        "--quiet",
        "-S",
        "--allow-empty",
        "-F",
        "-",
        "--",
        *paths,
        input=message,
        check=False,
    )
    if not result.ok:
        git(root, "reset", "--quiet", "--", *paths, check=False)
        raise BBError(
            f"git could not make the signed commit: {result.message}",
            hint="run `bb keys setup` to create and configure a signing key",
        )
    change.commit = git(root, "rev-parse", "HEAD").stdout.strip()
    if new_root:
        git(root, "config", "bb.trustRoot", change.commit)
    return change


def _tracked(workspace: Workspace, path: str) -> bool:
    return bool(git(workspace.root, "ls-files", "--", path).stdout.strip())


#: Findings about the whole history, each reported at whatever the tip is: what to do instead.
_NOT_WAIVABLE = {
    "history.rewritten": "once an admin has looked into the rewrite and accepts the history as "
    "it is now, record that in each clone: `git config branch.<name>.bbHighWater <the "
    "upstream's full id>` for the branch (and `git config --unset bb.highWater` if set) "
    "(or, for a trust root no longer in the history, pin the right one: `git config "
    "bb.trustRoot <full id>`)",
    "history.multiple-roots": "pin the root your team trusts: `git config bb.trustRoot <full id>`",
    "history.unpinned": "pin the root your team trusts: `git config bb.trustRoot <full id>` "
    "(in CI: BB_TRUST_ROOT)",
}


def waive(workspace: Workspace, commit: str, rule: str, reason: str) -> str:
    """An admin-signed commit acknowledging one violation; it stops failing the audit."""
    if not reason.strip():
        raise BBError("a waiver needs a reason", hint='add --reason "what was looked into"')
    if rule in _NOT_WAIVABLE:
        raise BBError(
            f"{rule} is about the history as a whole, not one commit: a waiver cannot "
            "acknowledge it (it would name a tip the waiver itself moves on from)",
            hint=_NOT_WAIVABLE[rule],
        )
    root = workspace.root
    check_repository_ready(root)
    trail = open_trail(workspace)
    assert trail is not None
    policy = policy_in_force(workspace, trail)
    email = current_identity(root, policy)
    if not policy.is_admin(email):
        raise BBError(
            f"{email} is not an admin in the policy in force; only an admin may waive a violation"
        )
    full = git(
        root, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}", check=False
    ).stdout.strip()
    matching = [v for v in trail.violations if v.commit == full and v.rule == rule]
    if not full or not matching:
        known = sorted({v.rule for v in trail.violations if full and v.commit == full})
        raise BBError(
            f"the audit reports no {rule} in {commit}",
            hint=f"that commit has: {', '.join(known)}"
            if known
            else "`bb audit` lists the violations with their commits",
        )
    if all(v.waived for v in matching):
        raise BBError(
            f"{rule} in {commit} is already waived: nothing was committed",
            hint="`bb audit` lists it as waived",
        )
    message = format_waiver_message(WaiverRecord(full, rule, reason.strip()))
    head = git(root, "rev-parse", "HEAD").stdout.strip()
    # commit-tree, not commit: a waiver records nothing from the index, whatever is staged
    made = git(
        root,
        "commit-tree",
        "-S",
        "-p",
        head,
        "-F",
        "-",
        f"{head}^{{tree}}",
        input=message,
        check=False,
    )
    if not made.ok:
        raise BBError(
            f"git could not make the signed commit: {made.message}",
            hint="run `bb keys setup` to create and configure a signing key",
        )
    new = made.stdout.strip()
    git(root, "update-ref", "-m", f"bb waive {rule}", "HEAD", new, head)
    return new
