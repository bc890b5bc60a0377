"""``briefs/*.yaml``: one company moment, drafted as advocacy and thought leadership."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import Field, field_validator, model_validator

from bloomberry_cli.models.common import Identifier, Model, Url

#: The ways a brief names its participants; an entry gives exactly one.
SELECTOR_KEYS = ("id", "role", "team", "tag", "pillar")


class ParticipantSelector(Model):
    """Picks participants: one person by id, or everyone with a role, team, tag or pillar."""

    id: Identifier | None = None
    role: str | None = None
    team: str | None = None
    tag: str | None = None
    pillar: str | None = Field(
        None, description="Everyone with this topic among their pillars (case is ignored)."
    )
    notes: list[str] = Field(
        default_factory=list,
        description="The person's own observations, one per item (or paragraphs of one text); "
        "the raw material of their thought-leadership post.",
    )
    take: str | None = Field(
        None,
        description="The person's one line on why this matters to them, in their words; "
        "it opens their advocacy post.",
    )

    @field_validator("notes", mode="before")
    @classmethod
    def _split_text(cls, value: object) -> object:
        if isinstance(value, str):
            return [" ".join(p.split()) for p in re.split(r"\n\s*\n", value) if p.strip()]
        return value

    @field_validator("notes")
    @classmethod
    def _filled_notes(cls, value: list[str]) -> list[str]:
        # A blank note drafted 'Something I keep hearing on calls: .'
        if any(not note.strip() for note in value):
            raise ValueError(
                "a note is one of the person's own observations; remove the empty one or fill it"
            )
        return value

    @field_validator("take")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("a take is one line of the person's own words; remove it or fill it")
        return " ".join(value.split()) if value is not None else None

    @model_validator(mode="after")
    def _exactly_one(self) -> ParticipantSelector:
        given = [k for k in SELECTOR_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of id, role, team, tag or pillar")
        return self

    @property
    def label(self) -> str:
        for key in SELECTOR_KEYS:
            value = getattr(self, key)
            if value is not None:
                return value if key == "id" else f"{key}={value}"
        return "?"


class AdvocacyBrief(Model):
    message: str | None = Field(
        None, description="The company's message, as marketing wrote it (one wording)."
    )
    messages: list[str] = Field(
        default_factory=list,
        description="Variants of the message, each a complete wording marketing approves; each "
        "participant gets one, the same one on every run.",
    )
    link: Url | None = None
    claims: list[Identifier] = Field(default_factory=list, description="Approved claim ids used.")
    hashtags: list[str] = Field(default_factory=list)

    @field_validator("messages")
    @classmethod
    def _no_empty_variant(cls, value: list[str]) -> list[str]:
        if any(not text.strip() for text in value):
            raise ValueError("a message variant is empty")
        return value

    @model_validator(mode="after")
    def _one_way_to_say_it(self) -> AdvocacyBrief:
        if self.message is not None and self.messages:
            raise ValueError(
                "give 'message' (one wording) or 'messages' (variants), not both; "
                "move the message into the list"
            )
        if self.message is None and not self.messages:
            raise ValueError("an advocacy section needs 'message' or 'messages'")
        return self

    @property
    def variants(self) -> list[str]:
        """Every approved wording of the message: ``messages``, or ``message`` as the one."""
        return list(self.messages) if self.messages else [self.message or ""]


class ThoughtLeadershipBrief(Model):
    angle: str = Field(description="The point of view the moment invites.")
    questions: list[str] = Field(default_factory=list)
    claims: list[Identifier] = Field(default_factory=list)


class Brief(Model):
    id: Identifier | None = Field(None, description="Defaults to the file name.")
    title: str
    campaign: Identifier | None = None
    channel: str = "linkedin"
    topics: list[str] = Field(default_factory=list)
    scheduled: dt.date | None = None
    advocacy: AdvocacyBrief | None = None
    thought_leadership: ThoughtLeadershipBrief | None = Field(None, alias="thought-leadership")
    participants: list[ParticipantSelector] = Field(min_length=1)

    @model_validator(mode="after")
    def _some_program(self) -> Brief:
        if self.advocacy is None and self.thought_leadership is None:
            raise ValueError("a brief needs an 'advocacy' or a 'thought-leadership' section")
        return self

    def section(self, program: str) -> AdvocacyBrief | ThoughtLeadershipBrief | None:
        """The brief's section for ``program``."""
        return self.advocacy if program == "advocacy" else self.thought_leadership
