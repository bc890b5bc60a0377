"""How much a text sounds like a profile: 0–100, and in plain words why.

The score is a weighted mean of similarities, one per measure, each in 0–1:
- each habit: how many of the person's own standard deviations the text is from their usual
  value (their spread over their texts, widened by the noise a text this short has anyway);
- habits shown: which habits the text shows at all (a question, semicolons, a list, lines of
  their own…), against the share of the person's texts showing each and the typical writer's
  share: a summed log-likelihood ratio (evidence.py), so a rare habit they share says more
  than a common one;
- character n-grams: the same kind of likelihood ratio over three-character runs of the text
  with its content words masked (how small words and punctuation are strung together);
- function words: Cosine Delta, the cosine of the text's and the profile's rates z-scored
  against general English;
- signatures: a recurring opener, sign-off or phrase of theirs, where the text has one.
Every reason is computed from the very numbers the score uses.

The weights and scales below were chosen on the development sets of bench/data
(`bench/voice_eval.py`: voice_eval.yaml, voice_lookalike.yaml, voice_lookalike2.yaml, held-out
posts and `--dev` leave-one-out alike); voice_lookalike3.yaml was never used to choose them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bloomberry_cli.models.voice import Spread, VoiceMemory
from bloomberry_cli.voice import vocabulary as words
from bloomberry_cli.voice.evidence import Shown, logistic, ngram_table, shown_evidence
from bloomberry_cli.voice.features import (
    FUNCTION_WORDS,
    HABITS,
    RATES,
    REFERENCE_RATES,
    SHOWN,
    TextFeatures,
    extract,
)
from bloomberry_cli.voice.reason import ALIKE, WEIGHTS, FeatureScore
from bloomberry_cli.voice.signatures import signature_reasons

# The function-word cosine is rescaled to 0–1 from this floor: two English texts share many
# small words whoever wrote them, so a raw cosine is never near 0.
_FUNCTION_FLOOR = -0.2
_ABSENT = 0.25
_RARE_FLOOR = 0.1
_SENTENCE_VARIATION = 0.5
_WORD_LENGTH_SD = 2.2  # letters, within one post (the benchmark's development sets)
_MIDDLE, _SPREAD = 0.651, 0.091  # see scaled()
# The evidence (log-likelihood ratios, in nats) that maps to a similarity of about 0.73.
_SHOWN_SCALE, _NGRAM_SCALE = 3.0, 0.2
# The smallest spread a habit may have, so three samples that happen to agree do not make
# every other value impossible: (absolute, share of the usual value).
_FLOORS: dict[str, tuple[float, float]] = {
    "sentence_words": (2.0, 0.2),
    "post_words": (8.0, 0.25),
    "paragraphs": (0.75, 0.25),
    "lists": (0.3, 0.0),
    "questions": (0.08, 0.3),
    "exclamations": (0.08, 0.3),
    "hashtags": (0.75, 0.3),
    "word_length": (0.2, 0.04),
}


@dataclass
class VoiceScore:
    score: int
    features: list[FeatureScore]
    similarity: float = 0.0  # the weighted mean the score is scaled from
    words: int = 0  # how many words it was judged on

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "words": self.words,
            "features": [
                {
                    "feature": f.feature,
                    "similarity": round(f.similarity, 2),
                    "explanation": f.explanation,
                }
                for f in self.features
            ],
        }


def function_word_vector(rates: Mapping[str, float]) -> list[float]:
    """Rates per 100 words, z-scored against general English (Poisson-like spread)."""
    return [
        (float(rates.get(w, 0.0)) - ref) / math.sqrt(max(ref, _RARE_FLOOR))
        for w, ref in REFERENCE_RATES.items()
    ]


def cosine(a: list[float], b: list[float]) -> float:
    norm = math.sqrt(math.fsum(x * x for x in a) * math.fsum(y * y for y in b))
    return math.fsum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


def ngram_cosine(
    counts: Mapping[str, int], profile: Mapping[str, float], profile_norm: float
) -> float:
    norm = math.sqrt(sum(c * c for c in counts.values())) * profile_norm
    if not norm:
        return 0.0
    return sum(c * profile.get(g, 0.0) for g, c in counts.items()) / norm


def text_rates(features: TextFeatures) -> dict[str, float]:
    n = max(features.words, 1)
    return {w: 100.0 * c / n for w, c in features.function_words.items()}


def habit_spread(habit: str, usual: Spread, words_in_text: int, sentences: int) -> float:
    """The spread a text's value may have: the person's own, widened by a short text's noise,
    and never below a floor."""
    noise = 0.0
    if habit in RATES:
        noise = 100.0 * max(usual.mean, 0.5) / max(words_in_text, 10)
    elif habit in ("questions", "exclamations"):
        noise = max(usual.mean, 0.05) / max(sentences, 1)
    elif habit == "sentence_words":
        # One text's mean sentence length is a mean over few sentences, and sentences vary
        # by about half their length within anyone's writing.
        noise = (_SENTENCE_VARIATION * usual.mean) ** 2 / max(sentences, 1)
    elif habit == "word_length":
        # A mean over the text's words, and words vary by about two letters in anyone's post:
        # a sentence of short words is no evidence, the same over a whole post is.
        noise = _WORD_LENGTH_SD**2 / max(words_in_text, 1)
    absolute, share = _FLOORS.get(habit, (0.5, 0.25))
    return max(math.sqrt(usual.sd**2 + noise), absolute, share * abs(usual.mean))


def _similar(distance: float) -> float:
    return math.exp(-0.5 * distance * distance)


def _rescaled(value: float, floor: float) -> float:
    return min(1.0, max(0.0, (value - floor) / (1.0 - floor)))


@dataclass
class _Profile:
    """The vectors of a memory, computed once per memory."""

    function_words: list[float]
    # Per run: log(how likely in this person's texts / in the typical writer's); for a run the
    # profile does not list, ngram_unlisted.
    ngram_evidence: dict[str, float]
    ngram_unlisted: float


_PROFILES: dict[int, tuple[VoiceMemory, _Profile]] = {}


def _profile(memory: VoiceMemory) -> _Profile:
    cached = _PROFILES.get(id(memory))
    if cached is not None and cached[0] is memory:
        return cached[1]
    profile = _Profile(function_word_vector(memory.function_words), *ngram_table(memory))
    if len(_PROFILES) > 256:
        _PROFILES.clear()
    _PROFILES[id(memory)] = (memory, profile)
    return profile


def _pronoun_reason(
    text: str | None, person: str | None, first: str, *, alike: bool, more: bool
) -> str:
    """How the text speaks ('I', 'we', neither) against the person, in words that agree with
    the score's mark (``alike``); ``more``: 'I' and 'we' more often than they use them."""
    said = text or "neither 'I' nor 'we'"
    usual = person or "uses neither 'I' nor 'we'"
    if text == person:
        if alike:
            return f"{said}, as usual"
        return f"{said}, {'more' if more else 'less'} often than {first} does"
    if alike:
        return f"{said}, within {first}'s range ({first} {usual})"
    return f"{said}, where {first} {usual}"


