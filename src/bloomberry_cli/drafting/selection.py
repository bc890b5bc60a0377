"""Which participant gets which post: a brief's selectors, narrowed by the command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bloomberry_cli.errors import BBError
from bloomberry_cli.models import PROGRAMS, Brief, Program, Voice
from bloomberry_cli.posts import post_path
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.workspace import Workspace


@dataclass(frozen=True)
class DraftJob:
    brief_id: str
    participant: str
    program: Program
    notes: tuple[str, ...] = field(default=())

    @property
    def path(self) -> str:
        return post_path(self.brief_id, self.participant, self.program)


def _selected(brief: Brief, voices: dict[str, Voice]) -> dict[str, list[str]]:
    """Participant id → their notes, in the brief's order. Notes given by id win over notes
    given to a whole role, team or tag."""
    chosen: dict[str, list[str]] = {}
    for selector in brief.participants:
        if selector.id is not None:
            matches = [selector.id] if selector.id in voices else []
        else:
            key = "role" if selector.role else "team" if selector.team else "tag"
            value = getattr(selector, key)
            matches = [vid for vid, v in voices.items()
                       if (value in v.tags if key == "tag" else getattr(v, key) == value)]
        for voice_id in matches:
            if voice_id not in chosen or (selector.id is not None and selector.notes):
                chosen[voice_id] = list(selector.notes) or chosen.get(voice_id, [])
    return chosen


def plan_jobs(workspace: Workspace, brief_id: str, *, participants: Iterable[str] = (),
              program: Program | None = None) -> list[DraftJob]:
    """The drafts a brief asks for, narrowed to ``participants`` and ``program``."""
    brief = workspace.briefs[brief_id]
    wanted = list(participants)
    for participant in wanted:
        if participant not in workspace.voices:
            raise BBError(f"unknown participant '{participant}'",
                          hint=did_you_mean(participant, workspace.voices))
    selected = _selected(brief, workspace.voices)
    if wanted:
        outside = [p for p in wanted if p not in selected]
        if outside:
            raise BBError(f"{', '.join(outside)} not in brief {brief_id}",
                          hint=f"its participants: {', '.join(selected) or 'none'}")
        selected = {p: notes for p, notes in selected.items() if p in wanted}
    sections = {"advocacy": brief.advocacy, "thought-leadership": brief.thought_leadership}
    jobs = []
    for participant, notes in selected.items():
        voice = workspace.voices[participant]
        for each in PROGRAMS:
            if program not in (None, each) or sections[each] is None:
                continue
            if each not in voice.programs:
                continue  # this person does not take part in that program
            jobs.append(DraftJob(brief_id, participant, each, tuple(notes)))
    return jobs
