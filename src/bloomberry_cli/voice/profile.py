"""Build a Voice Memory profile from texts, describe it in words, and store it in the voice file."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bloomberry_cli.textfile import atomic_write
from bloomberry_cli.voice.features import FUNCTION_WORDS, TextFeatures, extract, mean_sd, per_100

MIN_SAMPLES = 3
_FUNCTION = frozenset(FUNCTION_WORDS)


def _ngrams(tokens: list[str], sizes: Sequence[int] = (2, 3)) -> set[str]:
    found = set()
    for size in sizes:
        for i in range(len(tokens) - size + 1):
            gram = tokens[i:i + size]
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


def _deleted_spans(before: list[str], after: list[str]) -> list[str]:
    """Runs of words the edit took out, trimmed of function words at either end."""
    import difflib

    spans = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag not in ("delete", "replace"):
            continue
        words = before[i1:i2]
        while words and words[0] in _FUNCTION:
            words = words[1:]
        while words and words[-1] in _FUNCTION:
            words = words[:-1]
        if words and len(words) <= 6:
            spans.append(" ".join(words))
    return spans


def removed_phrases(edits: Sequence[tuple[str, str]]) -> list[str]:
    """Words and phrases the person deleted from generated drafts in at least two edits."""
    counts: Counter[str] = Counter()
    for generated, final in edits:
        counts.update(set(_deleted_spans(extract(generated).tokens, extract(final).tokens)))
    return sorted((p for p, n in counts.items() if n >= 2 and len(p) > 3),
                  key=lambda p: (-counts[p], p))[:12]


def _round(value: float) -> float:
    return round(value, 2)


def build_profile(texts: Sequence[str], edits: Sequence[tuple[str, str]] = (),
                  today: dt.date | None = None) -> dict[str, Any]:
    features = [extract(t) for t in texts if t.strip()]
    words = [f.words for f in features]
    total = max(sum(words), 1)
    sentence_mean, sentence_sd = mean_sd([float(n) for f in features for n in f.sentences])
    post_mean, post_sd = mean_sd([float(n) for n in words])
    sentences = max(sum(len(f.sentences) for f in features), 1)
    emoji: Counter[str] = Counter()
    hashtags: Counter[str] = Counter()
    for f in features:
        emoji.update(f.emoji)
        hashtags.update(f.hashtags)
    function_words: Counter[str] = Counter()
    for f in features:
        function_words.update(f.function_words)
    openers = Counter(f.opener for f in features if f.opener)
    sign_offs = Counter(f.sign_off for f in features if f.sign_off)
    memory: dict[str, Any] = {
        "calibrated": (today or dt.date.today()).isoformat(),
        "samples": len(features),
        "sentence_words": {"mean": _round(sentence_mean), "sd": _round(sentence_sd)},
        "post_words": {"mean": _round(post_mean), "sd": _round(post_sd)},
        "paragraphs": _round(sum(f.paragraphs for f in features) / len(features)),
        "questions_per_sentence": _round(sum(f.questions for f in features) / sentences),
        "exclamations_per_sentence": _round(sum(f.exclamations for f in features) / sentences),
        "lists": _round(sum(f.has_list for f in features) / len(features)),
        "emoji_per_100_words": _round(per_100(sum(emoji.values()), total)),
        "emoji": [e for e, _ in emoji.most_common(5)],
        "hashtags_per_post": _round(sum(len(f.hashtags) for f in features) / len(features)),
        "hashtags": [h for h, _ in hashtags.most_common(5)],
        "first_person_singular": _round(per_100(sum(f.singular for f in features), total)),
        "first_person_plural": _round(per_100(sum(f.plural for f in features), total)),
        "contractions": _round(per_100(sum(f.contractions for f in features), total)),
        "openers": [o for o, _ in openers.most_common(3)],
        "sign_offs": [s for s, n in sign_offs.most_common(3) if n >= 2 or len(features) < 4],
        "phrases": _phrases(features),
        "function_words": {w: _round(per_100(function_words[w], total))
                           for w in FUNCTION_WORDS if function_words[w]},
        "removed_phrases": removed_phrases(edits),
    }
    memory["summary"] = describe(memory)
    return memory


def describe(memory: dict[str, Any]) -> str:
    """The profile in words, for people and for the LLM prompt."""
    m = memory
    parts = [f"sentences of about {m['sentence_words']['mean']:.0f} words",
             f"posts of about {m['post_words']['mean']:.0f} words in "
             f"{m['paragraphs']:.0f} paragraph(s)"]
    singular, plural = m["first_person_singular"], m["first_person_plural"]
    if singular or plural:
        parts.append("speaks as 'I'" if singular > 1.5 * plural else "speaks as 'we'"
                     if plural > 1.5 * singular else "mixes 'I' and 'we'")
    parts.append("asks questions" if m["questions_per_sentence"] >= 0.15 else "rarely asks "
                 "questions")
    if m["exclamations_per_sentence"] >= 0.1:
        parts.append("uses exclamation marks")
    parts.append("uses contractions" if m["contractions"] >= 1.5 else "avoids contractions")
    if m["lists"] >= 0.4:
        parts.append("likes numbered or bulleted lists")
    parts.append(f"emoji: {' '.join(m['emoji'])}" if m["emoji"] else "no emoji")
    if m["hashtags"]:
        parts.append(f"hashtags: {' '.join(m['hashtags'])}")
    if m["phrases"]:
        parts.append("phrases: " + "; ".join(f"'{p}'" for p in m["phrases"][:4]))
    if m["removed_phrases"]:
        parts.append("removes: " + "; ".join(f"'{p}'" for p in m["removed_phrases"][:4]))
    return ", ".join(parts) + "."


_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:", re.M)


def write_memory(path: Path, memory: dict[str, Any]) -> None:
    """Replace (or add) the top-level ``memory:`` block, keeping every other line and comment
    of the file as the person wrote it."""
    text = path.read_text(encoding="utf-8")
    block = yaml.safe_dump({"memory": memory}, sort_keys=False, allow_unicode=True, width=88)
    block = "# Voice Memory: written by `bb voice calibrate`; edits here are overwritten.\n" + \
        block
    keys = list(_TOP_LEVEL_KEY.finditer(text))
    start = next((k for k in keys if k.group("key") == "memory"), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + block
    else:
        following = [k.start() for k in keys if k.start() > start.start()]
        end = following[0] if following else len(text)
        head = text[:start.start()]
        marker = "# Voice Memory: written by `bb voice calibrate`; edits here are overwritten.\n"
        head = head[:-len(marker)] if head.endswith(marker) else head
        new = head + block + ("\n" + text[end:] if end < len(text) else "")
    atomic_write(path, new)
