"""No reason `bb voice score` gives may contradict the summary `bb voice show` prints for the
same profile: both are worded from one vocabulary, and this checks it on generated writing."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bloomberry_cli.voice import vocabulary as words
from bloomberry_cli.voice.evidence import Shown
from bloomberry_cli.voice.profile import build_profile, summary_parts
from bloomberry_cli.voice.reason import ALIKE, FeatureScore
from bloomberry_cli.voice.score import _shown_words, score_text

EVAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "voice_eval.yaml"
_PRONOUNS = ("speaks as 'I'", "speaks as 'we'", "mixes 'I' and 'we'")
# Every way a reason can state the person's side: "<First> <phrase>".
_PERSON_SIDE = sorted(
    {
        *(t.on for t in words.TRAITS.values()),
        *(t.off for t in words.TRAITS.values() if t.off),
        *_PRONOUNS,
    },
    key=len,
    reverse=True,
)

_WORDS = [
    "audit",
    "tokens",
    "access",
    "team",
    "deploy",
    "review",
    "policy",
    "the",
    "a",
    "of",
    "and",
    "which",
    "it",
    "is",
    "was",
    "to",
    "we",
    "I",
    "our",
    "my",
    "don't",
    "it's",
    "42",
    "(really)",
    "—",
    "->",
    "+",
    "✨",
    "🙌",
    "#infra",
    '"fine"',
    "x;",
    "so:",
]
_ENDS = [".", ".", ".", "?", "!"]


@st.composite
def post(draw: st.DrawFn) -> str:
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        chosen = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25))
        sentences.append(" ".join(chosen).capitalize() + draw(st.sampled_from(_ENDS)))
    layout = draw(st.sampled_from([" ", "\n", "\n\n", "\n- "]))
    return layout.join(sentences)


def _stated(explanation: str, first: str) -> list[str]:
    """The person-side phrases an explanation attributes to ``first``."""
    found = []
    for phrase in _PERSON_SIDE:
        if re.search(rf"(?<![\w']){re.escape(first)} {re.escape(phrase)}(?![\w'])", explanation):
            found.append(phrase)
            explanation = explanation.replace(f"{first} {phrase}", "")
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(samples=st.lists(post(), min_size=3, max_size=6), text=post())
def test_no_reason_contradicts_the_summary(samples: list[str], text: str) -> None:
    memory = build_profile(samples)
    parts = summary_parts(memory)
    assert memory.summary == ", ".join(parts) + "."

    def in_summary(phrase: str) -> bool:
        return any(p == phrase or p.startswith(phrase + " (") for p in parts)

    score = score_text(text, memory, "Kim Lee")
    assert 0 <= score.score <= 100
    for reason in score.features:
        if reason.usual is not None:
            assert in_summary(reason.usual), (reason, parts)
        for phrase in _stated(reason.explanation, "Kim"):
            assert in_summary(phrase), (reason.explanation, parts)
        wrote = re.search(r"where Kim writes ((?:sentences|posts) of .+)$", reason.explanation)
        if wrote:
            assert in_summary(wrote.group(1)), (reason.explanation, parts)
        if "Kim uses neither 'I' nor 'we'" in reason.explanation:
            assert not any(in_summary(p) for p in _PRONOUNS)


def test_the_check_catches_a_contradiction() -> None:
    # The checker itself: a reason claiming the opposite of the summary is caught.
    parts = ["avoids contractions"]
    stated = _stated("contractions, where Kim uses contractions", "Kim")
    assert stated == ["uses contractions"] and not any(p == stated[0] for p in parts)
    assert _stated("few or no questions, as usual (Kim rarely asks questions)", "Kim") == [
        "rarely asks questions"
    ]


# A reason's words for a measure found unlike the person, and for one found like them.
_SAYS_UNLIKE = (", where ", "unlike", "unusual", "than usual", "often than", " than Kim uses")
_SAYS_LIKE = (
    "as usual",
    "within ",
    " as Kim uses them",
    "small words used as",
    "together like Kim",
    "shows the habits",
)


def _contradicts(reason: FeatureScore) -> bool:
    """Whether the words say the opposite of the mark `bb voice score` puts beside them."""
    words_of_bb = re.sub(r"'[^']*'", "''", reason.explanation)  # quoted text is the post's
    if reason.similarity >= ALIKE:
        return any(phrase in words_of_bb for phrase in _SAYS_UNLIKE)
    return any(phrase in words_of_bb for phrase in _SAYS_LIKE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(samples=st.lists(post(), min_size=3, max_size=6), text=post())
def test_no_reason_contradicts_its_mark(samples: list[str], text: str) -> None:
    """'✓ few or no colons, where Marcus sets points up with colons': a short text within
    someone's range, worded as if it were not."""
    score = score_text(text, build_profile(samples), "Kim Lee")
    assert not [r.explanation for r in score.features if _contradicts(r)]


def test_no_reason_contradicts_its_mark_on_real_writing() -> None:
    writers = yaml.safe_load(EVAL.read_text())["writers"]
    profiles = {name: build_profile(posts[:6]) for name, posts in writers.items()}
    contradictions = [
        (name, reason.similarity, reason.explanation)
        for name, posts in writers.items()
        for text in posts[6:]
        for profile in profiles.values()
        for reason in score_text(text, profile, "Kim Lee").features
        if _contradicts(reason)
    ]
    assert not contradictions


def test_the_mark_check_catches_a_contradiction() -> None:
    assert _contradicts(FeatureScore("colons", 0.9, "few or no colons, where Kim sets points up"))
    assert _contradicts(FeatureScore("emoji", 0.2, "emoji, as usual (Kim uses emoji)"))
    assert not _contradicts(FeatureScore("emoji", 0.2, "emoji, more than usual for Kim"))
    assert not _contradicts(FeatureScore("phrase", 0.9, "'more unlike' as usual"))
    assert _contradicts(FeatureScore("commas", 0.9, "fewer commas than Kim uses"))
    assert not _contradicts(FeatureScore("shown", 0.9, "more than one paragraph, as in 1 of 3"))
    # Between the midpoint and the mark's threshold: a • beside 'like Kim' (it was worded from
    # 0.5, the mark from ALIKE).
    assert _contradicts(FeatureScore("char_ngrams", 0.55, "strings … together like Kim"))
    assert _contradicts(FeatureScore("shown", 0.55, "shows the habits Kim's texts show"))


def test_a_habit_not_shown_reads_without_its_article() -> None:
    """'no an exclamation mark, unlike 2 of Priya's 3 texts'."""
    said = _shown_words(Shown("exclamations", False, 2, -0.5), "Kim", 3)
    assert said == "no exclamation mark, unlike 2 of Kim's 3 texts"
    assert _shown_words(Shown("lists", False, 0, 0.3), "Kim", 3).startswith("no list, as in 3")
