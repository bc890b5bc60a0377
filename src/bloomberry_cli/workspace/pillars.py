"""Topic pillars: the few topics each thought-leadership participant is credible on, in the
same words as brief and campaign ``topics``. Briefs select people by them, `bb lint` notes a
post far from them (program.off-pillar) and the reports count posts on them."""

from __future__ import annotations

from bloomberry_cli.errors import Problem
from bloomberry_cli.models import Voice
from bloomberry_cli.models.common import fold_topics
from bloomberry_cli.workspace import Workspace
from bloomberry_cli.yamlfile import KeyPath


def program_topics(workspace: Workspace) -> set[str]:
    """Every topic the program uses: brief and campaign topics and brief ``pillar:``
    selectors, folded."""
    used = fold_topics(t for campaign in workspace.calendar.campaigns for t in campaign.topics)
    for brief in workspace.briefs.values():
        used |= fold_topics(brief.topics)
        used |= fold_topics(s.pillar for s in brief.participants if s.pillar is not None)
    return used


def writes_thought_leadership(voice: Voice) -> bool:
    return "thought-leadership" in voice.programs


def pillar_warnings(workspace: Workspace) -> list[Problem]:
    """Advice for `bb validate` (never a failure): a pillar no brief or campaign uses, so
    nothing will ever be asked of the person on it; a thought-leadership participant with no
    pillars, so nobody can tell when a brief asks them to post far from what they know."""
    used = program_topics(workspace)
    warnings = []
    for voice_id, voice in workspace.voices.items():
        path = workspace.voice_paths[voice_id]
        if writes_thought_leadership(voice) and not voice.pillars:
            warnings.append(
                _problem(
                    workspace,
                    path,
                    ("programs",),
                    f"{voice_id} writes thought leadership but has no pillars",
                    "add 'pillars: [topic, …]': the few topics they are credible on, in the words "
                    "briefs and campaigns use for their topics",
                )
            )
        for index, pillar in enumerate(voice.pillars):
            if pillar.strip().lower() not in used:
                known = ", ".join(sorted(used)) or "none yet"
                warnings.append(
                    _problem(
                        workspace,
                        path,
                        ("pillars", index),
                        f"no brief or campaign uses the pillar '{pillar}'",
                        f"topics in use: {known}; use the same word, or add the topic to a brief",
                    )
                )
    return warnings


def _problem(
    workspace: Workspace, path: str, key_path: KeyPath, message: str, hint: str
) -> Problem:
    document = workspace.documents.get(path)
    # `programs:` may be left to its default: then point at the person's name
    if document is not None and key_path not in document.values:
        key_path = ("name",)
    line, column = (document.position(key_path) if document else None) or (None, None)
    return Problem(path, message, line=line, column=column, key_path=key_path, hint=hint)
