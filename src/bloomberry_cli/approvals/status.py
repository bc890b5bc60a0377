"""Every post's state, from the verified trail: a decision that does not verify never counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.approvals.policy import Policy, workspace_projection
from bloomberry_cli.approvals.state import (
    PostStatus,
    file_sha256,
    overall_state,
    stage_statuses,
)
from bloomberry_cli.approvals.trail import Decision, Trail, read_trail
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.errors import Problem
from bloomberry_cli.gitrepo import git, repo_root, stored_sha256s
from bloomberry_cli.posts import Post, load_posts
from bloomberry_cli.userdirs import cache_dir
from bloomberry_cli.workspace import Workspace

#: Findings about the content at the tip, not about who decided: they leave a post "stale",
#: not "unverified".
_CONTENT_RULES = {"content.changed-after-approval"}


def trail_cache(workspace: Workspace) -> TrailCache:
    git_dir = Path(git(workspace.root, "rev-parse", "--absolute-git-dir").stdout.strip())
    return TrailCache.for_repository(cache_dir(), git_dir)


def open_trail(
    workspace: Workspace, *, trust_root: str | None = None, high_water: str | None = None
) -> Trail | None:
    """The verified trail, or None outside a git repository."""
    if repo_root(workspace.root) is None:
        return None
    return read_trail(
        workspace.root,
        trust_root=trust_root,
        high_water=high_water,
        cache=trail_cache(workspace),
        briefs=workspace.briefs,
    )


def policy_in_force(workspace: Workspace, trail: Trail | None) -> Policy:
    """The policy at the tip; without any commit yet, the files as they are."""
    if trail is None or trail.tip is None:
        return Policy.from_projection(workspace_projection(workspace))
    return trail.policy


def campaign_owner_for(workspace: Workspace, policy: Policy, post: Post) -> str | None:
    """During an advocacy campaign on its topics, a thought-leadership post needs that
    campaign's owner: judged on the post's own date and topics (its brief's if it has none)."""
    brief = workspace.briefs.get(post.meta.brief)
    day = post.meta.scheduled or (brief.scheduled if brief else None)
    topics = post.meta.topics or (list(brief.topics) if brief else [])
    return policy.campaign_owner(post.meta.program, day, topics, post.meta.brief)


def status_of(
    workspace: Workspace, trail: Trail | None, policy: Policy, post: Post, content: str
) -> PostStatus:
    """``content``: the sha256 of the post as git stores it (``post_statuses``)."""
    owner = campaign_owner_for(workspace, policy, post)
    stages = policy.stages(post.meta.participant, post.meta.program, campaign_owner=owner)
    if trail is None:
        return PostStatus(post, content, dict.fromkeys(stages, "pending"), "draft", [], owner)
    decisions = trail.valid_decisions(post.path)
    statuses = stage_statuses(decisions, content, stages, trail.is_ancestor)
    published = any(
        d.record.decision == "publish" and d.record.post_sha256 == content for d in decisions
    )
    violations = trail.history_violations() + [
        v for v in trail.post_violations(post.path) if v.rule not in _CONTENT_RULES
    ]
    state = "unverified" if violations else overall_state(statuses, published)
    return PostStatus(post, content, statuses, state, decisions, owner, violations)


def post_statuses(
    workspace: Workspace, paths: Sequence[Path] | None = None, *, trail: Trail | None = None
) -> tuple[list[PostStatus], list[Problem]]:
    trail = trail if trail is not None else open_trail(workspace)
    policy = policy_in_force(workspace, trail)
    posts, problems = load_posts(workspace.root, list(paths) if paths is not None else None)
    rels = [post.path for post in posts]
    if trail is not None:  # decisions name the post as git stores it (DESIGN, Trail model 11)
        contents = stored_sha256s(workspace.root, rels)
    else:  # no repository: nothing converts it
        contents = {rel: file_sha256(workspace.root / rel) for rel in rels}
    return [
        status_of(workspace, trail, policy, post, contents[post.path]) for post in posts
    ], problems


def verified_decisions(workspace: Workspace) -> dict[str, list[Decision]]:
    """The decisions that verify, by post path, in history order."""
    trail = open_trail(workspace)
    grouped: dict[str, list[Decision]] = {}
    for decision in trail.decisions if trail else []:
        if decision.valid:
            grouped.setdefault(decision.post, []).append(decision)
    return grouped


@dataclass
class StatusRow:
    """One line of `bb status`: the post's state and its lint counts."""

    status: PostStatus
    lint: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        item = self.status
        return {
            "path": item.path,
            "brief": item.brief,
            "participant": item.participant,
            "program": item.program,
            "state": item.state,
            "stages": item.stages,
            "lint": self.lint,
            "violations": [
                {"commit": v.commit, "rule": v.rule, "message": v.message} for v in item.violations
            ],
        }


def status_rows(workspace: Workspace) -> tuple[list[StatusRow], list[Problem]]:
    """Every post's status with its lint error and warning counts."""
    from bloomberry_cli.governance.findings import severity_counts
    from bloomberry_cli.governance.lint import Linter

    statuses, problems = post_statuses(workspace)
    linter = Linter(workspace)
    rows = []
    for item in statuses:
        counts = severity_counts(linter.check(item.post).findings)
        rows.append(StatusRow(item, {"error": counts["error"], "warning": counts["warning"]}))
    return rows, problems
