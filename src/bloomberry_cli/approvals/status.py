"""Every post's state, from one read of the history."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bloomberry_cli.approvals.history import DecisionCommit, read_decisions
from bloomberry_cli.approvals.policy import Policy
from bloomberry_cli.approvals.state import PostStatus, derive, file_sha256
from bloomberry_cli.errors import Problem
from bloomberry_cli.gitrepo import repo_root
from bloomberry_cli.posts import Post, load_posts
from bloomberry_cli.program.calendar import post_conflicts
from bloomberry_cli.workspace import Workspace


def workspace_policy(workspace: Workspace) -> Policy:
    policy = Policy.build(workspace.config, workspace.voices)
    policy.campaign_owners = {c.owner for c in workspace.calendar.campaigns
                              if c.program == "advocacy"}
    return policy


def campaign_owner_for(workspace: Workspace, post: Post) -> str | None:
    """During another advocacy campaign on its topics, a thought-leadership post needs that
    campaign's owner: the same conflict as the calendar.conflict lint rule."""
    conflicts = post_conflicts(workspace.calendar, workspace.briefs.get(post.meta.brief),
                               post.meta.program, post.meta.scheduled)
    return conflicts[0].campaign.owner if conflicts else None


def decisions_by_post(workspace: Workspace) -> dict[str, list[DecisionCommit]]:
    grouped: dict[str, list[DecisionCommit]] = {}
    if repo_root(workspace.root) is None:
        return grouped
    for decision in read_decisions(workspace.root):
        grouped.setdefault(decision.record.post, []).append(decision)
    return grouped


def post_statuses(workspace: Workspace, paths: Sequence[Path] | None = None
                  ) -> tuple[list[PostStatus], list[Problem]]:
    policy = workspace_policy(workspace)
    history = decisions_by_post(workspace)
    posts, problems = load_posts(workspace.root, list(paths) if paths is not None else None)
    statuses = []
    for post in posts:
        statuses.append(derive(post, file_sha256(workspace.root / post.path),
                               history.get(post.path, []), policy,
                               campaign_owner_for(workspace, post)))
    return statuses, problems
