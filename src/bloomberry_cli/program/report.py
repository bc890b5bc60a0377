"""The seed's separate KPIs. Advocacy: reach inside each campaign window, participation, time
from approval to share. Thought leadership: engagement quality (comments and reposts per
thousand impressions, not likes), inbound conversations, pipeline influence, and its slope."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from bloomberry_cli.program.cadence import Cadence, Publication, cadence, publications
from bloomberry_cli.program.metrics import MetricRow, read_store
from bloomberry_cli.workspace import Workspace
from bloomberry_cli.workspace.pillars import program_topics, writes_thought_leadership


@dataclass
class CampaignKpi:
    campaign: str
    name: str
    start: dt.date
    end: dt.date
    reach_in_window: float
    reach_outside: float
    invited: int
    published_in_window: int
    hours_to_share: float | None  # median, approval → publication
    #: Publications recorded as before their approval (`bb publish --at` an earlier day): no
    #: delay to count, and worth a look.
    shared_before_approval: int = 0

    @property
    def participation(self) -> float:
        return self.published_in_window / self.invited if self.invited else 0.0

    @property
    def share_delay(self) -> str:
        """The median approval → share delay as the report shows it."""
        shown = "–" if self.hours_to_share is None else f"{self.hours_to_share:.1f} h"
        if self.shared_before_approval:
            shown += f" ({self.shared_before_approval} before approval)"
        return shown


@dataclass
class PersonKpi:
    participant: str
    name: str
    posts: int
    impressions: float
    comments: float
    reposts: float
    inbound: float
    pipeline: float
    weekly_quality: list[tuple[dt.date, float]] = field(default_factory=list)

    @property
    def quality(self) -> float:
        """Comments and reposts per thousand impressions."""
        return 1000 * (self.comments + self.reposts) / self.impressions if self.impressions else 0.0

    @property
    def slope(self) -> float | None:
        """Change in weekly engagement quality per week (least squares)."""
        if len(self.weekly_quality) < 2:
            return None
        xs = [(week - self.weekly_quality[0][0]).days / 7 for week, _ in self.weekly_quality]
        ys = [quality for _, quality in self.weekly_quality]
        return statistics.linear_regression(xs, ys).slope


@dataclass(frozen=True)
class PillarCoverage:
    """One topic of the program: who holds it as a pillar and who posted on it lately."""

    pillar: str
    holders: tuple[str, ...]  # thought-leadership participants with it among their pillars
    active: tuple[str, ...]  # those of them with a thought-leadership post on it in the window

    @property
    def uncovered(self) -> bool:
        """No active voice: nobody holds it, or nobody who does posted on it."""
        return not self.active


@dataclass
class Report:
    generated: dt.date
    campaigns: list[CampaignKpi]
    people: list[PersonKpi]
    cadence: list[Cadence]
    publications: int
    pillars: list[PillarCoverage] = field(default_factory=list)
    window_days: int = 30

    @property
    def uncovered_pillars(self) -> list[PillarCoverage]:
        return [p for p in self.pillars if p.uncovered]


def pillar_coverage(workspace: Workspace, cadence_rows: list[Cadence]) -> list[PillarCoverage]:
    """Every topic the program uses or someone holds as a pillar, with its voices."""
    by_person = {row.participant: row for row in cadence_rows}
    holders: dict[str, list[str]] = {topic: [] for topic in program_topics(workspace)}
    active: dict[str, list[str]] = {}
    for voice_id, voice in workspace.voices.items():
        if not writes_thought_leadership(voice):
            continue
        row = by_person.get(voice_id)
        for pillar in voice.pillars:
            key = pillar.strip().lower()
            holders.setdefault(key, []).append(voice_id)
            if row is not None and row.pillars.get(pillar):
                active.setdefault(key, []).append(voice_id)
    return [
        PillarCoverage(topic, tuple(holders[topic]), tuple(active.get(topic, ())))
        for topic in sorted(holders)
    ]


def _invited(workspace: Workspace, brief_ids: list[str]) -> set[str]:
    from bloomberry_cli.drafting.selection import plan_jobs

    invited = set()
    for brief_id in brief_ids:
        if brief_id in workspace.briefs:
            invited |= {j.participant for j in plan_jobs(workspace, brief_id, program="advocacy")}
    return invited


def _campaign_kpis(
    workspace: Workspace, published: list[Publication], metrics: list[MetricRow]
) -> list[CampaignKpi]:
    program_of = {p.path: p for p in published}
    found = []
    for campaign in workspace.calendar.campaigns:
        if campaign.program != "advocacy":
            continue
        briefs = set(campaign.briefs) | {
            b for b, brief in workspace.briefs.items() if brief.campaign == campaign.id
        }
        mine = [p for p in published if p.brief in briefs and p.program == "advocacy"]
        paths = {p.path for p in mine}
        inside = sum(
            m.get("impressions") for m in metrics if m.post in paths and campaign.active_on(m.date)
        )
        outside = sum(
            m.get("impressions")
            for m in metrics
            if m.post in paths and not campaign.active_on(m.date)
        )
        invited = _invited(workspace, sorted(briefs))
        shared = {p.participant for p in mine if campaign.active_on(p.published_at.date())}
        delays = [
            (p.published_at - p.approved_at).total_seconds() / 3600
            for p in mine
            if p.approved_at is not None and p.path in program_of
        ]
        early = sum(delay < 0 for delay in delays)
        delays = [delay for delay in delays if delay >= 0]
        found.append(
            CampaignKpi(
                campaign.id,
                campaign.name or campaign.id,
                campaign.start,
                campaign.end,
                inside,
                outside,
                len(invited),
                len(shared & invited),
                statistics.median(delays) if delays else None,
                early,
            )
        )
    return found


def _person_kpis(
    workspace: Workspace, published: list[Publication], metrics: list[MetricRow]
) -> list[PersonKpi]:
    tl = {p.path: p for p in published if p.program == "thought-leadership"}
    people = []
    for voice_id, voice in workspace.voices.items():
        rows = [m for m in metrics if m.post in tl and tl[m.post].participant == voice_id]
        weeks: dict[dt.date, list[MetricRow]] = {}
        for row in rows:
            weeks.setdefault(row.date - dt.timedelta(days=row.date.weekday()), []).append(row)
        weekly = []
        for week in sorted(weeks):
            impressions = sum(r.get("impressions") for r in weeks[week])
            engaged = sum(r.get("comments") + r.get("reposts") for r in weeks[week])
            if impressions:
                weekly.append((week, 1000 * engaged / impressions))
        people.append(
            PersonKpi(
                voice_id,
                voice.name,
                sum(p.participant == voice_id for p in tl.values()),
                sum(r.get("impressions") for r in rows),
                sum(r.get("comments") for r in rows),
                sum(r.get("reposts") for r in rows),
                sum(r.get("inbound") for r in rows),
                sum(r.get("pipeline") for r in rows),
                weekly,
            )
        )
    return people


def build_report(workspace: Workspace, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    published = publications(workspace)
    metrics = list(read_store(workspace.root).values())
    rows = cadence(workspace, published, today)
    return Report(
        today,
        _campaign_kpis(workspace, published, metrics),
        _person_kpis(workspace, published, metrics),
        rows,
        len(published),
        pillar_coverage(workspace, rows),
        workspace.config.program.window_days,
    )
