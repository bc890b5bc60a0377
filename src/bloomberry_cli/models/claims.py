"""``claims.yaml``: what the company can stand behind, and what no post may say."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import Field, field_validator, model_validator

from bloomberry_cli.models.common import Identifier, Model, Url


class ApprovedClaim(Model):
    id: Identifier
    text: str = Field(description="The approved wording.")
    variants: list[str] = Field(default_factory=list, description="Other approved wordings.")
    source: Url | None = Field(None, description="Where the claim is substantiated.")
    expires: dt.date | None = None

    @property
    def wordings(self) -> list[str]:
        return [self.text, *self.variants]


class BlockedClaim(Model):
    id: Identifier
    phrases: list[str] = Field(default_factory=list, description="Matched as whole words.")
    patterns: list[str] = Field(default_factory=list, description="Regular expressions.")
    examples: list[str] = Field(
        default_factory=list,
        description="Sentences that make the claim in other words; `bb lint` warns about "
                    "sentences close to them or to the phrases (claims.paraphrase).")
    reason: str
    suggestion: str | None = None

    @field_validator("phrases")
    @classmethod
    def _no_empty_phrase(cls, value: list[str]) -> list[str]:
        for phrase in value:
            if not phrase.strip():
                raise ValueError("an empty phrase would match every post; remove it")
        return value

    @field_validator("examples")
    @classmethod
    def _examples_have_words(cls, value: list[str]) -> list[str]:
        for example in value:
            if len(example.split()) < 2:
                raise ValueError(f"example {example!r} is not a sentence; put single words "
                                 "in 'phrases'")
        return value

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(
                    f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
            if compiled.search(""):
                raise ValueError(f"pattern {pattern!r} matches empty text; it would match "
                                 "every post")
        return value

    @model_validator(mode="after")
    def _something_to_match(self) -> BlockedClaim:
        if not self.phrases and not self.patterns:
            raise ValueError("a blocked claim needs 'phrases' or 'patterns'")
        return self


class Claims(Model):
    approved: list[ApprovedClaim] = Field(default_factory=list)
    blocked: list[BlockedClaim] = Field(default_factory=list)
