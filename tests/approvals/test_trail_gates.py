"""Issue 12, end to end: every gate acts on the verified trail, and sync never damages it.
Real git, real ssh keys, hand-made commits, a bare remote."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from bloomberry_cli.cli.review_cmd import ReviewLoop
from bloomberry_cli.workspace import load_workspace
from conftest import BB, copy_example, git
from support.keys import ScriptedIO
from support.team import Team, make_team, write_post
from support.trail import (
    ALICE,
    JORDAN,
    MALLORY,
    MARIA,
    URL,
    audit,
    head,
    new_key,
    public_line,
    rules,
    rules_at,
    set_keys,
    status,
    two_clones,
)


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def forged_approvals(team: Team) -> tuple[str, str, str]:
    """Two unsigned hand-made approvals, marketing and author: what anyone with push access
    can write."""
    rel = write_post(team)
    marketing = team.commit_decision(MARIA, rel, "approve", "marketing", sign=False)
    author = team.commit_decision(ALICE, rel, "approve", "author", sign=False)
    return rel, marketing, author


def log_count(root: Path, rev: str = "HEAD") -> int:
    return int(git(root, "rev-list", "--count", rev).strip())


# Forged approvals are not "approved" anywhere ------------------------------------------------


def test_status_shows_forged_approvals_as_unverified(team: Team, bb: BB) -> None:
    rel, marketing, _ = forged_approvals(team)
    post = status(bb, team.root, rel)
    assert post["state"] == "unverified", post
    assert post["stages"] == {"marketing": "pending", "author": "pending"}
    assert "signature.missing" in {v["rule"] for v in post["violations"]}
    assert marketing in {v["commit"] for v in post["violations"]}
    text = bb("status", cwd=team.root)
    assert "unverified" in text.out and "signature.missing" in text.out


def test_publish_refuses_forged_approvals(team: Team, bb: BB) -> None:
    rel, _, _ = forged_approvals(team)
    before = log_count(team.root)
    team.act_as(ALICE)
    result = bb("publish", rel, "--url", URL, cwd=team.root)
    assert result.code == 1, result.err + result.out
    assert "signature.missing" in result.err and "bb audit" in result.err
    assert log_count(team.root) == before


def test_export_refuses_forged_approvals(team: Team, bb: BB) -> None:
    rel, _, _ = forged_approvals(team)
    result = bb("export", "--format", "json", cwd=team.root)
    assert result.code == 1, result.err + result.out
    assert rel in result.err and "bb audit" in result.err
    assert rel not in result.out


def test_no_decision_on_a_post_whose_trail_has_a_violation(team: Team, bb: BB) -> None:
    rel, _, _ = forged_approvals(team)
    other = write_post(team, participant="marcus")
    before = log_count(team.root)
    team.act_as(JORDAN)
    result = bb("reject", rel, "-r", "who approved this?", cwd=team.root)
    assert result.code == 1 and "signature.missing" in result.err and "bb audit" in result.err
    assert log_count(team.root) == before
    assert bb("approve", other, cwd=team.root).code == 0  # blocks nothing but itself


def test_review_screen_warns_about_forged_approvals(team: Team) -> None:
    rel, marketing, _ = forged_approvals(team)
    team.act_as(JORDAN)
    before = log_count(team.root)
    console = Console(file=io.StringIO(), width=200, record=True, force_terminal=False)
    ReviewLoop(load_workspace(team.root), console, ScriptedIO("a")).run()
    screen = console.export_text()
    assert f"trail: signature.missing in {marketing[:10]}" in screen, screen
    assert "bb audit" in screen
    assert log_count(team.root) == before, f"{rel} must not take a decision"


# bb sync is a gate, not a hole ----------------------------------------------------------------


def test_sync_reports_a_forged_remote_commit_and_pushes_honest_work(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    forged_post = write_post(team)
    honest_post = write_post(team, participant="marcus")
    clones = two_clones(team, tmp_path)
    evil = tmp_path / "evil"
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), str(evil))
    forged = Team(evil, team.keys).commit_decision(
        MALLORY, forged_post, "approve", "marketing", reviewer=JORDAN
    )
    git(evil, "push", "-q")
    team.act_as(MARIA, clones["maria"])
    assert bb("approve", honest_post, cwd=clones["maria"]).code == 0
    mine = head(clones["maria"])
    result = bb("sync", cwd=clones["maria"])
    assert result.code == 1, result.err + result.out
    assert "signature.unknown-key" in result.err and forged[:10] in result.err
    remote = tmp_path / "remote.git"
    assert git(remote, "merge-base", "--is-ancestor", mine, "main") == ""  # honest work pushed
    assert status(bb, clones["maria"], forged_post)["stages"]["marketing"] == "pending"
    assert status(bb, clones["maria"], forged_post)["state"] == "unverified"
    assert status(bb, clones["maria"], honest_post)["stages"]["marketing"] == "approved"
    again = bb("sync", cwd=clones["maria"])  # every run audits; nothing new to push
    assert "1 earlier violation" in again.err or "signature.unknown-key" in again.err, again
    code, document = audit(bb, clones["maria"])
    assert code == 1 and rules_at(document, forged) == ["signature.unknown-key"]


def test_sync_refuses_a_rewritten_upstream(team: Team, bb: BB, tmp_path: Path) -> None:
    first = write_post(team)
    second = write_post(team, participant="marcus")
    clones = two_clones(team, tmp_path)
    remote = tmp_path / "remote.git"
    team.act_as(MARIA, clones["maria"])
    assert bb("approve", first, cwd=clones["maria"]).code == 0
    assert bb("sync", cwd=clones["maria"]).code == 0
    team.act_as(JORDAN, clones["jordan"])
    assert bb("approve", second, cwd=clones["jordan"]).code == 0
    git(clones["jordan"], "push", "-q", "--force")  # Maria's approval is gone upstream
    forced = git(remote, "rev-parse", "main").strip()
    team.act_as(MARIA, clones["maria"])
    assert bb("reject", second, "-r", "not this week", cwd=clones["maria"]).code == 0
    mine = head(clones["maria"])
    result = bb("sync", cwd=clones["maria"])
    assert result.code == 1, result.err + result.out
    assert "history.rewritten" in result.err or "force-push" in result.err
    assert git(remote, "rev-parse", "main").strip() == forced  # nothing pushed
    assert head(clones["maria"]) == mine  # nothing merged or rebased
    assert git(clones["maria"], "status", "--porcelain") == ""


def test_sync_of_a_clean_history_still_works(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    clones = two_clones(team, tmp_path)
    team.act_as(MARIA, clones["maria"])
    assert bb("approve", rel, cwd=clones["maria"]).code == 0
    result = bb("sync", cwd=clones["maria"])
    assert result.code == 0 and "1 pushed" in result.out, result.err + result.out
    assert bb("sync", cwd=clones["jordan"]).code == 0
    assert status(bb, clones["jordan"], rel)["stages"]["marketing"] == "approved"


# bb waive ------------------------------------------------------------------------------------


def test_waive_acknowledges_a_violation_but_the_decision_stays_void(team: Team, bb: BB) -> None:
    rel = write_post(team)
    forged = team.commit_decision(MARIA, rel, "approve", "marketing", sign=False)
    code, document = audit(bb, team.root)
    assert code == 1 and rules_at(document, forged) == ["signature.missing"]
    team.act_as(JORDAN)  # marketing, not admin
    refused = bb("waive", forged, "--rule", "signature.missing", "-r", "mine", cwd=team.root)
    assert refused.code != 0 and "not an admin" in refused.err
    team.act_as(MARIA)
    result = bb(
        "waive",
        forged,
        "--rule",
        "signature.missing",
        "-r",
        "Maria forgot to sign; checked with her",
        cwd=team.root,
    )
    assert result.code == 0, result.err
    waiver = git(team.root, "cat-file", "commit", "HEAD")
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in waiver and f"Bb-Waives: {forged}" in waiver
    code, document = audit(bb, team.root)
    assert code == 0 and document["ok"] is True, document
    [entry] = [v for v in document["violations"] if v["commit"] == forged]
    assert entry["waived"] is True
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"


def test_an_unsigned_waiver_does_not_count(team: Team, bb: BB) -> None:
    rel = write_post(team)
    forged = team.commit_decision(MARIA, rel, "approve", "marketing", sign=False)
    tip = head(team.root)
    message = (
        f"bb: waive {forged} (signature.missing)\n\nlooked into\n\n"
        f"Bb-Waives: {forged}\nBb-Rule: signature.missing\n"
    )
    made = git(team.root, "commit-tree", "-p", tip, "-m", message, f"{tip}^{{tree}}").strip()
    git(team.root, "reset", "-q", "--hard", made)
    code, document = audit(bb, team.root)
    assert code == 1 and "signature.missing" in rules(document, counting=True), document


# Unsafe states refuse ------------------------------------------------------------------------


def test_approve_refuses_with_an_uncommitted_key_change(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    fresh = new_key(tmp_path, "jordan-new")
    set_keys(team.root, JORDAN, f'["{public_line(fresh)}"]')
    before = log_count(team.root)
    team.act_as(MARIA)
    for args in (
        ("approve", rel),
        ("reject", rel, "-r", "no"),
        ("request-changes", rel, "-r", "no"),
        ("publish", rel, "--url", URL),
    ):
        result = bb(*args, cwd=team.root)
        assert result.code != 0 and "bloomberry.yaml" in result.err, (args, result.err)
        assert "bb policy commit" in result.err
    assert log_count(team.root) == before
    assert "bloomberry.yaml" in git(team.root, "status", "--porcelain")  # left as it was


def test_withdrawing_your_own_approval(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as(MARIA)
    assert bb("approve", rel, cwd=team.root).code == 0
    result = bb("reject", rel, "-r", "the audit date is wrong", cwd=team.root)
    assert result.code == 0, result.err + result.out
    assert "Bb-Stage: marketing" in git(team.root, "log", "-1", "--format=%B")
    assert status(bb, team.root, rel)["state"] == "rejected"
    assert bb("approve", rel, cwd=team.root).code == 0  # and approving again
    team.act_as(ALICE)
    assert bb("approve", rel, cwd=team.root).code == 0
    result = bb("request-changes", rel, "-r", "I want to reword the ending", cwd=team.root)
    assert result.code == 0, result.err + result.out
    assert "Bb-Stage: author" in git(team.root, "log", "-1", "--format=%B")
    assert status(bb, team.root, rel)["state"] == "changes-requested"
    assert audit(bb, team.root)[0] == 0


def test_detached_head_refuses(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "switch", "-q", "--detach")
    tip = head(team.root)
    team.act_as(MARIA)
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2 and "detached" in result.err
    team.act_as(ALICE)
    result = bb("publish", rel, "--url", URL, cwd=team.root)
    assert result.code == 2 and "detached" in result.err
    assert head(team.root) == tip


def test_repository_without_commits_refuses(team: Team, bb: BB, tmp_path: Path) -> None:
    root = copy_example(tmp_path / "fresh")
    git(root, "init", "-q")
    fresh = Team(root, team.keys)
    rel = write_post(fresh, commit=False)
    fresh.act_as(MARIA)
    result = bb("approve", rel, cwd=root)
    assert result.code == 2 and "no commits" in result.err, result.err
    assert git(root, "rev-list", "--all") == ""


def test_someone_elses_signing_key_is_refused_before_committing(team: Team, bb: BB) -> None:
    rel = write_post(team)
    before = log_count(team.root)
    team.act_as(MARIA)
    git(team.root, "config", "user.signingkey", str(team.keys[JORDAN]))
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2 and "jordan@example.com's key" in result.err
    team.act_as(JORDAN)
    git(team.root, "config", "user.email", ALICE)
    result = bb("reject", rel, "-r", "no", cwd=team.root)
    assert result.code == 2 and "jordan@example.com's key" in result.err
    assert log_count(team.root) == before


def test_identity_from_a_key_file_without_pub(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(team.keys[JORDAN], lone / "signing")
    (lone / "signing").chmod(0o600)
    team.act_as(JORDAN)
    git(team.root, "config", "user.signingkey", str(lone / "signing"))
    git(team.root, "config", "user.email", MARIA)  # the key says Jordan
    before = log_count(team.root)
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2 and "jordan@example.com's key" in result.err
    assert log_count(team.root) == before
    git(team.root, "config", "user.email", JORDAN)
    assert bb("approve", rel, cwd=team.root).code == 0
    assert "Bb-Reviewer: jordan@example.com" in git(team.root, "log", "-1", "--format=%B")
    code, document = audit(bb, team.root)
    assert code == 0, json.dumps(document)
