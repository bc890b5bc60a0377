"""``voices/*.yaml``: one participant, how they write and what their posts need."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    NonNegativeInt,
    PositiveInt,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bloomberry_cli.models.common import PROGRAMS, Email, Identifier, Model, Program

MEMORY_VERSION = 3
# The keys of the first, unversioned Voice Memory (bb before memory had a version): such a
# block is recognised and set aside until `bb voice calibrate` rebuilds it, not rejected. So is
# a block of an older version (2 had no habit shares): bb says to recalibrate.
_FIRST_MEMORY_KEYS = frozenset({"sentence_words", "post_words", "function_words", "summary"})
_OLDER_VERSIONS = frozenset({2})


#: At most this many items in a list of a person's lines (openers, sign-offs, emoji, hashtags,
#: and Voice Memory's): calibration keeps a dozen, a person declares a few. Drafting weighs
#: every one against every post of theirs, so a voice file from a pull request with tens of
#: thousands would stall `bb draft` for minutes.
MAX_LINES = 100
#: Words to avoid are a longer list, checked once per post.
MAX_AVOID = 500

Lines = Annotated[list[str], Field(max_length=MAX_LINES)]


class Style(Model):
    tone: str | None = Field(None, description="A few words: 'direct, technical, dry'.")
    pronoun: Literal["I", "we"] = Field("I", description="How they speak about the work.")
    intro: str | None = Field(None, description="Their one-line personal intro for shares.")
    openers: Lines = Field(default_factory=list)
    sign_offs: Lines = Field(default_factory=list)
    audience: str | None = Field(None, description="Who follows them: 'security leaders'.")
    hashtags: Lines = Field(default_factory=list)
    max_hashtags: PositiveInt | None = None
    emoji: Lines = Field(default_factory=list, description="Emoji they use; none if empty.")
    avoid: list[str] = Field(
        default_factory=list, max_length=MAX_AVOID, description="Words they would never write."
    )


# A measure as calibration writes it: finite and within what any text shows (rates per 100 or
# 1000 words, words per post). A hand-edited .nan, .inf or 1e308 would pass as a number and
# break the scoring's arithmetic (a crash in `bb lint`), not fail `bb validate` at its line.
Measure = Annotated[float, Field(ge=0.0, le=1e6, allow_inf_nan=False)]


class Spread(Model):
    """A habit's usual value over the person's texts and how much it varies between them."""

    mean: Measure
    sd: Measure = 0.0


class Habits(Model):
    """Layout, punctuation and pronoun habits. Rates are per 100 words unless noted."""

    sentence_words: Spread = Field(description="Words per sentence.")
    post_words: Spread = Field(description="Words per post.")
    paragraphs: Spread = Field(description="Paragraphs per post.")
    lists: Spread = Field(description="Share of posts with a numbered or bulleted list (0–1).")
    questions: Spread = Field(description="Questions per sentence.")
    exclamations: Spread = Field(description="Exclamations per sentence.")
    first_person_singular: Spread
    first_person_plural: Spread
    contractions: Spread
    commas: Spread
    semicolons: Spread
    colons: Spread
    dashes: Spread
    parentheses: Spread
    quotes: Spread
    numbers: Spread
    symbols: Spread
    emoji: Spread
    hashtags: Spread = Field(description="Hashtags per post.")
    word_length: Spread = Field(description="Letters per word.")


Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Shares(Model):
    """The share of the person's texts (0–1) that show each habit at all."""

    questions: Share
    exclamations: Share
    contractions: Share
    semicolons: Share
    colons: Share
    dashes: Share
    parentheses: Share
    quotes: Share
    numbers: Share
    symbols: Share
    emoji: Share
    hashtags: Share
    lists: Share
    paragraphs: Share = Field(description="Texts of more than one paragraph.")
    line_breaks: Share = Field(description="Texts with sentences on lines of their own.")
    first_person_singular: Share
    first_person_plural: Share
    short_sentences: Share = Field(description="Texts with a sentence of four words or fewer.")
    long_sentences: Share = Field(description="Texts with a sentence of 25 words or more.")
    question_last: Share = Field(description="Texts that end with a question.")


