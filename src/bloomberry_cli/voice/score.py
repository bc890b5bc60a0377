"""How much a text sounds like a profile: 0–100, and in plain words why."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bloomberry_cli.voice.features import FUNCTION_WORDS, extract, per_100

LONG = ("long", "longer", "shorter")
MANY = ("many", "more", "fewer")
OFTEN = ("frequent", "more frequent", "rarer")


@dataclass(frozen=True)
class FeatureScore:
    feature: str
    similarity: float  # 0..1
    explanation: str


@dataclass
class VoiceScore:
    score: int
    features: list[FeatureScore]

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "features": [
            {"feature": f.feature, "similarity": round(f.similarity, 2),
             "explanation": f.explanation} for f in self.features]}


def _compare(value: float, usual: float, spread: float) -> float:
    spread = max(spread, 0.35 * abs(usual), 0.5)
    return max(0.0, 1.0 - abs(value - usual) / (3 * spread))


def _ratio_words(value: float, usual: float, noun: str, name: str, words: tuple[str, str, str]
                 ) -> str:
    """'sentences twice as long as Alice's usual', from (adjective, more, less)."""
    adjective, more, less = words
    if usual <= 0:
        return f"{noun}: none, as usual" if value <= 0 else \
            f"{noun} ({value:.1f} per 100 words) where {name} uses none"
    ratio = value / usual
    if ratio >= 2.5:
        return f"{noun} {ratio:.0f}× as {adjective} as {name}'s usual"
    if ratio >= 1.8:
        return f"{noun} twice as {adjective} as {name}'s usual"
    if ratio >= 1.3:
        return f"{noun} {more} than {name}'s usual"
    if ratio <= 0.35:
        return f"{noun} far {less} than {name}'s usual"
    if ratio <= 0.55:
        return f"{noun} half as {adjective} as {name}'s usual"
    if ratio <= 0.77:
        return f"{noun} {less} than {name}'s usual"
    return f"{noun} close to {name}'s usual"


def _cosine(a: list[float], b: tuple[list[float], float]) -> float:
    """Cosine of ``a`` and a profile vector given with its norm. Scale does not matter, so
    raw counts compare with per-100-word rates."""
    vector, norm_b = b
    dot = math.fsum(x * y for x, y in zip(a, vector, strict=True))
    norm = math.sqrt(math.fsum(x * x for x in a)) * norm_b
    return dot / norm if norm else 0.0


_VECTORS: dict[int, tuple[dict[str, Any], tuple[list[float], float] | None]] = {}


def _profile_vector(memory: dict[str, Any]) -> tuple[list[float], float] | None:
    """The profile's function-word vector and norm, computed once per memory dict."""
    cached = _VECTORS.get(id(memory))
    if cached is not None and cached[0] is memory:
        return cached[1]
    profile = memory.get("function_words") or {}
    vector = [float(profile.get(w, 0.0)) for w in FUNCTION_WORDS]
    norm = math.sqrt(math.fsum(x * x for x in vector))
    result = (vector, norm) if norm else None
    _VECTORS[id(memory)] = (memory, result)
    return result


def score_text(text: str, memory: dict[str, Any], name: str) -> VoiceScore:
    f = extract(text)
    words = max(f.words, 1)
    sentence_mean = sum(f.sentences) / len(f.sentences) if f.sentences else 0.0
    first = name.split()[0]
    m = memory
    results: list[tuple[str, float, float, str]] = []  # feature, weight, similarity, words

    def numeric(key: str, value: float, noun: str, words: tuple[str, str, str],
                weight: float) -> None:
        usual = m.get(key)
        if isinstance(usual, dict):
            mean, spread = float(usual.get("mean", 0)), float(usual.get("sd", 0))
        elif isinstance(usual, int | float):
            mean, spread = float(usual), 0.0
        else:
            return
        results.append((key, weight, _compare(value, mean, spread),
                        _ratio_words(value, mean, noun, first, words)))

    numeric("sentence_words", sentence_mean, "sentences", LONG, 2.0)
    numeric("post_words", float(f.words), "the post", LONG, 1.0)
    numeric("paragraphs", float(f.paragraphs), "paragraphs", MANY, 0.5)
    sentences = max(len(f.sentences), 1)
    numeric("questions_per_sentence", f.questions / sentences, "questions", OFTEN, 1.0)
    numeric("exclamations_per_sentence", f.exclamations / sentences, "exclamations",
            OFTEN, 1.0)
    numeric("first_person_singular", per_100(f.singular, words), "'I' and 'my'", OFTEN,
            1.5)
    numeric("first_person_plural", per_100(f.plural, words), "'we' and 'our'", OFTEN, 1.5)
    numeric("contractions", per_100(f.contractions, words), "contractions", OFTEN, 1.0)
    numeric("emoji_per_100_words", per_100(sum(f.emoji.values()), words), "emoji", OFTEN,
            1.0)
    numeric("hashtags_per_post", float(len(f.hashtags)), "hashtags", MANY, 0.5)
    if "lists" in m:
        usual = float(m["lists"])
        similar = 1.0 - abs((1.0 if f.has_list else 0.0) - usual)
        results.append(("lists", 0.5, similar, "a list, as usual" if similar >= 0.5 else (
            f"a list, which {first} rarely uses" if f.has_list else
            f"no list, where {first} usually has one")))
    habits = [str(p).lower() for p in [*(m.get("phrases") or []), *(m.get("openers") or []),
                                      *(m.get("sign_offs") or [])] if str(p).strip()]
    if habits:
        lowered = " ".join(text.lower().split())
        found = [h for h in habits if " ".join(h.split()) in lowered]
        results.append(("phrases", 2.0, min(1.0, 0.25 + 0.375 * len(found)),
                        f"uses {first}'s own phrases ({'; '.join(found[:2])})" if found
                        else f"none of {first}'s usual phrases or openers"))
    profile = _profile_vector(m)
    if profile is not None:
        mine = [float(f.function_words.get(w, 0)) for w in FUNCTION_WORDS]
        similar = _cosine(mine, profile)
        results.append(("function_words", 4.0, similar,
                        "small words (the, and, I, we…) used as " + first + " uses them"
                        if similar >= 0.8 else "small words (the, and, I, we…) used unlike "
                        + first))
    total = sum(weight for _, weight, _, _ in results) or 1.0
    value = sum(weight * similar for _, weight, similar, _ in results) / total
    ordered = sorted(results, key=lambda r: r[2])
    return VoiceScore(round(100 * value), [FeatureScore(k, s, w) for k, _, s, w in ordered])
