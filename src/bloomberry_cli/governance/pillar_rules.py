"""``program.off-pillar``: a thought-leadership post on topics far from its author's pillars.

Credibility comes from posting on what a person is known for; the rule tells marketing (as
info, by default) when a brief asks someone to post elsewhere. A post judged by nothing stays
quiet: an author with no pillars (`bb validate` warns about that) or no topics at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.models.common import fold_topics


def off_pillar(ctx: PostContext) -> Iterator[Finding]:
    if ctx.post.meta.program != "thought-leadership" or not ctx.voice.pillars:
        return
    # the topics the post was drafted for (front matter), else its brief's
    topics = ctx.post.meta.topics or (ctx.brief.topics if ctx.brief else [])
    if not topics or fold_topics(topics) & fold_topics(ctx.voice.pillars):
        return
    yield ctx.finding(
        "program.off-pillar",
        0,
        1,
        f"on {', '.join(topics)}, none of {ctx.post.meta.participant}'s pillars "
        f"({', '.join(ctx.voice.pillars)})",
        suggestion="ask someone whose pillars cover it (a 'pillar:' participant in the brief), "
        "or add the topic to their pillars if they are credible on it",
    )
