"""``claims.yaml``: what the company can stand behind, and what no post may say."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from bloomberry_cli.limits import MAX_PATTERNS
from bloomberry_cli.models.common import Identifier, Model, Url
from bloomberry_cli.patterns import SYNTAX_HINT, PatternError, compile_pattern


def _accepted_pattern(pattern: str) -> str:
    """Checked item by item, so that a refused pattern is reported at its own line."""
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        raise ValueError(f"{exc}; {SYNTAX_HINT}") from None
    return pattern


ClaimPattern = Annotated[str, AfterValidator(_accepted_pattern)]


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
    patterns: list[ClaimPattern] = Field(
        default_factory=list,
        description="Regular expressions in RE2 syntax (no "
        "backreferences or lookaround), matched case-insensitively.",
    )
    examples: list[str] = Field(
        default_factory=list,
        description="Sentences that make the claim in other words; `bb lint` warns about "
        "sentences close to them or to the phrases (claims.paraphrase).",
    )
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
                raise ValueError(
                    f"example {example!r} is not a sentence; put single words in 'phrases'"
                )
        return value

    @model_validator(mode="after")
    def _something_to_match(self) -> BlockedClaim:
        if not self.phrases and not self.patterns:
            raise ValueError("a blocked claim needs 'phrases' or 'patterns'")
        return self


class Claims(Model):
    approved: list[ApprovedClaim] = Field(default_factory=list)
    blocked: list[BlockedClaim] = Field(default_factory=list)

    @field_validator("blocked")
    @classmethod
    def _pattern_count(cls, value: list[BlockedClaim]) -> list[BlockedClaim]:
        count = sum(len(claim.patterns) for claim in value)
        if count > MAX_PATTERNS:
            raise ValueError(
                f"{count:,} patterns; bb compiles at most {MAX_PATTERNS:,} "
                "(write fixed wordings as 'phrases', which have no such limit)"
            )
        return value
