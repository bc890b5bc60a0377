"""The part of a post that should sound like its participant, and its score."""

from __future__ import annotations

import re

from bloomberry_cli.posts import Post
from bloomberry_cli.voice.score import VoiceScore, score_text
from bloomberry_cli.workspace import Workspace

_URL = re.compile(r"https?://\S+")
_HASHTAG_LINE = re.compile(r"^\s*(?:#\w+\s*)+$", re.M)


def own_words(workspace: Workspace, post: Post) -> str:
    """The body without links, hashtag lines, the disclosure and, in advocacy posts, the
    company's own message: an advocacy post shares the company's words by design, so only the
    person's intro and framing can sound like them."""
    text = _URL.sub(" ", post.body)
    text = _HASHTAG_LINE.sub(" ", text)
    config = workspace.config
    disclosure = config.disclosure.text.format(company=config.company.name)
    text = text.replace(disclosure, " ")
    brief = workspace.briefs.get(post.meta.brief)
    if post.meta.program == "advocacy" and brief and brief.advocacy:
        flat = " ".join(text.split())
        for variant in brief.advocacy.variants:  # whichever wording this person was given
            message = " ".join(variant.split())
            if message in flat:
                text = flat = flat.replace(message, " ")
    return text.strip()


def score_post(workspace: Workspace, post: Post) -> VoiceScore | None:
    """None when the participant has no Voice Memory yet."""
    voice = workspace.voices.get(post.meta.participant)
    if voice is None or not voice.memory:
        return None
    return score_text(own_words(workspace, post), voice.memory, voice.name)
