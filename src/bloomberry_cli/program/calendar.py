"""Campaign windows and the conflicts between them. The lint rule and `bb calendar` share this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bloomberry_cli.models import Brief, Calendar, Campaign


@dataclass(frozen=True)
class Conflict:
    campaign: Campaign
    topics: tuple[str, ...]


def _fold(topics: Iterable[str]) -> set[str]:
    return {topic.strip().lower() for topic in topics}


def advocacy_conflicts(calendar: Calendar, day: dt.date, topics: Iterable[str],
                       brief: Brief | None = None) -> list[Conflict]:
    """Advocacy campaigns active on ``day`` that share one of ``topics``.

    The brief's own campaign is exempt (named by the brief, or listing it): its posts were
    briefed with the campaign in view.
    """
    wanted = _fold(topics)
    found = []
    for campaign in calendar.campaigns:
        if campaign.program != "advocacy" or not campaign.active_on(day):
            continue
        if brief is not None and (campaign.id == brief.campaign or brief.id in campaign.briefs):
            continue
        shared = wanted & _fold(campaign.topics)
        if shared:
            found.append(Conflict(campaign, tuple(sorted(shared))))
    return found


def post_conflicts(calendar: Calendar, brief: Brief | None, program: str,
                   scheduled: dt.date | None) -> list[Conflict]:
    """The campaigns a thought-leadership post falls inside, on its date (or its brief's) and
    topics. The calendar.conflict lint rule, the campaign-owner stage and `bb calendar` all ask
    exactly this."""
    if program != "thought-leadership" or brief is None:
        return []
    day = scheduled or brief.scheduled
    if day is None:
        return []
    return advocacy_conflicts(calendar, day, brief.topics, brief)


@dataclass(frozen=True)
class Overlap:
    first: Campaign
    second: Campaign
    topics: tuple[str, ...]
    start: dt.date
    end: dt.date


def campaign_overlaps(calendar: Calendar) -> list[Overlap]:
    """Pairs of campaigns whose windows overlap and that share a topic."""
    found = []
    campaigns = sorted(calendar.campaigns, key=lambda c: (c.start, c.id))
    for index, first in enumerate(campaigns):
        for second in campaigns[index + 1:]:
            start, end = max(first.start, second.start), min(first.end, second.end)
            shared = _fold(first.topics) & _fold(second.topics)
            if start <= end and shared:
                found.append(Overlap(first, second, tuple(sorted(shared)), start, end))
    return found


@dataclass(frozen=True)
class TimelineRow:
    campaign: Campaign
    cells: tuple[bool, ...]  # one per week: is the campaign running that week?


@dataclass(frozen=True)
class Timeline:
    weeks: tuple[dt.date, ...]  # the Monday of each week shown
    today_week: int | None
    rows: tuple[TimelineRow, ...]


def timeline(calendar: Calendar, today: dt.date, *, before_weeks: int = 2,
             after_weeks: int = 2) -> Timeline:
    """Weeks across, campaigns down: from a little before today (or the first campaign) to a
    little after the last campaign ends."""
    starts = [c.start for c in calendar.campaigns] + [today]
    ends = [c.end for c in calendar.campaigns] + [today]
    first = min(min(starts), today - dt.timedelta(weeks=before_weeks))
    last = max(ends) + dt.timedelta(weeks=after_weeks)
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(weeks=1)
    rows = []
    for campaign in sorted(calendar.campaigns, key=lambda c: (c.start, c.id)):
        cells = tuple(campaign.start <= week + dt.timedelta(days=6) and campaign.end >= week
                      for week in weeks)
        rows.append(TimelineRow(campaign, cells))
    today_week = next((i for i, week in enumerate(weeks)
                       if week <= today <= week + dt.timedelta(days=6)), None)
    return Timeline(tuple(weeks), today_week, tuple(rows))


def to_ics(calendar: Calendar, company: str, stamp: dt.datetime) -> bytes:
    """An iCalendar file of the campaigns, as all-day events (Google Calendar, Outlook)."""
    import icalendar

    document = icalendar.Calendar()
    document.add("prodid", "-//bloomberry//bb//EN")
    document.add("version", "2.0")
    document.add("x-wr-calname", f"{company} campaigns")
    for campaign in calendar.campaigns:
        event = icalendar.Event()
        event.add("uid", f"{campaign.id}@bb.campaigns")
        event.add("dtstamp", stamp)
        event.add("summary", f"[{campaign.program}] {campaign.name or campaign.id}")
        event.add("dtstart", campaign.start)
        event.add("dtend", campaign.end + dt.timedelta(days=1))  # DTEND is exclusive
        event.add("description", "\n".join([
            f"Program: {campaign.program}", f"Owner: {campaign.owner}",
            f"Topics: {', '.join(campaign.topics) or '-'}",
            f"Briefs: {', '.join(campaign.briefs) or '-'}"]))
        if campaign.topics:
            event.add("categories", list(campaign.topics))
        event.add("organizer", f"mailto:{campaign.owner}")
        document.add_component(event)
    return document.to_ical()
