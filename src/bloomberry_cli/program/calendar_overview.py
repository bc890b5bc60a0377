"""What ``bb calendar`` shows, as data: the timeline, each campaign's briefs and how far their
posts have got, and the conflicts — campaigns that overlap on a topic, posts that fall inside
another owner's campaign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bloomberry_cli.approvals.status import post_statuses
from bloomberry_cli.campaigns import Conflict
from bloomberry_cli.models import Campaign
from bloomberry_cli.program.calendar import (
    Overlap,
    Timeline,
    campaign_overlaps,
    post_conflicts,
    timeline,
)
from bloomberry_cli.workspace import Workspace


@dataclass(frozen=True)
class BriefProgress:
    brief: str
    states: dict[str, int]  # post state → how many posts, states in name order; empty: no drafts


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    briefs: list[BriefProgress]


@dataclass(frozen=True)
class PostConflict:
    path: str
    day: dt.date | None  # the post's scheduled day, else its brief's
    conflict: Conflict


@dataclass(frozen=True)
class CalendarOverview:
    timeline: Timeline
    campaigns: list[CampaignSummary]  # by start date
    overlaps: list[Overlap]
    post_conflicts: list[PostConflict]

    @property
    def has_conflicts(self) -> bool:
        return bool(self.overlaps or self.post_conflicts)


def calendar_overview(workspace: Workspace, today: dt.date) -> CalendarOverview:
    calendar = workspace.calendar
    statuses, _problems = post_statuses(workspace)
    by_brief: dict[str, list[str]] = {}
    for status in statuses:
        by_brief.setdefault(status.brief, []).append(status.state)
    campaigns = [
        CampaignSummary(
            campaign,
            [
                BriefProgress(
                    brief_id,
                    {
                        s: by_brief[brief_id].count(s)
                        for s in sorted(set(by_brief.get(brief_id, [])))
                    },
                )
                for brief_id in campaign.briefs
            ],
        )
        for campaign in sorted(calendar.campaigns, key=lambda c: c.start)
    ]
    conflicts = []
    for status in statuses:
        scheduled = status.post.meta.scheduled
        brief = workspace.briefs.get(status.brief)
        for conflict in post_conflicts(calendar, brief, status.program, scheduled):
            day = scheduled or workspace.briefs[status.brief].scheduled
            conflicts.append(PostConflict(status.path, day, conflict))
    return CalendarOverview(
        timeline(calendar, today), campaigns, campaign_overlaps(calendar), conflicts
    )
