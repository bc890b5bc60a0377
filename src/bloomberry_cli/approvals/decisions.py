"""Check every decision and waiver in the audited history against the policy in force at its
parent (DESIGN.md, Trail model 2, 5, 6, 7, 9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bloomberry_cli.approvals.effective import EffectiveResult
from bloomberry_cli.approvals.history import CommitInfo
from bloomberry_cli.approvals.policy import ADMIN, AUTHOR, CAMPAIGN_OWNER, Policy
from bloomberry_cli.approvals.postfacts import post_facts, stale_posts
from bloomberry_cli.approvals.projection import Grant
from bloomberry_cli.approvals.signatures import SignatureCheck
from bloomberry_cli.approvals.state import stage_statuses
from bloomberry_cli.approvals.trail import Decision, Trail, Violation
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.approvals.trailers import (
    MalformedMessage,
    kind_of,
    parse_decision,
    parse_waiver,
)
from bloomberry_cli.models import Brief
from bloomberry_cli.posts import post_path


def judge_decisions(
    trail: Trail,
    scope: Sequence[CommitInfo],
    parents: Mapping[str, tuple[str, ...]],
    signature: Callable[[str], SignatureCheck],
    effective: EffectiveResult,
    cache: TrailCache,
    briefs: Mapping[str, Brief],
) -> None:
    candidates: list[tuple[CommitInfo, Decision]] = []
    waivers: list[CommitInfo] = []

    def flag(commit: str, path: str, rule: str, message: str, severity: str = "error") -> None:
        trail.violations.append(Violation(commit, path, rule, message, severity))

    for commit in scope:
        kind = kind_of(commit.message)
        if kind == "waiver":
            waivers.append(commit)
            continue
        if kind != "decision":
            if kind == "other" and "\nBb-" in commit.message:
                flag(
                    commit.sha,
                    "",
                    "decision.malformed",
                    "bb trailers in a commit that is none of bb's; not counted",
                    "warning",
                )
            continue
        try:
            record = parse_decision(commit.message)
        except MalformedMessage as exc:
            flag(
                commit.sha,
                "",
                "decision.malformed",
                f"not a well-formed decision ({exc}); not counted",
                "warning",
            )
            continue
        own = parents[commit.sha]
        if len(commit.parents) != 1 or len(own) != 1 or record.parent != own[0]:
            flag(
                commit.sha,
                record.post,
                "decision.malformed",
                "a decision copied from elsewhere (merge, squash, cherry-pick or rebase: "
                "its Bb-Parent is not its parent); not counted",
                "warning",
            )
            continue
        if not record.post.startswith(trail.prefix):
            continue  # another workspace's decision in the same repository
        rel = record.post[len(trail.prefix) :]
        candidates.append((commit, Decision(commit.sha, own[0], commit.committed, record, rel)))
    trees = {c.sha: c.tree for c in scope}
    facts = post_facts(trail, candidates, trees, cache)
    for commit, decision in candidates:
        _judge(trail, decision, facts[commit.sha], signature, effective, briefs, flag)
        trail.decisions.append(decision)
        trail.by_post.setdefault(decision.post, []).append(decision)
    stale_posts(trail, cache)
    _waive(trail, waivers, signature, effective, flag)


def _judge(
    trail: Trail,
    decision: Decision,
    fact: list[Any],
    signature: Callable[[str], SignatureCheck],
    effective: EffectiveResult,
    briefs: Mapping[str, Brief],
    flag: Callable[..., None],
) -> None:
    record = decision.record
    sha, path = decision.sha, decision.post
    blob_sha256, brief, participant, program, scheduled, topics, only_post, blob = fact
    decision.blob = blob
    if not only_post:
        flag(
            sha,
            path,
            "decision.malformed",
            "a decision commit that changes files other than its post; not counted",
            "warning",
        )
        return
    if participant is None:
        flag(sha, path, "stage.unauthorized", f"{record.post} is not a readable post here")
        return
    if post_path(brief, participant, program) != path:
        flag(
            sha,
            path,
            "decision.malformed",
            "the post's front matter names another path "
            f"({post_path(brief, participant, program)}); not counted",
            "warning",
        )
        return
    decision.participant, decision.program = participant, program
    policy = trail.policy_at(decision.parent)
    before = len(trail.violations)
    check = signature(sha)
    owner = policy.key_owner.get(check.key) if check.key is not None else None
    if check.status == "missing":
        flag(sha, path, "signature.missing", "the decision commit is not signed")
    elif check.status == "bad":
        flag(sha, path, "signature.invalid", f"the signature does not verify {check.detail}")
    elif owner is None:
        flag(
            sha,
            path,
            "signature.unknown-key",
            "signed by a key that no one holds in the policy in force",
        )
    elif owner != record.reviewer:
        flag(
            sha,
            path,
            "signer.mismatch",
            f"signed by {owner}'s key, but the trailer names {record.reviewer}",
        )
    if blob_sha256 != record.post_sha256:
        flag(
            sha,
            path,
            "content.changed-after-approval",
            "the recorded Bb-Post-Sha256 does not match the post in this commit",
        )
    day, post_topics = _when_and_topics(scheduled, topics, briefs.get(brief))
    campaign_owner = policy.campaign_owner(program, day, post_topics, brief)
    author = policy.author_email(participant)
    grants: set[Grant] = {("key", record.reviewer, policy.key_line(check.key))}
    if record.decision == "publish":
        if record.reviewer != author and record.reviewer not in policy.reviewers():
            flag(sha, path, "stage.unauthorized", f"{record.reviewer} may not record a publication")
        stages = policy.stages(participant, program, campaign_owner=campaign_owner)
        earlier = [
            d for d in trail.valid_decisions(path) if trail.is_ancestor(d.sha, decision.parent)
        ]
        status = stage_statuses(earlier, record.post_sha256, stages, trail.is_ancestor)
        missing = [s for s, v in status.items() if v != "approved"]
        if missing:
            withdrawn = [
                s for s in missing if status[s] in ("rejected", "changes-requested")
            ] or any(d.record.decision in ("reject", "request-changes") for d in earlier)
            flag(
                sha,
                path,
                "stage.withdrawn" if withdrawn else "stage.order",
                f"published while {', '.join(missing)} had not approved this content",
            )
    else:
        if record.stage != AUTHOR and record.reviewer == author:
            flag(
                sha,
                path,
                "duties.self-approval",
                f"{record.reviewer} decided the {record.stage} stage of their own post",
            )
        elif not policy.may_decide(record.reviewer, record.stage, participant, campaign_owner):
            flag(
                sha,
                path,
                "stage.unauthorized",
                f"{record.reviewer} does not hold the {record.stage} role for this post",
            )
        grants.add(_stage_grant(record.reviewer, record.stage, participant, policy, campaign_owner))
        if record.decision == "approve":
            _check_order(trail, decision, policy, campaign_owner, flag)
    removal = _concurrent_removal(trail, effective, sha, grants)
    if removal is not None:
        flag(
            sha,
            path,
            "decision.revoked",
            f"made concurrently with {removal[:10]}, which took away a grant it "
            "relies on (a key or role)",
        )
    decision.valid = not any(v.counts for v in trail.violations[before:])


def _concurrent_removal(
    trail: Trail, effective: EffectiveResult, sha: str, grants: set[Grant]
) -> str | None:
    """The removal, concurrent with ``sha``, of a grant its signature relies on (DESIGN.md,
    Trail model 5: decisions, policy changes, signed merges and waivers alike)."""
    for removal in effective.removals:
        if (
            grants & removal.grants
            and not trail.is_ancestor(removal.commit, sha)
            and not trail.is_ancestor(sha, removal.commit)
        ):
            return removal.commit
    return None


def _stage_grant(
    email: str, stage: str, participant: str, policy: Policy, campaign_owner: str | None
) -> Grant:
    if stage == AUTHOR:
        return ("author", email, participant)
    if stage == CAMPAIGN_OWNER:
        campaign = next((c.id for c in policy.campaigns if c.owner == campaign_owner), "")
        return ("owner", email, campaign)
    return ("role", email, stage)


def _check_order(
    trail: Trail,
    decision: Decision,
    policy: Policy,
    campaign_owner: str | None,
    flag: Callable[..., None],
) -> None:
    record = decision.record
    assert decision.participant is not None and decision.program is not None
    stages = policy.stages(
        decision.participant,
        decision.program,  # type: ignore[arg-type]
        campaign_owner=campaign_owner,
    )
    if record.stage not in stages:
        flag(
            decision.sha,
            decision.post,
            "stage.unauthorized",
            f"this post has no {record.stage} stage in the policy in force",
        )
        return
    earlier = stages[: stages.index(record.stage)]
    approvals = [
        d
        for d in trail.valid_decisions(decision.post)
        if d.record.decision == "approve" and d.record.post_sha256 == record.post_sha256
    ]
    missing = [
        s
        for s in earlier
        if not any(
            a.record.stage == s and trail.is_ancestor(a.sha, decision.sha) for a in approvals
        )
    ]
    if missing:
        flag(
            decision.sha,
            decision.post,
            "stage.order",
            f"{record.stage} approved before {', '.join(missing)}",
        )


def _when_and_topics(
    scheduled: str | None, topics: list[str] | None, brief: Brief | None
) -> tuple[dt.date | None, list[str]]:
    day = dt.date.fromisoformat(scheduled) if scheduled else (brief.scheduled if brief else None)
    return day, topics if topics else (list(brief.topics) if brief else [])


def _waive(
    trail: Trail,
    waivers: Sequence[CommitInfo],
    signature: Callable[[str], SignatureCheck],
    effective: EffectiveResult,
    flag: Callable[..., None],
) -> None:
    granted: set[tuple[str, str]] = set()
    for commit in waivers:
        try:
            waiver = parse_waiver(commit.message)
        except MalformedMessage as exc:
            flag(
                commit.sha, "", "decision.malformed", f"not a well-formed waiver ({exc})", "warning"
            )
            continue
        parent = commit.parents[0] if commit.parents else None
        check = signature(commit.sha)
        policy = trail.policy_at(parent) if parent in trail.eff else None
        owner = policy.key_owner.get(check.key) if policy and check.key is not None else None
        if check.status != "good" or owner is None or policy is None or not policy.is_admin(owner):
            flag(
                commit.sha,
                "",
                "stage.unauthorized",
                "a waiver counts only when an admin of the policy in force signed it",
            )
            continue
        used: set[Grant] = {("key", owner, policy.key_line(check.key)), ("role", owner, ADMIN)}
        removal = _concurrent_removal(trail, effective, commit.sha, used)
        if removal is not None:
            flag(
                commit.sha,
                "",
                "decision.revoked",
                f"a waiver made concurrently with {removal[:10]}, which took away the admin "
                "grant it relies on (a key or role); it waives nothing",
            )
            continue
        if waiver.commit not in trail.bit or not trail.is_ancestor(waiver.commit, commit.sha):
            flag(
                commit.sha,
                "",
                "stage.unauthorized",
                f"the waived commit {waiver.commit[:10]} is not an ancestor of the waiver",
            )
            continue
        granted.add((waiver.commit, waiver.rule))
    if granted:
        trail.violations = [
            Violation(
                v.commit, v.path, v.rule, v.message, v.severity, (v.commit, v.rule) in granted
            )
            for v in trail.violations
        ]