def _habit_reasons(f: TextFeatures, memory: VoiceMemory, first: str) -> list[FeatureScore]:
    habits = memory.habits
    found: dict[str, float] = {}
    for habit in HABITS:
        usual: Spread = getattr(habits, habit)
        value = f.habits[habit]
        distance = abs(value - usual.mean) / habit_spread(habit, usual, f.words, len(f.sentences))
        trait = words.TRAITS.get(habit)
        if trait and not words.trait_on(habit, usual.mean) and value < usual.mean:
            distance = 0.0  # doing less of what someone avoids is not unlike them
        found[habit] = _similar(distance)
    reasons: list[FeatureScore] = []
    sentence, post = habits.sentence_words.mean, habits.post_words.mean
    value = f.habits["sentence_words"]
    reasons.append(
        FeatureScore(
            "sentence_words",
            found["sentence_words"],
            f"{words.sentence_phrase(value)}, as usual"
            if found["sentence_words"] >= ALIKE
            else f"{words.sentence_phrase(value)}, where {first} writes "
            f"{words.sentence_phrase(sentence)}",
            words.sentence_phrase(sentence),
            2.0,
        )
    )
    shape = (found["post_words"] + found["paragraphs"]) / 2
    usual_shape = words.post_phrase(post, habits.paragraphs.mean)
    here = words.post_phrase(f.habits["post_words"], f.habits["paragraphs"])
    reasons.append(
        FeatureScore(
            "post_words",
            shape,
            f"{here}, as usual"
            if shape >= ALIKE
            else f"{here}, where {first} writes {usual_shape}",
            usual_shape,
            2.0,
        )
    )
    person = words.pronoun(habits.first_person_singular.mean, habits.first_person_plural.mean)
    text = words.pronoun(f.habits["first_person_singular"], f.habits["first_person_plural"])
    similar = (found["first_person_singular"] + found["first_person_plural"]) / 2
    said = _pronoun_reason(
        text,
        person,
        first,
        alike=similar >= ALIKE,
        more=f.habits["first_person_singular"] + f.habits["first_person_plural"]
        > habits.first_person_singular.mean + habits.first_person_plural.mean,
    )
    reasons.append(FeatureScore("pronouns", similar, said, person, WEIGHTS["pronouns"]))
    for habit, trait in words.TRAITS.items():
        person_on = words.trait_on(habit, getattr(habits, habit).mean)
        text_on = words.trait_on(habit, f.habits[habit])
        said, usual_words = words.trait_reason(
            trait,
            person_on,
            text_on,
            first,
            alike=found[habit] >= ALIKE,
            more=f.habits[habit] > getattr(habits, habit).mean,
        )
        # Neither the person nor the text having a habit is weak evidence: most habits are
        # rare in everyone, and a score made of absences would call anything similar.
        weight = WEIGHTS["habit"] * (1.0 if person_on or text_on else _ABSENT)
        reasons.append(FeatureScore(habit, found[habit], said, usual_words, weight))
    for habit in ("commas", "word_length"):
        direction = "more" if f.habits[habit] > getattr(habits, habit).mean else "fewer"
        noun = "commas" if habit == "commas" else "long words"
        reasons.append(
            FeatureScore(
                habit,
                found[habit],
                f"{noun} as {first} uses them"
                if found[habit] >= ALIKE
                else f"{direction} {noun} than {first} uses",
                None,
                WEIGHTS["habit"],
            )
        )
    return reasons


