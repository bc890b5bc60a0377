"""The verified trail: one reading of the history that every command acts on.

``read_trail`` walks the ancestors of the tip that descend from the trust root, computes the
policy in force at each commit, checks every decision against it, and keeps only the decisions
that verify. ``bb audit`` reports its violations; ``bb status``, ``publish``, ``export``,
``review``, ``draft`` and ``sync`` count only its valid decisions.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bloomberry_cli.approvals.effective import (
    EffectiveResult,
    PolicyGraph,
    Projections,
    Removal,
    compute_effective,
)
from bloomberry_cli.approvals.history import (
    CommitInfo,
    check_history,
    full_commit_id,
    read_graph,
    require_repo,
)
from bloomberry_cli.approvals.openpgp import is_armored
from bloomberry_cli.approvals.policy import Policy
from bloomberry_cli.approvals.policyfiles import PolicyFiles, policy_file_of
from bloomberry_cli.approvals.signatures import SignatureCheck, SignatureChecker
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.approvals.trailers import DecisionRecord, has_trailers, kind_of
from bloomberry_cli.gitrepo import NO_REPLACE, config_value, current_branch, git, read_objects
from bloomberry_cli.models import Brief

Severity = str  # "error" | "warning"
#: A clone-wide high-water pin (and where an earlier bb's sync kept every branch's mark).
HIGH_WATER_KEY = "bb.highWater"
#: Rules that put the whole history in doubt: which root is trusted is unknown (an orphan
#: branch merged in as a first parent would otherwise become the root trusted on first use),
#: or commits this clone verified are gone (a force-push dropped, say, a reject).
DISTRUSTED_HISTORY = frozenset({"history.multiple-roots", "history.rewritten"})


@dataclass(frozen=True)
class Violation:
    commit: str
    path: str
    rule: str
    message: str
    severity: Severity = "error"
    waived: bool = False

    @property
    def counts(self) -> bool:
        """Whether it fails the audit."""
        return self.severity == "error" and not self.waived


@dataclass
class Decision:
    sha: str
    parent: str
    committed: dt.datetime
    record: DecisionRecord
    post: str  # workspace-relative path
    participant: str | None = None
    program: str | None = None
    valid: bool = False
    blob: str = ""  # the post's object id in the decision commit


@dataclass
class Trail:
    top: Path
    prefix: str
    tip: str | None = None
    trust_root: str | None = None
    trust: str = "none"  # pinned | first-use | none
    policy: Policy = field(default_factory=lambda: Policy.from_projection({}))
    decisions: list[Decision] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    eff: dict[str, int] = field(default_factory=dict)
    projections: Projections = field(default_factory=Projections)
    #: The policy projection of the tip's files as committed (None outside the audited history).
    tip_projection: Mapping[str, Any] | None = None
    cache: TrailCache = field(default_factory=lambda: TrailCache(None))
    #: Every judged decision by post path, in history order.
    by_post: dict[str, list[Decision]] = field(default_factory=dict)
    anc: dict[str, int] = field(default_factory=dict)
    bit: dict[str, int] = field(default_factory=dict)

    def is_ancestor(self, older: str, newer: str) -> bool:
        """``older`` is ``newer`` or one of its ancestors (``older`` must be an event)."""
        return older == newer or bool((self.anc.get(newer, 0) >> self.bit[older]) & 1)

    def policy_at(self, commit: str) -> Policy:
        return self.projections.policy(self.eff[commit])

    def valid_decisions(self, post: str) -> list[Decision]:
        return [d for d in self.by_post.get(post, ()) if d.valid]

    def post_violations(self, post: str) -> list[Violation]:
        return [v for v in self.violations if v.path == post and v.counts]

    def history_violations(self) -> list[Violation]:
        """Findings that the audited history itself cannot be trusted (a second root with no
        pin, a rewrite): every decision in it is in doubt, so every post is."""
        return [v for v in self.violations if v.rule in DISTRUSTED_HISTORY and v.counts]

    @property
    def ok(self) -> bool:
        return not any(v.counts for v in self.violations)


def trust_root_setting(top: Path, given: str | None) -> str | None:
    return given or os.environ.get("BB_TRUST_ROOT") or config_value(top, "bb.trustRoot")


def branch_high_water_key(top: Path) -> str | None:
    """Where `bb sync` keeps the last commit it verified on the checked-out branch: one mark
    per branch, since a clone's branches need not contain each other (after a sync of main, a
    branch kept from before would read as rewritten). None on a detached HEAD."""
    branch = current_branch(top)
    return f"branch.{branch}.bbHighWater" if branch else None


def high_water_setting(top: Path, given: str | None) -> str | None:
    """``--high-water``, BB_HIGH_WATER, the checked-out branch's mark (`bb sync`), or a pin
    of the clone's own (`git config bb.highWater`), in that order."""
    pinned = given or os.environ.get("BB_HIGH_WATER")
    if pinned:
        return pinned
    key = branch_high_water_key(top)
    return (config_value(top, key) if key else None) or config_value(top, HIGH_WATER_KEY)


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def read_trail(
    workspace_root: Path,
    *,
    trust_root: str | None = None,
    high_water: str | None = None,
    cache: TrailCache | None = None,
    briefs: Mapping[str, Brief] | None = None,
    tip: str = "HEAD",
) -> Trail:
    """The verified trail of the workspace at ``workspace_root``, as of ``tip``."""
    top = require_repo(workspace_root)
    check_history(top)
    prefix = git(workspace_root, "rev-parse", "--show-prefix").stdout.strip()
    trail = Trail(top, prefix)
    head = git(
        top, "rev-parse", "--verify", "--quiet", f"{tip}^{{commit}}", check=False, env=NO_REPLACE
    ).stdout.strip()
    if not head:
        return trail  # no commits yet: nothing decided
    trail.tip = head
    cache = trail.cache = cache or TrailCache(None)
    commits = read_graph(top, head)
    scope = _audited(trail, commits, trust_root_setting(top, trust_root))
    _check_high_water(trail, high_water_setting(top, high_water))
    files = PolicyFiles(top, prefix, cache)
    entries = files.entries(c.tree for c in scope)
    rows = {c.sha: entries[c.tree] for c in scope}
    proj: dict[str, int] = {}
    interned: dict[str, tuple[int, list[str]]] = {}
    for commit in scope:
        key = ",".join(rows[commit.sha])
        if key not in interned:
            value, found = files.projection(rows[commit.sha])
            interned[key] = (trail.projections.intern(value), found)
        proj[commit.sha], links = interned[key]
        if links and all(rows[p] != rows[commit.sha] for p in _parents(trail, commit)):
            trail.violations.append(
                Violation(
                    commit.sha,
                    prefix + links[0],
                    "path.symlink",
                    f"{', '.join(links)}: a symbolic link where a "
                    "policy file belongs; it is not read",
                )
            )
    if head in proj:
        trail.tip_projection = trail.projections.values[proj[head]]
    parents = {c.sha: _parents(trail, c) for c in scope}
    messages = {c.sha: c.message for c in scope}
    events = _events(scope, proj, parents)
    _ancestry(trail, scope, parents, events)
    armored = {key for value in trail.projections.values for key in _armored_keys(value)}
    checker = SignatureChecker(top, cache, armored)
    try:
        _judge_trail(trail, scope, messages, proj, events, checker, cache, briefs or {})
    finally:
        checker.close()
    cache.save()
    return trail


