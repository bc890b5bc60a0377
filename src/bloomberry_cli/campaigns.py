"""Campaign windows and who must see what: pure functions of the calendar, shared by the
calendar.conflict lint rule, the campaign-owner stage, `bb calendar`, review and drafting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bloomberry_cli.models import Brief, Calendar, Campaign


@dataclass(frozen=True)
class Conflict:
    campaign: Campaign
    topics: tuple[str, ...]


def fold_topics(topics: Iterable[str]) -> set[str]:
    return {topic.strip().lower() for topic in topics}


def advocacy_conflicts(
    calendar: Calendar, day: dt.date, topics: Iterable[str], brief: Brief | None = None
) -> list[Conflict]:
    """Advocacy campaigns active on ``day`` that share one of ``topics``.

    The brief's own campaign is exempt (named by the brief, or listing it): its posts were
    briefed with the campaign in view.
    """
    wanted = fold_topics(topics)
    found = []
    for campaign in calendar.campaigns:
        if campaign.program != "advocacy" or not campaign.active_on(day):
            continue
        if brief is not None and (campaign.id == brief.campaign or brief.id in campaign.briefs):
            continue
        shared = wanted & fold_topics(campaign.topics)
        if shared:
            found.append(Conflict(campaign, tuple(sorted(shared))))
    return found


def post_conflicts(
    calendar: Calendar, brief: Brief | None, program: str, scheduled: dt.date | None
) -> list[Conflict]:
    """The campaigns a thought-leadership post falls inside, on its date (or its brief's) and
    topics. The calendar.conflict lint rule, the campaign-owner stage and `bb calendar` all ask
    exactly this."""
    if program != "thought-leadership" or brief is None:
        return []
    day = scheduled or brief.scheduled
    if day is None:
        return []
    return advocacy_conflicts(calendar, day, brief.topics, brief)
