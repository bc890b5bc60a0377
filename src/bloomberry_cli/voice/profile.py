"""Build a Voice Memory from a person's own texts, and describe it in words."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Sequence

from bloomberry_cli.models.voice import MEMORY_VERSION, Habits, Shares, Spread, VoiceMemory
from bloomberry_cli.voice import vocabulary as words
from bloomberry_cli.voice.features import (
    FUNCTION_WORDS,
    HABITS,
    SHOWN,
    TextFeatures,
    extract,
    mean_sd,
    sentences_of,
)

MIN_SAMPLES = 3
NGRAMS_KEPT = 400  # a profile's most frequent three-character runs
_FUNCTION = frozenset(FUNCTION_WORDS)


def _round(value: float, digits: int = 2) -> float:
    return round(value, digits)


def _ngrams(tokens: list[str], sizes: Sequence[int] = (2, 3)) -> set[str]:
    found = set()
    for size in sizes:
        for i in range(len(tokens) - size + 1):
            gram = tokens[i : i + size]
            if not all(word in _FUNCTION for word in gram):
                found.add(" ".join(gram))
    return found


def _phrases(features: list[TextFeatures], limit: int = 8) -> list[str]:
    """Phrases used in at least two different texts, longest and most frequent first."""
    counts: Counter[str] = Counter()
    for f in features:
        counts.update(_ngrams(f.tokens))
    common = [(p, n) for p, n in counts.items() if n >= 2]
    common.sort(key=lambda item: (-item[1], -len(item[0].split()), item[0]))
    chosen: list[str] = []
    for phrase, _ in common:
        if not any(phrase in longer for longer in chosen):
            chosen.append(phrase)
        if len(chosen) == limit:
            break
    return chosen


def _recurring(candidates: list[set[str]], limit: int = 3) -> list[str]:
    """Candidates found in at least two texts (and in a sixth of them once there are many),
    most frequent and longest first, leaving out those inside a longer one already kept."""
    counts: Counter[str] = Counter()
    for found in candidates:
        counts.update(found)
    needed = max(2, round(len(candidates) / 6))
    ranked = sorted(
        (c for c, n in counts.items() if n >= needed), key=lambda c: (-counts[c], -len(c), c)
    )
    chosen: list[str] = []
    for candidate in ranked:
        if not any(candidate.lower() in longer.lower() for longer in chosen):
            chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


def _opening_candidates(text: str) -> set[str]:
    """A lead-in up to a colon or an early comma, a short first sentence, and the first two to
    four words."""
    parts = sentences_of(text)
    if not parts:
        return set()
    first = " ".join(parts[0].split())
    found = {" ".join(first.split()[:n]) for n in (2, 3, 4) if len(first.split()) > n}
    colon = first.find(":")
    if 0 < colon <= 45:
        found.add(first[: colon + 1])
    comma = first.find(",")
    if 0 < comma <= 12:  # a one- or two-word lead-in: "So,", "Honestly,"
        found.add(first[: comma + 1])
    if len(first) <= 60:
        found.add(first)
    return found


def _closing_candidates(text: str) -> set[str]:
    """The last sentence and the last line, when short enough to be a sign-off."""
    parts = sentences_of(text)
    lines = [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]
    found = set()
    if len(parts) > 1 and len(parts[-1]) <= 60:
        found.add(" ".join(parts[-1].split()))
    if len(lines) > 1 and len(lines[-1]) <= 60:
        found.add(lines[-1])
    return found


def _deleted_spans(before: list[str], after: list[str]) -> list[str]:
    """Runs of words the edit took out, trimmed of function words at either end."""
    spans = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag not in ("delete", "replace"):
            continue
        run = before[i1:i2]
        while run and run[0] in _FUNCTION:
            run = run[1:]
        while run and run[-1] in _FUNCTION:
            run = run[:-1]
        if run and len(run) <= 6:
            spans.append(" ".join(run))
    return spans


def removed_phrases(edits: Sequence[tuple[str, str]]) -> list[str]:
    """Words and phrases the person deleted from generated drafts in at least two edits."""
    counts: Counter[str] = Counter()
    for generated, final in edits:
        counts.update(set(_deleted_spans(extract(generated).tokens, extract(final).tokens)))
    return sorted(
        (p for p, n in counts.items() if n >= 2 and len(p) > 3), key=lambda p: (-counts[p], p)
    )[:12]


def _function_rates(features: Sequence[TextFeatures]) -> dict[str, float]:
    total = max(sum(f.words for f in features), 1)
    counts: Counter[str] = Counter()
    for f in features:
        counts.update(f.function_words)
    return {w: 100.0 * counts[w] / total for w in FUNCTION_WORDS if counts[w]}


def _ngram_profile(features: Sequence[TextFeatures]) -> tuple[dict[str, float], int]:
    counts: Counter[str] = Counter()
    for f in features:
        counts.update(f.ngrams)
    total = sum(counts.values())
    rates = {g: 1000.0 * n / max(total, 1) for g, n in counts.most_common(NGRAMS_KEPT)}
    return rates, total


def _shares(features: Sequence[TextFeatures]) -> Shares:
    n = max(len(features), 1)
    return Shares(**{h: _round(sum(h in f.shown for f in features) / n, 3) for h in SHOWN})


def _spread(values: list[float]) -> Spread:
    mean, sd = mean_sd(values)
    return Spread(mean=_round(mean, 3), sd=_round(sd, 3))


def build_profile(
    texts: Sequence[str], edits: Sequence[tuple[str, str]] = (), today: dt.date | None = None
) -> VoiceMemory:
    """The profile of ``texts``, which must be the person's own words only."""
    kept = [t for t in texts if t.strip()]
    features = [extract(t) for t in kept]
    habits = Habits(**{h: _spread([f.habits[h] for f in features]) for h in HABITS})
    emoji: Counter[str] = Counter()
    hashtags: Counter[str] = Counter()
    ngrams, ngram_count = _ngram_profile(features)
    for f in features:
        emoji.update(f.emoji)
        hashtags.update(f.hashtags)
    memory = VoiceMemory(
        version=MEMORY_VERSION,
        calibrated=today or dt.date.today(),
        samples=max(len(features), 1),
        summary="",
        habits=habits,
        shares=_shares(features),
        openers=_recurring([_opening_candidates(t) for t in kept]),
        sign_offs=_recurring([_closing_candidates(t) for t in kept]),
        phrases=_phrases(features),
        emoji=[e for e, _ in emoji.most_common(5)],
        hashtags=[h for h, _ in hashtags.most_common(5)],
        removed_phrases=removed_phrases(edits),
        function_words={w: _round(r, 3) for w, r in _function_rates(features).items()},
        char_ngrams={g: _round(r, 2) for g, r in ngrams.items()},
        char_ngram_count=ngram_count,
    )
    memory.summary = describe(memory)
    return memory


