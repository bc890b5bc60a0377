"""A newcomer's attacks on Voice Memory v3: hand-edited numbers in the memory: block, and
sample files that are not UTF-8. Each is one clear message naming the file, exit 2, nothing
written, never "a bug in bb"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bloomberry_cli.voice import calibrate as calibrate_module
from conftest import BB

POST = (
    "---\nbrief: soc2-type2\nparticipant: alice\nprogram: thought-leadership\n"
    "channel: linkedin\n---\nWe finished the audit: it took a quarter. We rotated keys.\n"
)


def _calibrated(workspace: Path, bb: BB) -> Path:
    assert bb("voice", "calibrate", "alice", cwd=workspace).code == 0
    post = workspace / "posts" / "soc2-type2" / "alice--thought-leadership.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST)
    return workspace / "voices" / "alice.yaml"


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ((r"sentence_words: \{mean: [0-9.]+", "sentence_words: {mean: .nan"), "finite"),
        (
            (
                r"sentence_words: \{mean: ([0-9.]+), sd: [0-9.]+",
                r"sentence_words: {mean: \1, sd: .inf",
            ),
            "finite",
        ),
        ((r"sentence_words: \{mean: [0-9.]+", "sentence_words: {mean: 1e308"), "at most"),
        ((r"function_words: \{the: [0-9.]+", "function_words: {the: .inf"), "finite"),
        ((r"char_ngram_count: [0-9]+", "char_ngram_count: 1" + "0" * 400), "at most"),
        ((r"  samples: [0-9]+", "  samples: 1" + "0" * 400), "at most"),
    ],
)
def test_a_hand_edited_number_is_a_validate_error_at_its_line_not_a_crash(
    workspace: Path, bb: BB, edit: tuple[str, str], says: str
) -> None:
    voice = _calibrated(workspace, bb)
    before = voice.read_text()
    text, count = re.subn(edit[0], edit[1], before, count=1)
    assert count == 1
    voice.write_text(text)
    line = next(
        n
        for n, (old, new) in enumerate(zip(before.splitlines(), text.splitlines(), strict=True), 1)
        if old != new
    )
    for command in (
        ("validate",),
        ("lint",),
        ("voice", "score", "posts/soc2-type2/alice--thought-leadership.md"),
    ):
        result = bb(*command, cwd=workspace)
        assert result.code == 2, (command, result.err)
        assert f"voices/alice.yaml:{line}:" in result.err and says in result.err
        assert "bug in bb" not in result.err


def test_a_sample_over_the_size_limit_is_refused_with_the_limit(
    workspace: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calibrate_module, "MAX_SAMPLE_BYTES", 64)
    (workspace / "long.txt").write_text("We rotated the keys before the audit. " * 3)
    result = bb("voice", "calibrate", "alice", "long.txt", cwd=workspace)
    assert result.code == 2
    assert "long.txt: file is" in result.err and "bb reads files of this kind up to" in result.err


def test_calibrate_counts_in_words(workspace: Path, bb: BB) -> None:
    (workspace / "mine.txt").write_text("Shipping small beats shipping big. We rotated keys.\n")
    result = bb("voice", "calibrate", "alice", "mine.txt", cwd=workspace)
    assert result.code == 0, result.err
    assert "from 3 samples, 1 file;" in result.out


def test_reasons_read_as_english() -> None:
    """No "no a sentence…", "few or no a list", "(Alice no emoji)" in what bb voice score and
    bb lint print."""
    from bloomberry_cli.voice.profile import build_profile
    from bloomberry_cli.voice.score import score_text

    texts = [
        "Ship it.\nWe rotated every key before the audit and nobody noticed a thing.",
        "Small wins.\nThe team closed the access review two weeks early this quarter.",
        "Try this.\nOur onboarding checklist now fits on one page for every new hire.",
    ]
    scored = score_text(
        "We rotated every key before the audit; the team closed the access review early, "
        "and the onboarding checklist now fits on one page.",
        build_profile(texts),
        "Alice",
    )
    reasons = {feature.feature: feature.explanation for feature in scored.features}
    assert "no sentence of four words or fewer, unlike 3 of Alice's 3 texts" in reasons["shown"]
    assert reasons["lists"] == "few or no lists, as usual"
    assert reasons["emoji"] == "few or no emoji, as usual (Alice uses no emoji)"
    assert not any(" a a " in r or "no a " in r for r in reasons.values())
    with_emoji = score_text(
        "We rotated every key before the audit 🎉", build_profile(texts), "Alice"
    )
    emoji = next(f.explanation for f in with_emoji.features if f.feature == "emoji")
    assert emoji == "emoji, where Alice uses no emoji"


def test_a_sample_file_named_twice_counts_once(workspace: Path, bb: BB) -> None:
    (workspace / "mine.txt").write_text("Shipping small beats shipping big. We rotated keys.\n")
    result = bb("voice", "calibrate", "alice", "mine.txt", "./mine.txt", "mine.txt", cwd=workspace)
    assert result.code == 0, result.err
    assert "from 3 samples, 1 file;" in result.out
