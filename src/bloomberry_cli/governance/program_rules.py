"""Rules that look beyond one post: the campaign calendar and near-identical resharing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.program.calendar import advocacy_conflicts


def calendar_conflict(ctx: PostContext) -> Iterator[Finding]:
    day = ctx.publish_date
    if ctx.post.meta.program != "thought-leadership" or day is None or ctx.brief is None:
        return
    topics = ctx.brief.topics
    own = ctx.brief.campaign
    for conflict in advocacy_conflicts(ctx.linter.workspace.calendar, day, topics,
                                       ctx.post.meta.brief):
        if conflict.campaign.id == own:
            continue
        campaign = conflict.campaign
        yield ctx.finding(
            "calendar.conflict", 0, 1,
            f"scheduled {day}, inside advocacy campaign {campaign.id} ({campaign.start} to "
            f"{campaign.end}) on {', '.join(conflict.topics)}",
            suggestion=f"ask the campaign owner, {campaign.owner}, to review it")


_WORD = re.compile(r"\w+")


Shingles = frozenset[int]


def shingles(text: str) -> Shingles:
    """Hashed word 3-grams of the text. Python's string hash differs between runs but not
    between a process and its forked lint workers, and shingles never outlive a run."""
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(map(hash, zip(words, words[1:], words[2:], strict=False)))


def similarity(a: Shingles, b: Shingles) -> float:
    """Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)  # |a ∪ b| follows from it: one set operation, not two
    return shared / (len(a) + len(b) - shared)
