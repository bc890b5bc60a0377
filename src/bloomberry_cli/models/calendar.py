"""``calendar.yaml``: campaigns and their windows, shared by both programs."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, field_validator

from bloomberry_cli.models.common import Email, Identifier, Model, Program


class Campaign(Model):
    id: Identifier
    name: str | None = None
    program: Program
    start: dt.date
    end: dt.date
    owner: Email = Field(description="Who must see TL posts on its topics during the window.")
    topics: list[str] = Field(default_factory=list)
    briefs: list[Identifier] = Field(default_factory=list)

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError(f"ends on {value}, before it starts on {start}")
        return value

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Calendar(Model):
    campaigns: list[Campaign] = Field(default_factory=list)
