"""Session 26, second newcomer pass: the flows the first one did not run (bb sync with a real
remote, a fresh clone, -C into a sub-folder, waive, publish, metrics from a messy CSV, voice
calibration before a review), each ending in one message that names the thing to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BB, git
from support.team import Team, make_team, two_clones, write_post


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and "unexpected error" not in text, text


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


# -- Voice Memory is not policy: calibrating a voice does not block the next approval ----------


def test_approve_after_voice_calibrate_is_not_blocked(bb: BB, team: Team) -> None:
    rel = write_post(team, body="What the audit taught us about access reviews.\n")
    team.act_as("maria@example.com")
    assert bb("voice", "calibrate", "alice", cwd=team.root).code == 0
    assert "voices/alice.yaml" in git(team.root, "status", "--porcelain")  # memory: written
    result = bb("approve", rel, cwd=team.root)
    # was exit 2: "uncommitted changes to policy files (voices/alice.yaml) … commit them with
    # `bb policy commit`", which then said "nothing to consent to": a dead end
    assert result.code == 0, result
    assert "voices/alice.yaml" in git(team.root, "status", "--porcelain")  # left for them


def test_an_uncommitted_grant_still_blocks_a_decision(bb: BB, team: Team) -> None:
    rel = write_post(team, body="What the audit taught us about access reviews.\n")
    team.act_as("maria@example.com")
    voice = team.root / "voices" / "alice.yaml"
    voice.write_text(voice.read_text().replace("alice@example.com", "alice@evil.example"))
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2, result
    assert "uncommitted changes to policy files (voices/alice.yaml)" in result.err
