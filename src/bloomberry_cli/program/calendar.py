"""Campaign windows and the conflicts between them. The lint rule and `bb calendar` share this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bloomberry_cli.campaigns import Conflict, advocacy_conflicts, fold_topics, post_conflicts
from bloomberry_cli.models import Calendar, Campaign

__all__ = [
    "Conflict",
    "advocacy_conflicts",
    "campaign_overlaps",
    "post_conflicts",
    "timeline",
    "to_ics",
]


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
        for second in campaigns[index + 1 :]:
            start, end = max(first.start, second.start), min(first.end, second.end)
            shared = fold_topics(first.topics) & fold_topics(second.topics)
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


def timeline(
    calendar: Calendar, today: dt.date, *, before_weeks: int = 2, after_weeks: int = 2
) -> Timeline:
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
        cells = tuple(
            campaign.start <= week + dt.timedelta(days=6) and campaign.end >= week for week in weeks
        )
        rows.append(TimelineRow(campaign, cells))
    today_week = next(
        (i for i, week in enumerate(weeks) if week <= today <= week + dt.timedelta(days=6)), None
    )
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
        event.add(
            "description",
            "\n".join(
                [
                    f"Program: {campaign.program}",
                    f"Owner: {campaign.owner}",
                    f"Topics: {', '.join(campaign.topics) or '-'}",
                    f"Briefs: {', '.join(campaign.briefs) or '-'}",
                ]
            ),
        )
        if campaign.topics:
            event.add("categories", list(campaign.topics))
        event.add("organizer", f"mailto:{campaign.owner}")
        document.add_component(event)
    return bytes(document.to_ical())
