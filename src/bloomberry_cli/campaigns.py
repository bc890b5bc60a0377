"""Campaign windows and who must see what: pure functions of the calendar, shared by the
calendar.conflict lint rule, the campaign-owner stage, `bb calendar`, review and drafting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bloomberry_cli.models import Brief, Calendar, Campaign


@dataclass(frozen=True)
class Conflict:
    campaign: Campaign
    topics: tuple[str, ...]


def fold_topics(topics: Iterable[str]) -> set[str]:
    return {topic.strip().lower() for topic in topics}


class CampaignLike(Protocol):
    """A campaign as the calendar file has it, or as the trail's policy in force has it."""

    @property
    def id(self) -> str: ...
    @property
    def program(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...
    @property
    def topics(self) -> Collection[str]: ...
    @property
    def briefs(self) -> Collection[str]: ...


C = TypeVar("C", bound=CampaignLike)


def active_on_topics(
    campaigns: Iterable[C],
    day: dt.date,
    topics: Iterable[str],
    exempt: Callable[[C], bool] = lambda _campaign: False,
) -> list[tuple[C, tuple[str, ...]]]:
    """Advocacy campaigns whose window holds ``day`` and that share one of ``topics``, with
    the topics shared: the one rule behind calendar.conflict and the campaign-owner stage."""
    wanted = fold_topics(topics)
    found = []
    for campaign in campaigns:
        if campaign.program != "advocacy" or not campaign.start <= day <= campaign.end:
            continue
        if exempt(campaign):
            continue
        shared = wanted & fold_topics(campaign.topics)
        if shared:
            found.append((campaign, tuple(sorted(shared))))
    return found


def advocacy_conflicts(
    calendar: Calendar, day: dt.date, topics: Iterable[str], brief: Brief | None = None
) -> list[Conflict]:
    """Advocacy campaigns active on ``day`` that share one of ``topics``.

    The brief's own campaign is exempt (named by the brief, or listing it): its posts were
    briefed with the campaign in view.
    """

    def own(campaign: Campaign) -> bool:
        return brief is not None and (campaign.id == brief.campaign or brief.id in campaign.briefs)

    return [
        Conflict(campaign, shared)
        for campaign, shared in active_on_topics(calendar.campaigns, day, topics, own)
    ]


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