def _armored_keys(projection: Mapping[str, object]) -> list[str]:
    found = []
    for name, value in projection.items():
        if name.startswith(("reviewer:", "voice:")) and isinstance(value, dict):
            found += [k for k in value.get("keys", []) if is_armored(k)]
    return found


def _judge_trail(
    trail: Trail,
    scope: list[CommitInfo],
    messages: dict[str, str],
    proj: dict[str, int],
    events: list[str],
    checker: SignatureChecker,
    cache: TrailCache,
    briefs: Mapping[str, Brief],
) -> None:
    from bloomberry_cli.approvals.decisions import judge_decisions

    top, head = trail.top, trail.tip or ""
    parents = {c.sha: _parents(trail, c) for c in scope}
    signatures = _Signatures(top, checker, [c for c in events if c in messages])
    graph = PolicyGraph(
        [c.sha for c in scope],
        parents,
        messages,
        proj,
        trail.projections,
        signatures.check,
        lambda ps: _merge_bases(top, ps),
        lambda a, b: not trail.is_ancestor(a, b) and not trail.is_ancestor(b, a),
    )
    result = _effective(graph)
    trail.eff = result.eff
    trail.policy = (
        trail.projections.policy(result.eff[head])
        if head in result.eff
        else Policy.from_projection({})
    )
    for finding in result.findings:
        path = trail.prefix + policy_file_of(trail.top / trail.prefix, finding.fields)
        trail.violations.append(Violation(finding.commit, path, finding.rule, finding.message))
    judge_decisions(trail, scope, parents, signatures.check, result, cache, briefs)


def _effective(graph: PolicyGraph) -> EffectiveResult:
    """Removals void concurrent policy signatures, and voiding can change what is removed:
    iterate to a fixed point (one or two passes in practice)."""
    void: list[Removal] = []
    result = compute_effective(graph)
    for _ in range(4):
        if result.removals == void:
            break
        void = result.removals
        result = compute_effective(graph, void)
    return result


def _parents(trail: Trail, commit: CommitInfo) -> tuple[str, ...]:
    return tuple(p for p in commit.parents if p in trail.anc)


