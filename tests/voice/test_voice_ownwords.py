"""What counts as the person's own words: the drafting templates' stock lines, the brief's
message (every variant), links, hashtags and the disclosure are not."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
from bloomberry_cli.posts import load_post
from bloomberry_cli.voice.calibrate import calibrate
from bloomberry_cli.voice.fidelity import CompanyWords, brief_messages, own_words, post_own_words
from bloomberry_cli.voice.profile import build_profile
from bloomberry_cli.workspace import load_workspace
from conftest import BB

# Every stock line the templates (templates/*.md.j2) can write around a person's words.
FILLER = (
    "Sharing this one.",
    "this is worth knowing.",
    "this one matters.",
    "Worth a look",
    "things I noticed:",
    "things we noticed:",
    "What I noticed:",
    "What we noticed:",
    "Add your own observation",
    "Add your own line",
    "this is the kind of moment I keep coming back to",
    "I'm proud of the team behind this one",
    "moments like this are why we do the work",
)


@pytest.mark.parametrize("channel", ["linkedin", "x"])
def test_no_template_filler_survives_in_any_draft(workspace: Path, channel: str) -> None:
    loaded = load_workspace(workspace)
    for voice_id in loaded.voices:
        calibrate(loaded, voice_id)
    if channel == "x":  # the terse template (advocacy.x.md.j2)
        for brief in (workspace / "briefs").glob("*.yaml"):
            text = brief.read_text().replace("channel: linkedin", "channel: x")
            brief.write_text(text)
    loaded = load_workspace(workspace)
    rows = draft_briefs(loaded, ["soc2-type2", "hiring-q1"], DraftOptions())
    templates = {row.job.program for row in rows}
    assert templates == {"advocacy", "thought-leadership"}
    seen_filler = False
    for row in rows:
        post = load_post(workspace, row.job.path)
        seen_filler |= any(f.lower() in post.body.lower() for f in FILLER)
        mine = post_own_words(loaded, post)
        for filler in FILLER:
            assert filler.lower() not in mine.lower(), (row.job.path, filler)
        assert "http" not in mine and "acme-security.example.com" not in mine
        assert "#SOC2" not in mine and "SOC 2 Type II certification, a milestone" not in mine
    assert seen_filler or channel == "x"  # the drafts did have filler to remove


def test_every_message_variant_is_removed_and_never_learned() -> None:
    advocacy = SimpleNamespace(
        message="We earned SOC 2 Type II.",
        messages=[
            "We earned SOC 2 Type II.",
            "We earned SOC 2 Type II, audited by Prescient.",
            SimpleNamespace(text="Our SOC 2 Type II report is ready for customers."),
        ],
    )
    variants = brief_messages(advocacy)
    assert len(variants) == 4 and variants[-1].startswith("Our SOC 2 Type II report")
    company = CompanyWords(
        messages=tuple(variants), hashtags=("#SOC2",), disclosure="I work at Acme."
    )
    posts = [
        "Proud of this team.\n\nWe earned SOC 2 Type II, audited by Prescient.\n\n"
        "I work at Acme. #SOC2 #platform",
        "Our SOC 2 Type II report is ready\nfor customers.\n\nAsk me about it, seriously.",
        "We earned SOC 2 Type II.\n\nSeriously, a long road. #SOC2",
    ]
    mine = [own_words(p, company) for p in posts]
    assert mine[0] == "Proud of this team.\n\n#platform"  # the longest variant went whole
    assert mine[1] == "Ask me about it, seriously."  # matched across a line break
    assert mine[2] == "Seriously, a long road."
    memory = build_profile(mine)
    learned = " ".join([*memory.phrases, *memory.openers, *memory.sign_offs, *memory.hashtags])
    assert "soc" not in learned.lower() and "prescient" not in learned.lower()
    assert memory.hashtags == ["#platform"]


def test_validate_names_the_line_of_a_hand_edited_memory_block(workspace: Path, bb: BB) -> None:
    voice = workspace / "voices" / "alice.yaml"
    lines = voice.read_text().rstrip("\n").split("\n")
    voice.write_text("\n".join(lines) + "\nmemory:\n  samples: 3\n  summary: hi\n")
    before = voice.read_text()
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert f"voices/alice.yaml:{len(lines) + 2}:" in result.err
    assert "no 'version:'" in result.err and "bb voice calibrate" in result.err
    assert voice.read_text() == before  # nothing rewritten
    voice.write_text(
        "\n".join(lines) + "\nmemory:\n  version: 3\n  calibrated: 2026-01-05\n"
        "  samples: 3\n  summary: hi\n  habits: {}\n"
    )
    result = bb("validate", cwd=workspace)
    assert result.code == 2 and f"voices/alice.yaml:{len(lines) + 6}:" in result.err
    assert "sentence_words" in result.err


def test_every_pool_line_is_known_as_bb_s_own_words() -> None:
    """The framing and audience lines drafting picks from (drafting/pools.py) are bb's words:
    filled in for any team, role or audience, none of them survives in a person's own words,
    and what the person wrote around them does."""
    from bloomberry_cli.drafting import pools

    fields = {
        "team": "customer success",
        "role": "Founder & CEO",
        "audience": "security leaders evaluating vendors",
    }
    lines = [line.format(**fields) for kind in pools.FRAMING.values() for line in kind]
    lines += [line.format(**fields) for line in pools.AUDIENCE_LINES]
    lines += [line.format(**fields) for line in pools.HIRING_LINES]
    assert len(lines) >= 26
    for line in lines:
        post = f"Proud of this one, honestly.\n\n{line} 🙌\n\nFloors, not ceilings."
        assert own_words(post) == "Proud of this one, honestly.\n\nFloors, not ceilings.", line
    # Lead-ins and requests the templates write are bb's too.
    for stock in (
        "Two more things we noticed about how the SOC 2 process changed things:",
        "3 things I noticed:",
        "Small thing, big effect: [Add your own observation: What did you see?]",
        "[Add your own line: why this matters to you as VP Security]",
    ):
        assert "noticed" not in own_words(stock) and "Add your own" not in own_words(stock)
    assert (
        own_words("Small thing, big effect: [Add your own observation: Why?]")
        == "Small thing, big effect:"
    )
