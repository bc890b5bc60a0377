"""Every post's state, from one read of the history."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bloomberry_cli.approvals.history import DecisionCommit, read_decisions
from bloomberry_cli.approvals.policy import Policy
from bloomberry_cli.approvals.state import PostStatus, derive, file_sha256
from bloomberry_cli.errors import Problem
from bloomberry_cli.gitrepo import repo_root
from bloomberry_cli.posts import PostError, find_posts, load_post
from bloomberry_cli.workspace import Workspace


def workspace_policy(workspace: Workspace) -> Policy:
    return Policy.build(workspace.config, workspace.voices)


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
    statuses, problems = [], []
    for rel in find_posts(workspace.root, list(paths) if paths else None):
        try:
            post = load_post(workspace.root, rel)
        except PostError as exc:
            problems.extend(exc.problems)
            continue
        meta = post.meta
        statuses.append(derive(rel, meta.brief, meta.participant, meta.program,
                               file_sha256(workspace.root / rel), history.get(rel, []), policy))
    return statuses, problems
