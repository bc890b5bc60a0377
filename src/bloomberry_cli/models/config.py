"""``bloomberry.yaml``: the company, its channels, disclosure, reviewers and approval policy."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PositiveFloat, PositiveInt, field_validator

from bloomberry_cli.models.common import Email, Model, Program, Url


class Company(Model):
    name: str = Field(description="The employer's name as people write it in posts.")
    link: Url | None = Field(None, description="Where advocacy posts send readers by default.")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names that count as mentioning the company (for disclosure).",
    )

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        # Every disclosure says it ("I work at {company}."): blank, posts would say "at .".
        if not value.strip():
            raise ValueError("is empty; write the company's name as people write it in posts")
        return value


class Channel(Model):
    max_length: PositiveInt = Field(description="Hard limit in characters.")
    fold: PositiveInt | None = Field(
        None, description="Characters shown before 'see more'; the hook must fit above it."
    )
    max_hashtags: PositiveInt | None = None


DEFAULT_CHANNELS: dict[str, Channel] = {
    "linkedin": Channel(max_length=3000, fold=210, max_hashtags=5),
    "x": Channel(max_length=280, max_hashtags=2),
}


class Disclosure(Model):
    programs: list[Program] = Field(
        default_factory=lambda: list[Program](["advocacy"]),
        description="Programs whose posts must disclose the employment relationship.",
    )
    when: Literal["always", "mentions-company"] = Field(
        "mentions-company",
        description="'mentions-company': only posts that name the employer need it.",
    )
    markers: list[str] = Field(
        default_factory=lambda: [
            "I work at",
            "I work for",
            "#employee",
            "my employer",
            "my team at",
            "my company",
            "#ad",
        ],
        description="Any of these in a post counts as a disclosure.",
    )
    text: str = Field(
        "(I work at {company}.)",
        description="The disclosure the drafting engine adds; {company} is replaced.",
    )


class Reviewer(Model):
    email: Email
    name: str
    roles: list[str] = Field(min_length=1, description="e.g. marketing, legal, admin")
    keys: list[str] = Field(
        default_factory=list,
        description="Public signing keys: 'ssh-ed25519 AAAA…' lines or OpenPGP fingerprints.",
    )


def _default_stages() -> dict[Program, list[str]]:
    return {"advocacy": ["marketing", "author"], "thought-leadership": ["marketing", "author"]}


class Approvals(Model):
    stages: dict[Program, list[str]] = Field(
        default_factory=_default_stages,
        description="Stages each program needs, in order; 'author' is the post's participant.",
    )
    allow_unsigned: bool = Field(False, description="Accept decisions without a signature.")

    @field_validator("stages")
    @classmethod
    def _stages_not_empty(cls, value: dict[Program, list[str]]) -> dict[Program, list[str]]:
        for program, stages in value.items():
            if not stages:
                raise ValueError(f"{program} needs at least one stage")
            if len(set(stages)) != len(stages):
                raise ValueError(f"{program} lists a stage twice")
        return value


class Drafting(Model):
    engine: Literal["template", "llm"] = "template"
    model: str | None = Field(None, description="litellm model name for --engine llm.")
    jobs: PositiveInt = 4
    timeout: PositiveFloat = Field(
        60.0,
        description="Seconds per LLM request; a hung draft costs at most timeout x (retries + 1).",
    )
    retries: int = Field(
        3,
        ge=0,
        le=10,
        description="Retries after a rate limit, timeout, "
        "5xx or malformed reply; bb's own, litellm's are off.",
    )
    fallbacks: list[str] = Field(
        default_factory=list,
        description="litellm models tried, in order, after a rate limit, 5xx or timeout of "
        "the one before (never after an authentication error).",
    )


LintLevel = Literal["error", "warning", "info", "off"]

#: Rules no setting can make less than an error (DESIGN.md): what the company must never
#: publish, and a post that cannot be checked at all. `bb validate` and the linter refuse a
#: lower setting (governance/rules.py, where rule ids are known).
SEVERITY_FLOOR = frozenset(
    {
        "claims.blocked",
        "claims.obfuscated",
        "claims.expired",
        "disclosure.missing",
        "text.placeholder",
        "text.empty",
        "post.unreadable",
    }
)


class LintSettings(Model):
    rules: dict[str, LintLevel] = Field(
        default_factory=dict,
        description="Severity per rule id (error, warning, info or off); `bb lint --list-rules` "
        "lists the rules. Rules that guard what must never be published stay errors.",
    )
    duplicate_threshold: float = Field(
        0.8, gt=0, le=1, description="Similarity above which two advocacy posts are resharing."
    )
    voice_threshold: int = Field(60, ge=0, le=100, description="voice.fidelity warns below it.")
    voice_min_words: int = Field(
        20,
        ge=0,
        le=1000,
        description="voice.fidelity judges a post only from this many of the person's own words: "
        "below it, the score cannot tell a person's own text from a colleague's well enough "
        "to warn (0 judges every post).",
    )

    @field_validator("rules", mode="before")
    @classmethod
    def _bare_off(cls, value: object) -> object:
        """YAML reads a bare ``off`` as false; people mean the level."""
        if isinstance(value, dict):
            return {key: "off" if level is False else level for key, level in value.items()}
        return value


def _default_ratio() -> dict[Program, int]:
    return {"advocacy": 1, "thought-leadership": 2}


def _default_cadence() -> dict[Program, int]:
    return {"advocacy": 2, "thought-leadership": 6}


class ProgramSettings(Model):
    ratio: dict[Program, PositiveInt] = Field(
        default_factory=_default_ratio,
        description="Target mix of published posts: 1 advocacy share to 2 original posts.",
    )
    window_days: PositiveInt = Field(90, description="Window for ratio and cadence.")
    cadence_per_month: dict[Program, int] = Field(
        default_factory=_default_cadence,
        description="Posts each participant should publish a month; voices may override.",
    )


class Config(Model):
    company: Company
    channels: dict[str, Channel] = Field(
        default_factory=dict,
        description="Channel limits; linkedin and x are built in and can be overridden.",
    )
    disclosure: Disclosure = Field(default_factory=Disclosure)
    reviewers: list[Reviewer] = Field(default_factory=list)
    approvals: Approvals = Field(default_factory=Approvals)
    drafting: Drafting = Field(default_factory=Drafting)
    lint: LintSettings = Field(default_factory=LintSettings)
    program: ProgramSettings = Field(default_factory=ProgramSettings)

    def channel(self, name: str) -> Channel | None:
        return self.channels.get(name) or DEFAULT_CHANNELS.get(name)

    def channel_names(self) -> list[str]:
        return sorted({*DEFAULT_CHANNELS, *self.channels})