def summary_parts(memory: VoiceMemory) -> list[str]:
    """The profile's traits, in the words the score's reasons use too."""
    h = memory.habits
    parts = [
        words.sentence_phrase(h.sentence_words.mean),
        words.post_phrase(h.post_words.mean, h.paragraphs.mean),
    ]
    person = words.pronoun(h.first_person_singular.mean, h.first_person_plural.mean)
    if person:
        parts.append(person)
    for habit, trait in words.TRAITS.items():
        if words.trait_on(habit, getattr(h, habit).mean):
            shown = {"emoji": memory.emoji, "hashtags": memory.hashtags}.get(habit)
            parts.append(trait.on + (f" ({' '.join(shown)})" if shown else ""))
        elif trait.off:
            parts.append(trait.off)
    if memory.openers:
        parts.append("opens with: " + "; ".join(f"'{o}'" for o in memory.openers[:2]))
    if memory.sign_offs:
        parts.append("signs off: " + "; ".join(f"'{s}'" for s in memory.sign_offs[:2]))
    if memory.phrases:
        parts.append("phrases: " + "; ".join(f"'{p}'" for p in memory.phrases[:4]))
    if memory.removed_phrases:
        parts.append("removes: " + "; ".join(f"'{p}'" for p in memory.removed_phrases[:4]))
    return parts


def describe(memory: VoiceMemory) -> str:
    """The profile in words, for people and for the LLM prompt."""
    return ", ".join(summary_parts(memory)) + "."
