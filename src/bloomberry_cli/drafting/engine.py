"""The drafting engine interface: every engine turns jobs into texts the same way, so
`draft_briefs` never asks which engine it holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bloomberry_cli.drafting.selection import DraftJob

#: Who wrote a text: (engine name, model or None).
Origin = tuple[str, str | None]
Progress = Callable[[int, int], None]


@dataclass
class Drafted:
    """What an engine made of a batch of jobs."""

    texts: dict[DraftJob, str] = field(default_factory=dict)
    failures: dict[DraftJob, str] = field(default_factory=dict)
    origins: dict[DraftJob, Origin] = field(default_factory=dict)
    #: Why a draft was asked for twice (LLM: findings of the first answer).
    reasked: dict[DraftJob, list[str]] = field(default_factory=dict)


class Engine(Protocol):
    name: str

    def draft(
        self, jobs: Sequence[DraftJob], workers: int, on_progress: Progress | None = None
    ) -> Drafted:
        """Texts for ``jobs``; a job that fails is in ``failures`` with its reason."""
        ...