def _lexical_reasons(f: TextFeatures, memory: VoiceMemory, first: str) -> list[FeatureScore]:
    profile = _profile(memory)
    mine = function_word_vector(text_rates(f))
    similar = _rescaled(cosine(mine, profile.function_words), _FUNCTION_FLOOR)
    shared = sorted(
        ((a * b, w) for a, b, w in zip(mine, profile.function_words, FUNCTION_WORDS, strict=True)),
        reverse=similar >= ALIKE,
    )
    named = ", ".join(f"'{w}'" for _, w in shared[:3])
    reasons = [
        FeatureScore(
            "function_words",
            similar,
            f"small words used as {first} uses them ({named})"
            if similar >= ALIKE
            else f"small words used unlike {first} ({named})",
            None,
            WEIGHTS["function_words"],
        )
    ]
    if profile.ngram_evidence:
        table, unlisted = profile.ngram_evidence, profile.ngram_unlisted
        runs = sum(f.ngrams.values()) or 1
        evidence = sum(c * table.get(g, unlisted) for g, c in f.ngrams.items()) / runs
        similar = logistic(evidence / _NGRAM_SCALE)
        alike = similar >= ALIKE  # the mark's threshold: 0.5 here said 'like' beside a •
        telling = sorted(
            ((c * table.get(g, unlisted), g) for g, c in f.ngrams.items() if not g.isalpha()),
            reverse=alike,
        )[:3]
        named = ", ".join(f"'{g}'" for e, g in telling if (e > 0) == alike)
        reasons.append(
            FeatureScore(
                "char_ngrams",
                similar,
                (
                    f"strings small words and punctuation together like {first}"
                    if alike
                    else f"strings small words and punctuation together unlike {first}"
                )
                + (f" ({named})" if named else ""),
                None,
                WEIGHTS["char_ngrams"],
            )
        )
    return reasons


