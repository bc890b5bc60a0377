"""Whose turn it is: every post awaiting a stage the person at the keyboard may decide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bloomberry_cli.approvals.policy import AUTHOR, Policy
from bloomberry_cli.approvals.state import PostStatus
from bloomberry_cli.approvals.status import open_trail, policy_in_force, post_statuses
from bloomberry_cli.approvals.trail import Trail
from bloomberry_cli.workspace import Workspace


@dataclass
class QueueItem:
    status: PostStatus
    stage: str
    deadline: dt.date | None


def _deadline(workspace: Workspace, brief_id: str) -> dt.date | None:
    brief = workspace.briefs.get(brief_id)
    if brief is None:
        return None
    campaign = workspace.campaign(brief.campaign)
    return campaign.end if campaign else brief.scheduled


def next_stage_for(status: PostStatus, email: str, policy: Policy) -> str | None:
    """The post's first unapproved stage, if this person may decide it now."""
    if status.state in ("rejected", "changes-requested", "published"):
        return None
    stage = status.next_stage()
    if stage is None or not policy.may_decide(
        email, stage, status.participant, status.campaign_owner
    ):
        return None
    if stage != AUTHOR and policy.author_email(status.participant) == email:
        return None
    return stage


def build_queue(
    workspace: Workspace,
    email: str,
    *,
    brief: str | None = None,
    program: str | None = None,
    trail: Trail | None = None,
) -> list[QueueItem]:
    """Oldest campaign deadline first; posts without one last. ``trail``: one already read."""
    trail = trail or open_trail(workspace)
    policy = policy_in_force(workspace, trail)
    statuses, _problems = post_statuses(workspace, trail=trail)
    items = []
    for status in statuses:
        if brief is not None and status.brief != brief:
            continue
        if program is not None and status.program != program:
            continue
        stage = next_stage_for(status, email, policy)
        if stage is not None:
            items.append(QueueItem(status, stage, _deadline(workspace, status.brief)))
    items.sort(key=lambda i: (i.deadline is None, i.deadline or dt.date.max, i.status.path))
    return items


@dataclass
class ChangeRequest:
    """A reviewer asked the author for changes; the post waits for a new version."""

    path: str
    stage: str
    reviewer: str
    reason: str


def change_requests(status: PostStatus) -> list[ChangeRequest]:
    """The open request-changes on a post's current content, newest last."""
    requested = [stage for stage, value in status.stages.items() if value == "changes-requested"]
    found = []
    for decision in status.decisions:
        record = decision.record
        if (
            record.decision == "request-changes"
            and record.stage in requested
            and record.post_sha256 == status.content_sha256
        ):
            found.append(
                ChangeRequest(status.path, record.stage, record.reviewer, record.reason or "")
            )
    return found


def requested_of(
    workspace: Workspace, email: str, trail: Trail | None = None
) -> list[ChangeRequest]:
    """Change requests on the posts this person authors."""
    trail = trail or open_trail(workspace)
    policy = policy_in_force(workspace, trail)
    statuses, _problems = post_statuses(workspace, trail=trail)
    return [
        request
        for status in statuses
        if status.state == "changes-requested" and policy.author_email(status.participant) == email
        for request in change_requests(status)
    ]
