"""One drafted post as `bb draft` reports it: where it went, what lint and the voice score
found, and whether a person should look at it first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.governance.findings import Finding, severity_counts
from bloomberry_cli.governance.resharing import Reshare
from bloomberry_cli.posts import Post, parse_post

Status = Literal["written", "updated", "unchanged", "skipped", "failed", "would write"]


@dataclass
class DraftRow:
    job: DraftJob
    status: Status
    reason: str | None = None
    length: int = 0
    limit: int | None = None
    findings: list[Finding] = field(default_factory=list)
    reasked: list[str] = field(default_factory=list)  # LLM: what a second request fixed
    #: How much it sounds like the person (0–100), where they have Voice Memory.
    voice: int | None = None
    voice_threshold: int | None = None
    #: Whether the draft holds enough of the person's own words for the score to be judged
    #: (``lint.voice_min_words``): a shorter one shows its score without a flag.
    voice_judged: bool = True
    #: Under the threshold because of the person's own words in the brief: what to do.
    voice_note: str | None = None
    #: The campaigns its author was briefed on (``briefing:`` in its front matter).
    briefed: list[str] = field(default_factory=list)
    #: What duplicate.resharing needs of it (advocacy drafts only).
    share: Reshare | None = field(default=None, repr=False)
    #: The drafted post as linted: its text, and the parsed post where this process has it
    #: (a worker's rows come back without it: parsing again costs less than unpickling).
    source: str | None = field(default=None, repr=False)
    parsed: Post | None = field(default=None, repr=False)

    @property
    def text(self) -> str | None:
        """The file's content, for --dry-run."""
        return self.source if self.status == "would write" else None

    @property
    def post(self) -> Post | None:
        if self.parsed is None and self.source is not None:
            self.parsed = parse_post(self.source, self.job.path)
        return self.parsed

    @property
    def over_limit(self) -> bool:
        return bool(self.limit and self.length > self.limit)

    @property
    def below_voice(self) -> bool:
        return (
            self.voice is not None
            and self.voice_judged
            and self.voice_threshold is not None
            and self.voice < self.voice_threshold
        )

    @property
    def voice_unjudged(self) -> bool:
        """Scored, but with too few of the person's own words to judge."""
        return self.voice is not None and not self.voice_judged

    @property
    def needs_attention(self) -> bool:
        """Whether a person should look at this row before review: the summary of a large
        run lists only these."""
        counts = self.counts
        return (
            self.status in ("failed", "skipped")
            or bool(counts["error"] or counts["warning"])
            or self.over_limit
            or self.below_voice
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.job.path,
            "brief": self.job.brief_id,
            "participant": self.job.participant,
            "program": self.job.program,
            "status": self.status,
            "reason": self.reason,
            "length": self.length,
            "limit": self.limit,
            "voice": self.voice,
            "voice_judged": self.voice is not None and self.voice_judged,
            "voice_note": self.voice_note,
            "lint": self.counts,
            "reasked": self.reasked,
            "briefing": self.briefed,
        }

    @property
    def counts(self) -> dict[str, int]:
        return severity_counts(self.findings)
