"""A template draft shaped to the person's Voice Memory: a few layouts of the same lines,
scored as `bb draft` scores the draft, and the best kept.

The lines themselves (their take or intro, the wording, bb's context line, their sign-off)
are chosen before; what varies is how a person lays them out, which is part of their voice:
one paragraph or several, their emoji after their own line or after bb's, their own hashtags
or none. Every layout is a post a person would post; the scorer (voice/fidelity.py, through
its public ``score_post``) only decides which of them sounds most like this person. Without
Voice Memory the default layout is kept.

Their usual opener in front of their take was tried too: it lifts scores (an opener is strong
evidence to the scorer) but reads as glue ("Unpopular opinion: this is the kind of thing I
want…", "Something I keep hearing on calls: proud to have been…"), so no layout does it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.models import Voice
from bloomberry_cli.posts import Post, PostMeta
from bloomberry_cli.workspace import Workspace


@dataclass(frozen=True)
class Layout:
    one_paragraph: bool = False
    emoji_inline: bool = False
    own_hashtags: bool = True


DEFAULT = Layout()


def tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def layouts(context: dict[str, Any], voice: Voice) -> Iterator[Layout]:
    """The layouts worth trying for this draft, the default first."""
    memory = voice.memory
    if memory is None:
        yield DEFAULT
        return
    advocacy = context.get("program") == "advocacy"
    own_tags = [t for t in context.get("hashtags", []) if t not in context.get("brief_tags", [])]
    knobs = {
        "one_paragraph": [False, True]
        if advocacy or (context.get("rest_notes") and not context.get("rest_as_list"))
        else [False],
        "emoji_inline": [False, True]
        if advocacy and context.get("emoji") and not context.get("asks_for_line")
        else [False],
        "own_hashtags": [True, False] if own_tags else [True],
    }
    for values in itertools.product(*knobs.values()):
        yield Layout(**dict(zip(knobs, values, strict=True)))


def apply(context: dict[str, Any], layout: Layout) -> dict[str, Any]:
    """The template context laid out as ``layout`` says."""
    if layout == DEFAULT:
        return context
    shaped = dict(context)
    shaped["one_paragraph"] = layout.one_paragraph
    shaped["emoji_inline"] = layout.emoji_inline
    if not layout.own_hashtags:
        shaped["hashtags"] = [t for t in context["hashtags"] if t in context.get("brief_tags", [])]
    return shaped


def voice_score(workspace: Workspace, job: DraftJob, body: str) -> int | None:
    """The score `bb draft` shows for this body (voice/fidelity.py's ``score_post``)."""
    from bloomberry_cli.voice.fidelity import score_post

    brief = workspace.briefs[job.brief_id]
    meta = PostMeta(
        brief=job.brief_id, participant=job.participant, program=job.program, channel=brief.channel
    )
    scored = score_post(workspace, Post(job.path, meta, body, 1))
    return scored.score if scored is not None else None


def best(
    workspace: Workspace,
    job: DraftJob,
    context: dict[str, Any],
    draw: Callable[[dict[str, Any]], str],
    only: Layout | None = None,
) -> tuple[str, dict[str, Any], Layout]:
    """The best-scoring layout's text, context and layout; the default where scores tie or
    the person has no Voice Memory. A layout over the channel's limit never wins over one
    within it. ``only``: that layout, unscored (where it leaves out the wording, the
    default)."""
    voice = workspace.voices[job.participant]
    limit = context.get("limit")
    chosen: tuple[tuple[bool, int], str, dict[str, Any], Layout] | None = None
    seen: set[str] = set()
    candidates = [only, DEFAULT] if only is not None else list(layouts(context, voice))
    for layout in candidates:
        shaped = apply(context, layout)
        text = tidy(draw(shaped))
        message = context.get("message")
        if text in seen or (message and layout != DEFAULT and message not in text):
            continue  # a layout that leaves out the wording it was given is no layout of it
        seen.add(text)
        if voice.memory is None or only is not None:
            return text, shaped, layout
        fits = limit is None or len(text) <= limit
        rank = (fits, voice_score(workspace, job, text) or 0)
        if chosen is None or rank > chosen[0]:
            chosen = (rank, text, shaped, layout)
    assert chosen is not None
    return chosen[1], chosen[2], chosen[3]
