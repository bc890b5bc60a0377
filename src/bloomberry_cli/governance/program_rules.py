"""``calendar.conflict``: a thought-leadership post inside another advocacy campaign."""

from __future__ import annotations

from collections.abc import Iterator

from bloomberry_cli.campaigns import post_conflicts
from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding


def calendar_conflict(ctx: PostContext) -> Iterator[Finding]:
    conflicts = post_conflicts(
        ctx.linter.workspace.calendar, ctx.brief, ctx.post.meta.program, ctx.post.meta.scheduled
    )
    for conflict in conflicts:
        campaign = conflict.campaign
        yield ctx.finding(
            "calendar.conflict",
            0,
            1,
            f"scheduled {ctx.publish_date}, inside advocacy campaign {campaign.id} "
            f"({campaign.start} to {campaign.end}) on {', '.join(conflict.topics)}",
            suggestion=f"ask the campaign owner, {campaign.owner}, to review it",
        )
