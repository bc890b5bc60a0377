"""A post's state, derived from the decision trail and its current content: never stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bloomberry_cli.approvals.history import DecisionCommit
from bloomberry_cli.approvals.policy import Policy
from bloomberry_cli.models import Program
from bloomberry_cli.posts import Post

State = Literal["draft", "changes-requested", "rejected", "in-review", "approved", "stale",
                "published"]
_STAGE_STATUS = {"approve": "approved", "reject": "rejected",
                 "request-changes": "changes-requested"}


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class PostStatus:
    post: Post = field(repr=False)  # as read when the status was derived
    content_sha256: str
    stages: dict[str, str]
    state: State
    decisions: list[DecisionCommit] = field(default_factory=list)
    #: Owner of an advocacy campaign whose window and topics this post falls in, if any.
    campaign_owner: str | None = None

    @property
    def path(self) -> str:
        return self.post.path

    @property
    def brief(self) -> str:
        return self.post.meta.brief

    @property
    def participant(self) -> str:
        return self.post.meta.participant

    @property
    def program(self) -> Program:
        return self.post.meta.program

    def next_stage(self) -> str | None:
        return next((s for s, status in self.stages.items() if status != "approved"), None)


def derive(post: Post, content_sha256: str, decisions: list[DecisionCommit], policy: Policy,
           campaign_owner: str | None = None) -> PostStatus:
    """Each required stage's status on the current content, and the post's overall state."""
    stages: dict[str, str] = {}
    for stage in policy.stages(post.meta.participant, post.meta.program,
                               campaign_owner=campaign_owner):
        latest = next((d for d in reversed(decisions) if d.record.stage == stage
                       and d.record.decision in _STAGE_STATUS), None)
        if latest is None:
            stages[stage] = "pending"
        elif latest.record.post_sha256 == content_sha256:
            stages[stage] = _STAGE_STATUS[latest.record.decision]
        else:
            stages[stage] = "stale" if latest.record.decision == "approve" else "pending"
    values = set(stages.values())
    published = any(d.record.decision == "publish" and d.record.post_sha256 == content_sha256
                    for d in decisions)
    state: State
    if published:
        state = "published"
    elif "rejected" in values:
        state = "rejected"
    elif "changes-requested" in values:
        state = "changes-requested"
    elif values == {"approved"}:
        state = "approved"
    elif "stale" in values:
        state = "stale"
    elif "approved" in values:
        state = "in-review"
    else:
        state = "draft"
    return PostStatus(post, content_sha256, stages, state, decisions, campaign_owner)
