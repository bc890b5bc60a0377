"""`bb advise`: the seed's five-question decision tree, with its reasoning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

First = Literal["advocacy", "thought-leadership"]

QUESTIONS: tuple[tuple[str, str], ...] = (
    ("launch", "Do you have a specific launch, campaign, or announcement in the next four weeks?"),
    (
        "trust",
        "Is your primary bottleneck that buyers do not trust your brand, or that buyers "
        "do not know who your team is?",
    ),
    ("workflow", "Do you have an existing approval workflow for employee social posts?"),
    (
        "time",
        "Are your subject-matter experts willing to spend two to eight minutes per post "
        "reviewing a draft?",
    ),
    ("both", "Do you want to run both programs?"),
)


@dataclass
class Advice:
    first: First
    both: bool
    reasons: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        name = "employee advocacy" if self.first == "advocacy" else "thought leadership"
        return f"Start with {name}" + (
            ", and run both from one calendar."
            if self.both
            else ", for ninety days before adding the other."
        )


def questions_needed(answers: dict[str, bool]) -> list[str]:
    """The questions still to ask: a launch within four weeks settles where to start."""
    keys = ["launch"]
    if answers.get("launch") is False:
        keys += ["trust", "workflow", "time"]
    keys.append("both")
    return [k for k in keys if k not in answers]


def advise(answers: dict[str, bool]) -> Advice:
    reasons = []
    if answers["launch"]:
        first: First = "advocacy"
        reasons.append(
            "You have a launch within four weeks: advocacy is built for coordinated "
            "distribution within a time window."
        )
    else:
        if answers["trust"]:
            reasons.append(
                "Your bottleneck is trust in the brand or in who your team is: "
                "thought leadership makes that trust personal."
            )
        else:
            reasons.append(
                "With no clear bottleneck, thought leadership for founders and "
                "sales leadership comes first, with advocacy workflows built "
                "alongside."
            )
        first = "thought-leadership"
        if not answers["workflow"]:
            first = "advocacy"
            reasons.append(
                "There is no approval workflow yet: build the advocacy workflow "
                "first; it is operationally simpler and creates the approval habits "
                "thought leadership needs."
            )
        else:
            reasons.append("An approval workflow exists: add thought leadership to it.")
        if not answers["time"]:
            first = "advocacy"
            reasons.append(
                "Your experts cannot spend two to eight minutes per post: advocacy "
                "needs no writing and under a minute per post; build toward thought "
                "leadership once the habit is established."
            )
        else:
            reasons.append(
                "Your experts can spend two to eight minutes a post: the "
                "thought-leadership workflow is designed for exactly that."
            )
    both = bool(answers["both"])
    if both:
        reasons.append(
            "Run both from one workspace and one campaign calendar: advocacy carries "
            "the campaign-driven distribution; thought leadership builds the "
            "credibility that makes the advocacy land. Aim for two to three original "
            "posts for every advocacy share."
        )
    else:
        reasons.append("Run one program for ninety days, then decide whether to add the other.")
    steps = ["bb init my-program", "edit bloomberry.yaml, voices/ and claims.yaml"]
    if first == "advocacy":
        steps += [
            "write a brief with an advocacy: section and a campaign in calendar.yaml",
            "bb draft briefs/<brief>.yaml --program advocacy",
            "bb review",
        ]
    else:
        steps += [
            "add samples: to each expert's voice file, then bb voice calibrate <id>",
            "write a brief with a thought-leadership: section and their notes",
            "bb draft briefs/<brief>.yaml --program thought-leadership",
            "bb review",
        ]
    if both:
        steps.append("bb calendar   # keep both programs on one timeline")
    return Advice(first, both, reasons, steps)
