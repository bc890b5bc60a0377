"""The person's signatures in a text: a recurring opener, sign-off or phrase of theirs, their
own emoji and hashtags, the lines their style: declares as theirs. Evidence for them where a
text has one, and no evidence against them where it has none."""

from __future__ import annotations

from collections.abc import Sequence

from bloomberry_cli.models.voice import VoiceMemory
from bloomberry_cli.voice import vocabulary as words
from bloomberry_cli.voice.features import TextFeatures
from bloomberry_cli.voice.reason import WEIGHTS, FeatureScore


def _flat(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def signature_reasons(
    text: str, f: TextFeatures, memory: VoiceMemory, first: str, declared: Sequence[str]
) -> list[FeatureScore]:
    """An opener, sign-off or phrase the person reuses (found in at least two of their own
    texts), one of their own emoji, or a line their voice file's style: declares as theirs
    (intro, openers, sign-offs) is strong evidence where a text has it; where it has not, it
    says nothing: people do not sign off every post, so an absence is no reason against
    them."""
    flat = _flat(text)
    words_in_text = f" {' '.join(f.tokens)} "
    reasons: list[FeatureScore] = []
    opener = next((o for o in memory.openers if flat.startswith(_flat(o))), None)
    if opener:
        reasons.append(
            FeatureScore(
                "opener", 1.0, f"opens with '{opener}', as {first} does", None, WEIGHTS["signature"]
            )
        )
    sign_off = next((s for s in memory.sign_offs if _flat(s) in flat[-len(s) - 80 :]), None)
    if sign_off:
        reasons.append(
            FeatureScore(
                "sign_off",
                1.0,
                f"signs off '{sign_off}', as {first} does",
                None,
                WEIGHTS["signature"],
            )
        )
    shown = _flat(" ".join(filter(None, (opener, sign_off))))
    phrases = [
        p
        for p in memory.phrases
        if len(p.split()) >= 3 and f" {p} " in words_in_text and p not in shown
    ]
    if phrases:
        named = "; ".join(f"'{p}'" for p in phrases[:3])
        reasons.append(_found("phrases", f"{first}'s own phrases ({named})", "phrase", phrases))
    # Their own emoji and hashtags, only where the summary says they use them (and names
    # them), so the reason cannot contradict it; a brief's hashtags never reach here
    # (fidelity.own_words leaves them out).
    own_tags = {t.lower() for t in memory.hashtags}
    owned = {
        "emoji": ([e for e in memory.emoji if e in f.emoji], memory.emoji, "uses emoji"),
        "hashtags": (
            sorted({t for t in f.hashtags if t.lower() in own_tags}),
            memory.hashtags,
            "adds hashtags",
        ),
    }
    for habit, (seen, known, summary) in owned.items():
        if seen and words.trait_on(habit, getattr(memory.habits, habit).mean):
            reasons.append(
                FeatureScore(
                    f"own_{habit}",
                    1.0,
                    f"{first}'s own {habit} ({' '.join(seen)})",
                    f"{summary} ({' '.join(known)})",
                    WEIGHTS["phrase"],
                )
            )
    lines = [d for d in declared if d.strip() and _flat(d) in flat and _flat(d) not in shown]
    if lines:
        named = "; ".join(f"'{line}'" for line in lines[:2])
        explanation = f"{named}: {first}'s own lines (their style: says so)"
        reasons.append(_found("style_lines", explanation, "signature", lines))
    return reasons


def _found(feature: str, explanation: str, kind: str, found: Sequence[str]) -> FeatureScore:
    """Evidence from things of theirs the text has: two count double, more no further."""
    return FeatureScore(feature, 1.0, explanation, None, WEIGHTS[kind] * min(len(found), 2))
