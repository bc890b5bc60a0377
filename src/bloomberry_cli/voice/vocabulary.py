"""The words a profile is described in, shared by the summary and the score's reasons.

A habit is 'on' for a person when their usual rate reaches its threshold, and 'on' in one
text by the same test. The summary states the person's side; a reason names the text's side
and repeats the person's side in the summary's own words, so the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trait:
    habit: str
    on: str  # the summary's words when the person has the habit
    off: str | None  # the summary's words when they do not (None: the summary is silent)
    threshold: float
    noun: str  # what a text has: "contractions"


TRAITS: dict[str, Trait] = {
    t.habit: t
    for t in (
        Trait("questions", "asks questions", "rarely asks questions", 0.15, "questions"),
        Trait("exclamations", "uses exclamation marks", None, 0.1, "exclamation marks"),
        Trait("contractions", "uses contractions", "avoids contractions", 1.5, "contractions"),
        Trait("lists", "likes numbered or bulleted lists", None, 0.4, "lists"),
        Trait("emoji", "uses emoji", "no emoji", 0.3, "emoji"),
        Trait("hashtags", "adds hashtags", None, 0.5, "hashtags"),
        Trait("semicolons", "uses semicolons", None, 0.6, "semicolons"),
        Trait("dashes", "likes dashes", None, 0.8, "dashes"),
        Trait("parentheses", "makes asides in parentheses", None, 0.8, "asides in parentheses"),
        Trait("colons", "sets points up with colons", None, 2.5, "colons"),
        Trait("symbols", "writes symbols such as -> and +", None, 1.0, "symbols such as -> and +"),
        Trait("numbers", "writes numbers in digits", None, 2.5, "numbers in digits"),
        Trait("quotes", "quotes words", None, 1.2, "quotation marks"),
    )
}


def trait_on(habit: str, value: float) -> bool:
    return value >= TRAITS[habit].threshold


def pronoun(singular: float, plural: float) -> str | None:
    """How someone speaks about the work, from 'I'/'my' and 'we'/'our' per 100 words."""
    if not singular and not plural:
        return None
    if singular > 1.5 * plural:
        return "speaks as 'I'"
    if plural > 1.5 * singular:
        return "speaks as 'we'"
    return "mixes 'I' and 'we'"


def sentence_phrase(mean: float) -> str:
    return f"sentences of about {mean:.0f} words"


def post_phrase(words: float, paragraphs: float) -> str:
    return f"posts of about {words:.0f} words in {paragraphs:.0f} paragraph(s)"


def trait_reason(
    trait: Trait, person_on: bool, text_on: bool, first: str, alike: bool, more: bool
) -> tuple[str, str | None]:
    """(explanation, the summary's words it relies on, or None when it relies on none).
    ``alike``: the score found the text like the person on this habit; the words agree with
    it, so a short text without a colon, from someone whose posts mostly have one, is
    "within their range", not "where they set points up with colons" beside a ✓. ``more``:
    the text has more of it than the person usually does."""
    usual = trait.on if person_on else trait.off
    # the summary's "no emoji" needs a verb after a name: "Alice uses no emoji"
    off = f"uses {trait.off}" if trait.off and trait.off.startswith("no ") else trait.off
    if person_on == text_on and not alike:
        amount = "more" if more else "fewer"
        return f"{trait.noun}, {amount} than usual for {first}", usual
    if person_on != text_on and alike:
        few = "" if text_on else "few or no "
        return f"{few}{trait.noun}, within {first}'s range", usual
    if person_on and text_on:
        return f"{trait.noun}, as usual ({first} {trait.on})", usual
    if person_on:
        return f"few or no {trait.noun}, where {first} {trait.on}", usual
    if text_on:
        if off:
            return f"{trait.noun}, where {first} {off}", usual
        return f"{trait.noun}, unusual for {first}", None
    if off:
        return f"few or no {trait.noun}, as usual ({first} {off})", usual
    return f"few or no {trait.noun}, as usual", None
