"""The voice score is judged only from lint.voice_min_words of the person's own words; a draft
under the threshold because of the person's own words in the brief says so."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bloomberry_cli.approvals.projection import strictest
from bloomberry_cli.governance.lint import lint_paths
from bloomberry_cli.models.voice import VoiceMemory
from bloomberry_cli.voice.features import extract, per_100
from bloomberry_cli.voice.profile import build_profile
from bloomberry_cli.voice.reason import ALIKE, FeatureScore
from bloomberry_cli.voice.score import score_text
from bloomberry_cli.workspace import load_workspace
from conftest import BB

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "bloomberry_cli" / "example"

# Nothing like Alice (dry, 'we', colons, no exclamations): exclamations, 'I', emoji.
UNLIKE_ALICE_SHORT = "OMG I love this so much!!! Best team ever!!! 🎉🎉 So proud!!!"
UNLIKE_ALICE_LONG = (
    "OMG I love this so much!!! Best team ever, honestly!!! 🎉🎉 I am so proud of every "
    "single person who pushed this over the line!!! I could not stop smiling all day!!! "
    "Go team go!!!"
)


def _post(workspace: Path, body: str) -> Path:
    post = workspace / "posts" / "soc2-type2" / "alice--thought-leadership.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: thought-leadership\n"
        f"channel: linkedin\n---\n{body}\n"
    )
    return post


def _fidelity(workspace: Path) -> list[str]:
    report = lint_paths(load_workspace(workspace))
    return [f.message for f in report.findings if f.rule == "voice.fidelity"]


def _set_min_words(workspace: Path, value: int) -> None:
    config = workspace / "bloomberry.yaml"
    text = config.read_text()
    assert "  voice_min_words: 20" in text
    config.write_text(text.replace("  voice_min_words: 20", f"  voice_min_words: {value}"))


def test_a_short_post_is_scored_but_not_judged(workspace: Path, bb: BB) -> None:
    assert bb("voice", "calibrate", "alice", cwd=workspace).code == 0
    post = _post(workspace, UNLIKE_ALICE_SHORT)
    scored = json.loads(bb("voice", "score", str(post), "--format", "json", cwd=workspace).out)
    assert scored["score"] < 60 and scored["words"] < 20 and scored["judged"] is False
    text = bb("voice", "score", str(post), cwd=workspace).out
    assert f"too short to judge: {scored['words']} of their own words" in text
    assert _fidelity(workspace) == []  # too few words to tell Alice from anyone
    _set_min_words(workspace, 0)  # a team that wants every post judged can have it
    assert len(_fidelity(workspace)) == 1


def test_a_long_post_unlike_them_is_still_warned(workspace: Path, bb: BB) -> None:
    assert bb("voice", "calibrate", "alice", cwd=workspace).code == 0
    post = _post(workspace, UNLIKE_ALICE_LONG)
    scored = json.loads(bb("voice", "score", str(post), "--format", "json", cwd=workspace).out)
    assert scored["words"] >= 20 and scored["judged"] is True and scored["score"] < 60
    assert len(_fidelity(workspace)) == 1
    _set_min_words(workspace, 200)
    assert _fidelity(workspace) == []


def test_a_draft_below_because_of_their_take_says_so(workspace: Path, bb: BB) -> None:
    for person in ("alice", "marcus", "dan", "sam", "priya"):
        assert bb("voice", "calibrate", person, cwd=workspace).code == 0
    brief = workspace / "briefs" / "soc2-type2.yaml"
    brief.write_text(
        brief.read_text().replace(
            "  - id: alice\n", f'  - id: alice\n    take: "{UNLIKE_ALICE_LONG}"\n', 1
        )
    )
    result = bb("draft", "briefs/soc2-type2.yaml", cwd=workspace)
    assert result.code == 0, result.err
    flat = " ".join(result.out.split())
    assert (
        "posts/soc2-type2/alice--advocacy.md: their take in briefs/soc2-type2.yaml scores" in flat
    )
    assert "ask Alice to put it in their own words" in flat
    again = bb("draft", "briefs/soc2-type2.yaml", "--format", "json", "--force", cwd=workspace)
    rows = {row["path"]: row for row in json.loads(again.out)["drafts"]}
    alice = rows["posts/soc2-type2/alice--advocacy.md"]
    assert alice["voice"] < 60 and alice["voice_judged"] and "their take" in alice["voice_note"]
    # A draft with too few of the person's own words shows its score, unflagged and unnoted.
    short = [row for row in rows.values() if row["voice"] is not None and not row["voice_judged"]]
    assert short and all(row["voice_note"] is None for row in short)
    assert "too few of the person's own words to judge the voice" in flat


def test_concurrent_policies_keep_the_stricter_minimum() -> None:
    base = {"approvals": {"stages": {"advocacy": ["marketing"]}, "allow_unsigned": False}}
    one = {**base, "lint": {"voice_threshold": 60, "voice_min_words": 20}}
    two = {**base, "lint": {"voice_threshold": 70, "voice_min_words": 0}}
    assert strictest([one, two])["lint"] == {"voice_threshold": 70, "voice_min_words": 0}


def _marcus() -> VoiceMemory:
    marcus = yaml.safe_load((EXAMPLE / "voices" / "marcus.yaml").read_text())
    return build_profile(marcus["samples"])


def _reason(text: str, feature: str) -> FeatureScore:
    scored = score_text(text, _marcus(), "Marcus Webb")
    return next(f for f in scored.features if f.feature == feature)


def test_word_length_of_a_short_text_is_judged_with_its_noise() -> None:
    # One sentence's mean word length is a mean over few words (they vary by about two
    # letters each): a short text of short words is not, by that alone, unlike Marcus, while
    # the same words over a whole post are.
    short = "Quick one from the customer side: ask your admins what they need, then do that first."
    assert _reason(short, "word_length").similarity >= ALIKE
    long = " ".join([short] * 10)
    assert _reason(long, "word_length").similarity < 0.1
    assert "fewer long words than Marcus uses" in _reason(long, "word_length").explanation


def test_the_digits_of_a_name_are_not_a_numbers_habit() -> None:
    # Anyone who writes of SOC 2 writes its digit: that says nothing of how they write numbers.
    named = extract("Months of evidence: SOC 2 Type II, ISO 27001 next, then FedRAMP by Q3.")
    assert named.habits["numbers"] == 0 and "numbers" not in named.shown
    counted = extract("We cut onboarding from 21 days to 2, for 1,200 users; up 40% in Q3 2026.")
    assert counted.habits["numbers"] == per_100(5, counted.words)
    soc2 = (
        'Half my renewal calls this year started with "do you have SOC 2?" Now the answer is yes.'
    )
    assert "numbers" not in _reason(soc2, "shown").explanation
    assert _reason(soc2, "numbers").similarity == 1.0
    digits = "Half my renewal calls this year started with 12 questions. Now it is 3."
    assert "numbers in digits" in _reason(digits, "shown").explanation