def _shown_words(shown: Shown, first: str, n: int) -> str:
    """One habit shown or not, said with the count of the person's texts it rests on."""
    noun, texts = SHOWN[shown.habit], f"of {first}'s {n} texts"
    if shown.in_text:
        if shown.evidence > 0:
            return f"{noun}, as in {shown.texts} {texts}"
        return f"{noun}, in {'only ' + str(shown.texts) if shown.texts else 'none'} {texts}"
    absent = f"no {noun.removeprefix('an ').removeprefix('a ')}"  # "no list", not "no a list"
    if shown.evidence > 0:
        return f"{absent}, as in {n - shown.texts} {texts}"
    return f"{absent}, unlike {shown.texts} {texts}"


def _shown_reason(f: TextFeatures, memory: VoiceMemory, first: str) -> FeatureScore:
    """Which habits the text shows at all, against the share of the person's texts showing
    each one and the typical writer's share (evidence.shown_evidence)."""
    found = shown_evidence(f, memory)
    total = math.fsum(s.evidence for s in found)
    similar = logistic(total / _SHOWN_SCALE)
    alike = similar >= ALIKE  # the mark's threshold: 'total >= 0' said 'shows' beside a •
    n = memory.samples
    # Name what moved the score most, in the direction the mark says.
    telling = sorted(found, key=lambda s: s.evidence, reverse=alike)[:3]
    named = "; ".join(_shown_words(s, first, n) for s in telling if (s.evidence > 0) == alike)
    return FeatureScore(
        "shown",
        similar,
        (f"shows the habits {first}'s texts show" if alike else f"habits unlike {first}'s")
        + (f" ({named})" if named else ""),
        None,
        WEIGHTS["shown"],
    )


def score_text(
    text: str, memory: VoiceMemory, name: str, declared: Sequence[str] = ()
) -> VoiceScore:
    """``declared``: the lines the person's style: gives as theirs (intro, openers,
    sign-offs)."""
    f = extract(text)
    first = name.split()[0] if name.split() else name
    reasons = (
        _habit_reasons(f, memory, first)
        + _lexical_reasons(f, memory, first)
        + [_shown_reason(f, memory, first)]
        + signature_reasons(text, f, memory, first, declared)
    )
    total = sum(r.weight for r in reasons) or 1.0
    similarity = sum(r.weight * r.similarity for r in reasons) / total
    ordered = sorted(reasons, key=lambda r: (r.similarity, -r.weight))
    return VoiceScore(scaled(similarity), ordered, similarity, f.words)


def scaled(similarity: float) -> int:
    """0–100 from the weighted mean of similarities, on a logistic scale set so that a
    person's own unseen post lands near 80 and a colleague's near 25 (medians over the
    calibration posts of bench/data, left out one at a time: `bench/voice_eval.py --dev`).
    Any two short English posts are about half alike on these measures, so the scale's
    middle is well above 0.5. Monotonic: the order of scores is the order of similarities."""
    return round(100.0 / (1.0 + math.exp(-(similarity - _MIDDLE) / _SPREAD)))
