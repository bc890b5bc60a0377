"""How much a draft sounds like its person, and what to do when it does not.

A template draft is built around the person's own words from the brief (their take, their
notes), which it may not rewrite. When those words score under the threshold by themselves,
no layout can lift the draft above them: the note says so, and that the fix is the person
writing them in their own words, not a redraft."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bloomberry_cli.drafting.pools import flat
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.posts import Post
from bloomberry_cli.workspace import Workspace

if TYPE_CHECKING:
    from bloomberry_cli.voice.fidelity import VoiceFit


def voice_fit(workspace: Workspace, post: Post) -> VoiceFit | None:
    """The draft's Voice Memory score, judged: the one place drafting asks the voice
    scorer."""
    voice = workspace.voices.get(post.meta.participant)
    if voice is None or not voice.memory:
        return None  # without asking: most drafts of a first run need no voice scorer loaded
    from bloomberry_cli.voice.fidelity import fit_post

    return fit_post(workspace, post)


def given_words_note(workspace: Workspace, job: DraftJob, post: Post, fit: VoiceFit) -> str | None:
    """Why a draft under the threshold is there, where the reason is the person's words in
    the brief: None when those words reach the threshold by themselves (or the draft holds
    none of them)."""
    from bloomberry_cli.voice.fidelity import score_as

    body = flat(post.body)
    kinds = [("take", job.take)] if job.take else []
    kinds += [("notes", note) for note in job.notes]
    used = [(kind, text) for kind, text in kinds if flat(text) and flat(text) in body]
    voice = workspace.voices[job.participant]
    if not used:
        return None
    scored = score_as(" ".join(text for _, text in used), voice)
    if scored is None or scored.score >= fit.threshold:
        return None
    kinds_used = list(dict.fromkeys(kind for kind, _ in used))
    where = workspace.brief_paths.get(job.brief_id, f"the brief '{job.brief_id}'")
    if kinds_used == ["take"]:
        what, verb, own, it = "their take", "scores", "its", "it"
    else:
        what, verb, own, it = f"their {' and '.join(kinds_used)}", "score", "their", "them"
    return (
        f"{what} in {where} {verb} {scored.score} on {own} own, and a template draft keeps "
        f"{it} as written: ask {voice.first_name} to put {it} in their own words"
    )