def _audited(trail: Trail, commits: list[CommitInfo], pinned: str | None) -> list[CommitInfo]:
    """The commits that descend from the trust root; the others are reported and ignored."""
    roots = [c.sha for c in commits if not c.parents]
    if pinned:
        root = full_commit_id(pinned, "trust root", "--trust-root, BB_TRUST_ROOT, bb.trustRoot")
        trail.trust = "pinned"
        if root not in {c.sha for c in commits}:
            trail.violations.append(
                Violation(
                    trail.tip or "",
                    "",
                    "history.rewritten",
                    f"the trust root {root[:12]} is not in this history: it was rewritten, or the "
                    "pin is wrong",
                )
            )
            return []
    else:
        trail.trust = "first-use"
        root = roots[0] if len(roots) == 1 else _first_parent_root(commits)
        if len(roots) > 1:
            trail.violations.append(
                Violation(
                    trail.tip or "",
                    "",
                    "history.multiple-roots",
                    f"this history has {len(roots)} root commits, so the first one cannot be "
                    "trusted on first use; pin the real one with `git config bb.trustRoot "
                    "<full commit id>` (or --trust-root)",
                )
            )
    trail.trust_root = root
    inside: set[str] = set()
    scope = []
    for commit in commits:
        kept = [p for p in commit.parents if p in inside]
        if commit.sha == root or kept:
            inside.add(commit.sha)
            trail.anc[commit.sha] = 0
            scope.append(commit)
            if commit.sha != root and len(kept) < len(commit.parents):
                trail.violations.append(
                    Violation(
                        commit.sha,
                        "",
                        "history.foreign-root",
                        "a parent of this merge does not descend from the trust root; it and its "
                        "decisions are ignored",
                        severity="warning",
                    )
                )
    return scope


def _first_parent_root(commits: list[CommitInfo]) -> str:
    by_sha = {c.sha: c for c in commits}
    current = commits[-1]
    while current.parents:
        current = by_sha[current.parents[0]]
    return current.sha


def _check_high_water(trail: Trail, mark: str | None) -> None:
    if not mark or trail.tip is None:
        return
    found = full_commit_id(
        mark,
        "high-water mark",
        "--high-water, BB_HIGH_WATER, branch.<name>.bbHighWater or bb.highWater",
    )
    if found in trail.anc:
        return
    trail.violations.append(
        Violation(
            trail.tip,
            "",
            "history.rewritten",
            f"the last verified commit {mark[:12]} is not in this history: someone rewrote it "
            "(a force-push); ask an admin before going on, and protect the branch on the host",
        )
    )


def _events(
    scope: Sequence[CommitInfo], proj: dict[str, int], parents: dict[str, tuple[str, ...]]
) -> list[str]:
    """Commits whose ancestry matters: bb's own commits, policy changes, what waivers name."""
    found: dict[str, None] = {}
    for commit in scope:
        if has_trailers(commit.message) or any(
            proj[p] != proj[commit.sha] for p in parents[commit.sha]
        ):
            found[commit.sha] = None
        if kind_of(commit.message) == "waiver":
            for word in commit.message.split():
                if len(word) == 40 and word in proj:
                    found[word] = None
    return list(found)


def _ancestry(
    trail: Trail,
    scope: Sequence[CommitInfo],
    parents: dict[str, tuple[str, ...]],
    events: list[str],
) -> None:
    """For every commit, the set of events among its ancestors, as the bits of one int."""
    trail.bit = {sha: index for index, sha in enumerate(events)}
    for commit in scope:
        value = 0
        for parent in parents[commit.sha]:
            value |= trail.anc[parent]
        index = trail.bit.get(commit.sha)
        trail.anc[commit.sha] = value | (1 << index) if index is not None else value


def _merge_bases(top: Path, commits: Sequence[str]) -> list[str]:
    result = git(top, "merge-base", "--all", "--octopus", *commits, check=False, env=NO_REPLACE)
    return result.stdout.split()


class _Signatures:
    """Signature checks for the commits that need one, raw commits read in one batch."""

    def __init__(self, top: Path, checker: SignatureChecker, commits: list[str]) -> None:
        self.top = top
        self.checker = checker
        missing = [c for c in commits if checker.cached(c) is None]
        self.raw = dict(zip(missing, read_objects(top, missing), strict=True))
        self._done: dict[str, SignatureCheck] = {}

    def check(self, sha: str) -> SignatureCheck:
        found = self._done.get(sha)
        if found is None:
            raw = self.raw.get(sha)
            if raw is None and self.checker.cached(sha) is None:
                [raw] = read_objects(self.top, [sha])
            found = self._done[sha] = self.checker.check(sha, raw or b"")
        return found
