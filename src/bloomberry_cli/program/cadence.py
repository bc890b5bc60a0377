"""Publications from the trail, and each person's ratio and cadence over a window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bloomberry_cli.approvals.status import verified_decisions
from bloomberry_cli.models.common import fold_topics
from bloomberry_cli.posts import PostError, load_post
from bloomberry_cli.workspace import Workspace


@dataclass(frozen=True)
class Publication:
    path: str
    brief: str
    participant: str
    program: str
    published_at: dt.datetime
    url: str | None
    approved_at: dt.datetime | None  # the last approval before it went out
    #: The topics it was drafted for (its front matter, else its brief's).
    topics: tuple[str, ...] = ()


def publications(workspace: Workspace) -> list[Publication]:
    found = []
    for path, decisions in verified_decisions(workspace).items():
        publish = next((d for d in reversed(decisions) if d.record.decision == "publish"), None)
        if publish is None:
            continue
        try:
            post = load_post(workspace.root, path)
        except PostError:
            continue
        stamp = publish.record.published_at
        when = (
            dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else publish.committed
        )
        approvals = [
            d.committed
            for d in decisions
            if d.record.decision == "approve" and d.committed <= publish.committed
        ]
        brief = workspace.briefs.get(post.meta.brief)
        topics = post.meta.topics or (brief.topics if brief else [])
        found.append(
            Publication(
                path,
                post.meta.brief,
                post.meta.participant,
                post.meta.program,
                when,
                publish.record.url,
                max(approvals) if approvals else None,
                tuple(topics),
            )
        )
    return sorted(found, key=lambda p: p.published_at)


@dataclass(frozen=True)
class Cadence:
    participant: str
    name: str
    advocacy: int
    original: int
    target_ratio: tuple[int, int]
    target_original: float
    target_advocacy: float
    #: Thought-leadership posts on each of the person's pillars in the window (a post on two
    #: of them counts for both), in the order the voice file lists them.
    pillars: dict[str, int] = field(default_factory=dict)

    @property
    def quiet_pillars(self) -> list[str]:
        """Their pillars with no post in the window."""
        return [pillar for pillar, posts in self.pillars.items() if not posts]

    @property
    def pillars_text(self) -> str:
        return ", ".join(f"{pillar} {posts}" for pillar, posts in self.pillars.items()) or "–"

    @property
    def ratio_ok(self) -> bool:
        """At least the target number of original posts per advocacy share."""
        shares, originals = self.target_ratio
        return self.original * shares >= self.advocacy * originals

    @property
    def original_gap(self) -> float:
        return self.target_original - self.original

    @property
    def ratio_text(self) -> str:
        return f"{self.advocacy}:{self.original}"

    @property
    def posted(self) -> bool:
        """Whether they published anything in the window: 0:0 is no ratio at all."""
        return bool(self.advocacy or self.original)

    @property
    def ratio_verdict(self) -> str:
        """'no posts yet', 'on target' or 'below 1:2', in words a report reader uses."""
        if not self.posted:
            return "no posts yet"
        if self.ratio_ok:
            return "on target"
        return f"below {self.target_ratio[0]}:{self.target_ratio[1]}"


def cadence(
    workspace: Workspace, published: list[Publication], end: dt.date, days: int | None = None
) -> list[Cadence]:
    """Per participant, posts published in the ``days`` up to and including ``end``."""
    program = workspace.config.program
    days = days or program.window_days
    start = end - dt.timedelta(days=days - 1)
    ratio = (program.ratio.get("advocacy", 1), program.ratio.get("thought-leadership", 2))
    rows = []
    for voice_id, voice in workspace.voices.items():
        mine = [
            p
            for p in published
            if p.participant == voice_id and start <= p.published_at.date() <= end
        ]
        per_month = {**program.cadence_per_month, **voice.cadence_per_month}
        months = days / 30.0
        rows.append(
            Cadence(
                voice_id,
                voice.name,
                sum(p.program == "advocacy" for p in mine),
                sum(p.program == "thought-leadership" for p in mine),
                ratio,
                round(per_month.get("thought-leadership", 0) * months, 1)
                if "thought-leadership" in voice.programs
                else 0.0,
                round(per_month.get("advocacy", 0) * months, 1)
                if "advocacy" in voice.programs
                else 0.0,
                pillar_counts(
                    voice.pillars, [p for p in mine if p.program == "thought-leadership"]
                ),
            )
        )
    return rows


def pillar_counts(pillars: list[str], posts: list[Publication]) -> dict[str, int]:
    """Posts per pillar; topics compare without case."""
    folded = [fold_topics(p.topics) for p in posts]
    return {
        pillar: sum(pillar.strip().lower() in topics for topics in folded) for pillar in pillars
    }
