"""The likelihood-ratio evidence of the score: how much likelier a text's habits and character
runs are in a person's writing than in the typical writer's (voice/reference.py).

A habit most writers share says little about who wrote a text; one that few writers have and
this person has says much. Each measure is a log-likelihood ratio in nats, summed as in naive
Bayes, with the person's rates pulled towards the typical writer's where they have few texts."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bloomberry_cli.models.voice import VoiceMemory
from bloomberry_cli.voice import reference
from bloomberry_cli.voice.features import SHOWN, TextFeatures

# A person's share of texts showing a habit is pulled towards the typical writer's by this many
# texts, so 0 of 8 means "rarely", not "never"; the typical share is kept off 0 and 1.
SHARE_PRIOR, TYPICAL_BOUNDS = 2.0, (0.03, 0.97)
# Likewise their three-character runs, by this many runs of the typical writer's.
NGRAM_PRIOR = 1000.0


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True)
class Shown:
    habit: str
    in_text: bool
    texts: int  # how many of the person's texts show the habit
    evidence: float  # nats; above 0 speaks for the person


def shown_evidence(f: TextFeatures, memory: VoiceMemory) -> list[Shown]:
    """For each habit, whether the text shows it, against the share of the person's texts
    that do: log(P(as in the text | person) / P(as in the text | typical writer))."""
    n = memory.samples
    low, high = TYPICAL_BOUNDS
    found = []
    for habit in SHOWN:
        typical = min(high, max(low, reference.SHARES[habit]))
        own = float(getattr(memory.shares, habit))
        likely = (own * n + SHARE_PRIOR * typical) / (n + SHARE_PRIOR)
        texts = round(own * n)
        if habit in f.shown:
            found.append(Shown(habit, True, texts, math.log(likely / typical)))
        else:
            found.append(Shown(habit, False, texts, math.log((1.0 - likely) / (1.0 - typical))))
    return found


def ngram_table(memory: VoiceMemory) -> tuple[dict[str, float], float]:
    """Each listed run's log-likelihood ratio, the person's smoothed rate over the typical
    writer's, p = (count + prior · typical) / (runs + prior); and the ratio for a run the
    profile does not list (the same for every such run, whatever its typical rate)."""
    runs = float(memory.char_ngram_count)
    if not runs:
        return {}, 0.0
    total = runs + NGRAM_PRIOR
    table = {}
    for gram, rate in memory.char_ngrams.items():
        typical = reference.NGRAMS.get(gram, reference.NGRAM_FLOOR) / 1000.0
        count = rate * runs / 1000.0
        table[gram] = math.log((count + NGRAM_PRIOR * typical) / total / typical)
    return table, math.log(NGRAM_PRIOR / total)
