"""``voices/*.yaml``: one participant, how they write and what their posts need."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PositiveInt

from bloomberry_cli.models.common import PROGRAMS, Email, Identifier, Model, Program


class Style(Model):
    tone: str | None = Field(None, description="A few words: 'direct, technical, dry'.")
    pronoun: Literal["I", "we"] = Field("I", description="How they speak about the work.")
    intro: str | None = Field(None, description="Their one-line personal intro for shares.")
    openers: list[str] = Field(default_factory=list)
    sign_offs: list[str] = Field(default_factory=list)
    audience: str | None = Field(None, description="Who follows them: 'security leaders'.")
    hashtags: list[str] = Field(default_factory=list)
    max_hashtags: PositiveInt | None = None
    emoji: list[str] = Field(default_factory=list, description="Emoji they use; none if empty.")
    avoid: list[str] = Field(default_factory=list, description="Words they would never write.")


class Voice(Model):
    id: Identifier | None = Field(None, description="Defaults to the file name.")
    name: str
    email: Email | None = None
    role: str
    team: str | None = None
    tags: list[str] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=lambda: list(PROGRAMS))
    keys: list[str] = Field(default_factory=list, description="Public signing keys.")
    approvals: dict[Program, list[str]] = Field(
        default_factory=dict, description="Stage overrides for this person's posts."
    )
    cadence_per_month: dict[Program, int] = Field(
        default_factory=dict, description="This person's own target, per program.")
    style: Style = Field(default_factory=Style)
    samples: list[str] = Field(default_factory=list, description="Posts they wrote themselves.")
    memory: dict[str, Any] | None = Field(
        None, description="Voice Memory, written by `bb voice calibrate`."
    )