class VoiceMemory(Model):
    """How a person writes, learned by `bb voice calibrate` from their own words only.
    Rebuilt on every calibration: edit the voice's style: fields instead."""

    version: Literal[3] = Field(description="The layout of this block; bb writes it.")
    calibrated: dt.date
    samples: PositiveInt = Field(le=10**9, description="How many texts it was learned from.")
    summary: str = Field(description="The profile in words, for people and the LLM prompt.")
    habits: Habits
    shares: Shares
    openers: Lines = Field(default_factory=list, description="Lead-ins they reuse.")
    sign_offs: Lines = Field(default_factory=list, description="Last lines they reuse.")
    phrases: Lines = Field(default_factory=list, description="Phrases they reuse.")
    emoji: Lines = Field(default_factory=list)
    hashtags: Lines = Field(default_factory=list, description="Their own, not the brief's.")
    removed_phrases: Lines = Field(
        default_factory=list, description="What they cut from generated drafts (avoid list)."
    )
    function_words: dict[str, Measure] = Field(
        default_factory=dict, description="Small words per 100 words."
    )
    char_ngrams: dict[str, Measure] = Field(
        default_factory=dict, description="Their most frequent three-character runs, per 1000."
    )
    char_ngram_count: NonNegativeInt = Field(
        0,
        le=10**12,
        description="How many three-character runs the texts had (what the rates are of).",
    )

    @model_validator(mode="before")
    @classmethod
    def _versioned(cls, data: Any) -> Any:
        if isinstance(data, dict) and "version" not in data:
            raise ValueError(
                "this memory: block has no 'version:'; it is written by "
                "`bb voice calibrate`, not by hand: delete the block and run "
                "`bb voice calibrate` for this person"
            )
        return data

    @field_validator("char_ngrams")
    @classmethod
    def _three_characters(cls, value: dict[str, float]) -> dict[str, float]:
        wrong = [k for k in value if len(k) != 3]
        if wrong:
            raise ValueError(f"char_ngrams keys are three characters; '{wrong[0]}' is not")
        return value


def _topic_list(value: list[str]) -> list[str]:
    if any(not topic.strip() for topic in value):
        raise ValueError("a pillar is empty; name the topic or remove the item")
    return value


class Voice(Model):
    id: Identifier | None = Field(None, description="Defaults to the file name.")
    name: str
    email: Email | None = None
    role: str
    team: str | None = None
    tags: list[str] = Field(default_factory=list)
    pillars: list[str] = Field(
        default_factory=list,
        description="The few topics they are credible on, in the same "
        "words as brief and campaign topics: briefs select by them, lint and reports follow them.",
    )
    programs: list[Program] = Field(default_factory=lambda: list(PROGRAMS))
    keys: list[str] = Field(default_factory=list, description="Public signing keys.")
    approvals: dict[Program, list[str]] = Field(
        default_factory=dict, description="Stage overrides for this person's posts."
    )
    cadence_per_month: dict[Program, int] = Field(
        default_factory=dict, description="This person's own target, per program."
    )
    style: Style = Field(default_factory=Style)
    samples: list[str] = Field(default_factory=list, description="Posts they wrote themselves.")
    memory: VoiceMemory | None = Field(
        None, description="Voice Memory, written by `bb voice calibrate`."
    )
    _memory_outdated: bool = PrivateAttr(False)

    @field_validator("pillars")
    @classmethod
    def _named_pillars(cls, value: list[str]) -> list[str]:
        return _topic_list(value)

    @field_validator("name", "role")
    @classmethod
    def _not_blank(cls, value: str, info: ValidationInfo) -> str:
        # Drafts and messages say them ("as {role}", "ask Marcus to…"): a blank one would
        # draft "why this matters to you as ", one of punctuation "as a -".
        if not any(c.isalnum() for c in value):
            what = (
                "name, as posts and messages should show it"
                if info.field_name == "name"
                else "role, as drafts should say it (e.g. 'Head of Security')"
            )
            raise ValueError(
                f"{'has no words' if value.strip() else 'is empty'}; write their {what}"
            )
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _set_aside_first_memory(cls, data: Any, handler: Any) -> Voice:
        outdated = (
            isinstance(data, dict)
            and isinstance(data.get("memory"), dict)
            and (
                ("version" not in data["memory"] and set(data["memory"]) >= _FIRST_MEMORY_KEYS)
                or data["memory"].get("version") in _OLDER_VERSIONS
            )
        )
        if outdated:
            data = {**data, "memory": None}
        voice: Voice = handler(data)
        voice._memory_outdated = outdated
        return voice

    @property
    def first_name(self) -> str:
        """How messages address them: the first word of their name (never blank: see
        ``_not_blank``)."""
        return self.name.split()[0]

    @property
    def memory_outdated(self) -> bool:
        """Their memory: block was written by an older bb (unversioned, or an older version):
        `bb voice calibrate` rebuilds it."""
        return self._memory_outdated
