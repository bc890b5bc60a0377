"""The policy in force at every commit (DESIGN.md, Trail model 3–5).

Validity follows ancestry only: a change to the projection takes effect when an admin of the
policy in force signed it with a ``Bb-Policy`` trailer naming exactly what they consented to;
anything else is reported and never takes effect, also for the commits after it. Merges get the
policy one of their parents had, a clean field-by-field merge, or (when neither fits) the
strictest combination of their parents' policies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bloomberry_cli.approvals.policy import ADMIN, MARKETING, Policy
from bloomberry_cli.approvals.projection import (
    INVALID,
    Grant,
    canonical,
    changed_fields,
    claims_only,
    projection_hash,
    removed_grants,
    strictest,
    three_way,
)
from bloomberry_cli.approvals.signatures import SignatureCheck
from bloomberry_cli.approvals.trailers import MalformedMessage, kind_of, parse_policy

#: Why a consent did not count when its signer is in no policy in force: what a team's first
#: real policy (`bb policy commit --new-root`) looks like to a clone that has not pinned it.
UNKNOWN_SIGNER = "it is signed by a key the policy in force does not know"


@dataclass(frozen=True)
class PolicyFinding:
    commit: str
    rule: str
    message: str
    #: The projection fields it is about (which file to look in).
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Removal:
    commit: str
    grants: frozenset[Grant]


class Projections:
    """Projections interned by content: equal policies share one id, compared as ints."""

    def __init__(self) -> None:
        self.values: list[dict[str, Any]] = []
        self._ids: dict[str, int] = {}
        self._policies: dict[int, Policy] = {}

    def intern(self, projection: dict[str, Any]) -> int:
        key = canonical(projection)
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = len(self.values)
            self.values.append(projection)
        return found

    def policy(self, pid: int) -> Policy:
        policy = self._policies.get(pid)
        if policy is None:
            policy = self._policies[pid] = Policy.from_projection(self.values[pid])
        return policy


@dataclass
class EffectiveResult:
    eff: dict[str, int] = field(default_factory=dict)
    authorized: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    findings: list[PolicyFinding] = field(default_factory=list)
    #: Signatures that relied on a grant: commit → the grants they used.
    relied: dict[str, set[Grant]] = field(default_factory=dict)


@dataclass
class PolicyGraph:
    """What the policy computation needs to know about the audited history."""

    order: Sequence[str]  # parents before children
    parents: dict[str, tuple[str, ...]]  # parents inside the audited history only
    messages: dict[str, str]
    proj: dict[str, int]  # commit → interned projection of its files
    projections: Projections
    signature: Callable[[str], SignatureCheck]
    merge_bases: Callable[[Sequence[str]], list[str]]
    concurrent: Callable[[str, str], bool]


def compute_effective(graph: PolicyGraph, void: Sequence[Removal] = ()) -> EffectiveResult:
    """One pass in topological order. ``void`` are the removals found by an earlier pass: a
    policy signature concurrent with one that took its grant away does not count."""
    result = EffectiveResult()
    values = graph.projections.values
    auth_bit: dict[str, int] = {}
    reach: dict[str, int] = {}  # commit → bitset of authorised changes among its ancestors
    for commit in graph.order:
        parents = graph.parents[commit]
        own = graph.proj[commit]
        if not parents:
            result.eff[commit] = own  # the trust root
            reach[commit] = 0
            continue
        effs = [result.eff[p] for p in parents]
        reached = 0
        for parent in parents:
            reached |= reach[parent]
        if len(parents) == 1:
            parent_eff = effs[0]
            if own in (graph.proj[parents[0]], parent_eff):
                result.eff[commit] = parent_eff
            else:
                why = _consent(graph, commit, own, [parent_eff], void, result)
                if why is None:
                    result.eff[commit] = own
                    _authorised(result, commit, auth_bit)
                    _record_removal(result, graph, commit, [parent_eff], own)
                else:
                    result.eff[commit] = parent_eff
                    fields = changed_fields(values[parent_eff], values[own])
                    changed = ", ".join(fields[:4])
                    result.findings.append(
                        PolicyFinding(
                            commit,
                            "policy.unsigned-change",
                            f"the policy changed ({changed}) without consent: {why}; the change "
                            "is not in force (`bb policy commit` records one with an admin's "
                            "signature)",
                            tuple(fields),
                        )
                    )
        else:
            result.eff[commit] = _merge(graph, commit, parents, effs, void, result, reach, auth_bit)
        reach[commit] = reached | auth_bit.get(commit, 0)
    return result


def _authorised(result: EffectiveResult, commit: str, auth_bit: dict[str, int]) -> None:
    auth_bit[commit] = 1 << len(auth_bit)
    result.authorized.append(commit)


def _record_removal(
    result: EffectiveResult, graph: PolicyGraph, commit: str, befores: Sequence[int], after: int
) -> None:
    message = graph.messages[commit]
    try:
        _hash, compromised = parse_policy(message)
    except MalformedMessage:
        compromised = False
    values = graph.projections.values
    gone: set[Grant] | None = None
    for before in befores:
        lost = removed_grants(values[before], values[after], compromised=compromised)
        gone = lost if gone is None else gone & lost
    if gone:
        result.removals.append(Removal(commit, frozenset(gone)))


def _consent(
    graph: PolicyGraph,
    commit: str,
    new: int,
    parent_effs: Sequence[int],
    void: Sequence[Removal],
    result: EffectiveResult,
) -> str | None:
    """None when ``commit`` carries an authorised consent to projection ``new``; else why not."""
    values = graph.projections.values
    if INVALID in values[new]:
        return "the policy files do not load here: " + "; ".join(values[new][INVALID])[:200]
    message = graph.messages[commit]
    if kind_of(message) != "policy":
        return "the commit carries no Bb-Policy consent"
    try:
        consented, _compromised = parse_policy(message)
    except MalformedMessage as exc:
        return f"its Bb-Policy trailer is malformed ({exc})"
    if consented != projection_hash(values[new]):
        return "its Bb-Policy names another policy than the files hold"
    check = graph.signature(commit)
    if check.status != "good":
        return "it is not signed" if check.status == "missing" else "its signature is invalid"
    used: set[Grant] = set()
    for parent_eff in parent_effs:
        policy = graph.projections.policy(parent_eff)
        owner = policy.key_owner.get(check.key) if check.key is not None else None
        if owner is None:
            return UNKNOWN_SIGNER
        role = ADMIN if policy.is_admin(owner) else None
        if (
            role is None
            and claims_only(values[parent_eff], values[new])
            and policy.has_role(owner, MARKETING)
        ):
            role = MARKETING
        if role is None:
            return f"{owner} is not an admin in the policy in force"
        used |= {("key", owner, policy.key_line(check.key)), ("role", owner, role)}
    result.relied[commit] = used
    for removal in void:
        if (
            removal.commit != commit
            and used & removal.grants
            and graph.concurrent(commit, removal.commit)
        ):
            return f"its signer's grant was removed concurrently in {removal.commit[:10]}"
    return None


def _merge(
    graph: PolicyGraph,
    commit: str,
    parents: Sequence[str],
    effs: Sequence[int],
    void: Sequence[Removal],
    result: EffectiveResult,
    reach: dict[str, int],
    auth_bit: dict[str, int],
) -> int:
    own = graph.proj[commit]
    projections = graph.projections
    if (
        kind_of(graph.messages[commit]) == "policy"
        and _consent(graph, commit, own, effs, void, result) is None
    ):
        _authorised(result, commit, auth_bit)
        _record_removal(result, graph, commit, effs, own)
        return own
    for index, parent in enumerate(parents):
        if own not in (effs[index], graph.proj[parent]):
            continue
        mine = reach[parent]
        if all(reach[other] & ~mine == 0 for other in parents if other != parent):
            return effs[index]
    if len(set(effs)) == 1 and own in effs:
        return effs[0]
    bases = graph.merge_bases(parents)
    base_effs = [result.eff[b] for b in bases if b in result.eff]
    merged = (
        three_way([projections.values[e] for e in effs], [projections.values[e] for e in base_effs])
        if base_effs
        else None
    )
    if merged is not None and projections.intern(merged) == own:
        return own
    combined = projections.intern(strictest([projections.values[e] for e in effs]))
    result.findings.append(
        PolicyFinding(
            commit,
            "policy.changed-in-merge",
            "this merge's policy files match neither parent's policy in force nor a clean "
            "merge of them; until an admin records the merged policy (`bb policy commit`), "
            "the strictest combination of the parents' policies is in force",
            tuple(
                sorted(
                    {
                        name
                        for e in effs
                        for name in changed_fields(projections.values[e], projections.values[own])
                    }
                )
            ),
        )
    )
    return combined
