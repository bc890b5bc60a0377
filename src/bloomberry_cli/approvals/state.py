"""One state machine for a post's stages, used by the audit and by every gate.

Stage s is approved for content H iff some valid approval of s for H has every valid reject or
request-changes on the post among its ancestors, and approvals of the earlier stages for H among
its ancestors (DESIGN.md, Trail model 7). Withdrawals win; concurrent approvals coexist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bloomberry_cli.approvals.trailers import WITHDRAWALS
from bloomberry_cli.models import Program
from bloomberry_cli.posts import Post

if TYPE_CHECKING:
    from bloomberry_cli.approvals.trail import Decision, Violation

PostState = Literal[
    "draft",
    "changes-requested",
    "rejected",
    "in-review",
    "approved",
    "stale",
    "published",
    "unverified",
]
StageStatus = Literal["approved", "rejected", "changes-requested", "stale", "pending"]
_WITHDRAWN: dict[str, StageStatus] = {"reject": "rejected", "request-changes": "changes-requested"}


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stage_statuses(
    decisions: Sequence[Decision],
    content: str,
    stages: Sequence[str],
    is_ancestor: Callable[[str, str], bool],
) -> dict[str, StageStatus]:
    """Each stage's status for content hash ``content`` from a post's valid decisions."""
    withdrawals = [d for d in decisions if d.record.decision in WITHDRAWALS]
    approvals = [d for d in decisions if d.record.decision == "approve"]

    def holds(approval: Decision, earlier: Sequence[str]) -> bool:
        if not all(is_ancestor(w.sha, approval.sha) for w in withdrawals):
            return False
        return all(
            any(
                a.record.stage == stage
                and a.record.post_sha256 == content
                and is_ancestor(a.sha, approval.sha)
                for a in approvals
            )
            for stage in earlier
        )

    result: dict[str, StageStatus] = {}
    for index, stage in enumerate(stages):
        mine = [a for a in approvals if a.record.stage == stage]
        if any(a.record.post_sha256 == content and holds(a, stages[:index]) for a in mine):
            result[stage] = "approved"
            continue
        open_withdrawals = [
            w
            for w in withdrawals
            if w.record.stage == stage
            and w.record.post_sha256 == content
            and not any(is_ancestor(w.sha, a.sha) for a in mine)
        ]
        if open_withdrawals:
            verdicts = {w.record.decision for w in open_withdrawals}
            result[stage] = _WITHDRAWN["reject" if "reject" in verdicts else "request-changes"]
        elif any(a.record.post_sha256 != content for a in mine):
            result[stage] = "stale"
        else:
            result[stage] = "pending"
    return result


def overall_state(stages: dict[str, StageStatus], published: bool) -> PostState:
    values = set(stages.values())
    if published:
        return "published"
    if "rejected" in values:
        return "rejected"
    if "changes-requested" in values:
        return "changes-requested"
    if values == {"approved"}:
        return "approved"
    if "stale" in values:
        return "stale"
    if "approved" in values:
        return "in-review"
    return "draft"


@dataclass
class PostStatus:
    post: Post = field(repr=False)  # as read when the status was derived
    content_sha256: str
    stages: dict[str, StageStatus]
    state: PostState
    decisions: list[Decision] = field(default_factory=list)
    #: Owner of an advocacy campaign whose window and topics this post falls in, if any.
    campaign_owner: str | None = None
    #: Violations in this post's own trail: while any stands, the post is ``unverified``.
    violations: list[Violation] = field(default_factory=list)

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
