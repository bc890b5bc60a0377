"""Campaign windows and the conflicts between them. The lint rule and `bb calendar` share this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bloomberry_cli.models import Calendar, Campaign


@dataclass(frozen=True)
class Conflict:
    campaign: Campaign
    topics: tuple[str, ...]


def _fold(topics: Iterable[str]) -> set[str]:
    return {topic.strip().lower() for topic in topics}


def advocacy_conflicts(calendar: Calendar, day: dt.date, topics: Iterable[str],
                       brief_id: str | None = None) -> list[Conflict]:
    """Advocacy campaigns active on ``day`` that share a topic with a thought-leadership post.

    A campaign's own briefs are exempt: their posts were briefed with the campaign in view.
    """
    wanted = _fold(topics)
    found = []
    for campaign in calendar.campaigns:
        if campaign.program != "advocacy" or not campaign.active_on(day):
            continue
        if brief_id is not None and brief_id in campaign.briefs:
            continue
        shared = wanted & _fold(campaign.topics)
        if shared:
            found.append(Conflict(campaign, tuple(sorted(shared))))
    return found
