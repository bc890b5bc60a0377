"""A post's ``briefing:`` front matter: what the company is saying while a thought-leadership
post goes out. `bb draft` writes it when the post falls inside an active advocacy campaign on
its topics; the author and reviewers read it; it is never published or exported."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class BriefedClaim(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    text: str


class Briefing(BaseModel):
    """One advocacy campaign the post falls inside. Extra keys are kept, as in all front
    matter: people and other tools add their own."""

    model_config = ConfigDict(extra="allow")

    campaign: str
    start: dt.date
    end: dt.date
    owner: str
    topics: list[str] = Field(default_factory=list, description="The topics the post shares.")
    messages: list[str] = Field(
        default_factory=list, description="The company's message, one wording per brief."
    )
    claims: list[BriefedClaim] = Field(
        default_factory=list, description="The approved claims the campaign makes."
    )
