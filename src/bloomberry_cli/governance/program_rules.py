"""Rules that look beyond one post: the campaign calendar and near-identical resharing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.program.calendar import post_conflicts


def calendar_conflict(ctx: PostContext) -> Iterator[Finding]:
    conflicts = post_conflicts(ctx.linter.workspace.calendar, ctx.brief, ctx.post.meta.program,
                               ctx.post.meta.scheduled)
    for conflict in conflicts:
        campaign = conflict.campaign
        yield ctx.finding(
            "calendar.conflict", 0, 1,
            f"scheduled {ctx.publish_date}, inside advocacy campaign {campaign.id} "
            f"({campaign.start} to {campaign.end}) on {', '.join(conflict.topics)}",
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
