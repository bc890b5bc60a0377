"""Which participant gets which post: a brief's selectors, narrowed by the command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bloomberry_cli.errors import BBError
from bloomberry_cli.models import PROGRAMS, Brief, ParticipantSelector, Program, Voice
from bloomberry_cli.models.common import fold_topics
from bloomberry_cli.posts import post_path
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.workspace import Workspace


@dataclass(frozen=True)
class DraftJob:
    brief_id: str
    participant: str
    program: Program
    notes: tuple[str, ...] = field(default=())
    #: The person's one line on why it matters to them (the brief's ``take:``).
    take: str | None = None

    @property
    def path(self) -> str:
        return post_path(self.brief_id, self.participant, self.program)


def brief_participants(brief: Brief, voices: dict[str, Voice]) -> list[str]:
    """The ids a brief selects, in its order."""
    return list(_selected_with_takes(brief, voices))


def _selected_with_takes(
    brief: Brief, voices: dict[str, Voice]
) -> dict[str, tuple[list[str], str | None]]:
    """Participant id → their notes and take, in the brief's order. What is given by id wins
    over what is given to a whole role, team or tag."""
    chosen: dict[str, list[str]] = {}
    takes: dict[str, str | None] = {}
    for selector in brief.participants:
        if selector.id is not None:
            matches = [selector.id] if selector.id in voices else []
        else:
            matches = [vid for vid, v in voices.items() if selects(selector, v)]
        for voice_id in matches:
            if voice_id not in chosen or (selector.id is not None and selector.notes):
                chosen[voice_id] = list(selector.notes) or chosen.get(voice_id, [])
            if selector.take is not None and (
                selector.id is not None or takes.get(voice_id) is None
            ):
                takes[voice_id] = selector.take
    return {voice_id: (notes, takes.get(voice_id)) for voice_id, notes in chosen.items()}


def selects(selector: ParticipantSelector, voice: Voice) -> bool:
    """Whether a role, team, tag or pillar selector picks ``voice`` (pillars ignore case)."""
    if selector.pillar is not None:
        return selector.pillar.strip().lower() in fold_topics(voice.pillars)
    if selector.tag is not None:
        return selector.tag in voice.tags
    if selector.role is not None:
        return voice.role == selector.role
    return selector.team is not None and voice.team == selector.team


def plan_jobs(
    workspace: Workspace,
    brief_id: str,
    *,
    participants: Iterable[str] = (),
    program: Program | None = None,
) -> list[DraftJob]:
    """The drafts a brief asks for, narrowed to ``participants`` and ``program``."""
    brief = workspace.briefs[brief_id]
    wanted = list(participants)
    for participant in wanted:
        if participant not in workspace.voices:
            raise BBError(
                f"unknown participant '{participant}'",
                hint=did_you_mean(participant, workspace.voices),
            )
    selected = _selected_with_takes(brief, workspace.voices)
    if wanted:
        outside = [p for p in wanted if p not in selected]
        if outside:
            raise BBError(
                f"{', '.join(outside)} not in brief {brief_id}",
                hint=f"its participants: {', '.join(selected) or 'none'}",
            )
        selected = {p: notes for p, notes in selected.items() if p in wanted}
    sections = {"advocacy": brief.advocacy, "thought-leadership": brief.thought_leadership}
    jobs = []
    for participant, (notes, take) in selected.items():
        voice = workspace.voices[participant]
        for each in PROGRAMS:
            if program not in (None, each) or sections[each] is None:
                continue
            if each not in voice.programs:
                continue  # this person does not take part in that program
            jobs.append(DraftJob(brief_id, participant, each, tuple(notes), take))
    return jobs
