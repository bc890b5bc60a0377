"""Session 26 attacks on the trail and its gates: someone with push access who wants a post out
without the approvals, or a decision hidden. Real git, real ssh keys, hand-made commits; each
test failed before its fix (the xfail ones still do)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from conftest import BB, git
from support.team import Team, make_team, write_post
from support.trail import (
    ALICE,
    JORDAN,
    MALLORY,
    MARIA,
    URL,
    add_reviewer,
    approved_by_both,
    audit,
    commit_all,
    head,
    new_key,
    public_line,
    status,
    two_clones,
)


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def hook(root: Path, name: str, script: str) -> None:
    path = root / ".git" / "hooks" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


# An orphan branch merged in as the first parent, in a clone with no pinned root --------------


def orphan_history_first(team: Team, tmp_path: Path) -> tuple[str, str]:
    """Mallory's own root (she is admin and marketing, 'alice' holds a key of hers), her
    signed approvals there, merged with main's tree and main as the *second* parent: the
    first-parent line now ends at her root."""
    rel = write_post(team)
    main_tip = head(team.root)
    git(team.root, "checkout", "-q", "--orphan", "evil")
    add_reviewer(team, MALLORY, "marketing, admin")
    fake = new_key(tmp_path, "fake-alice")
    voice = team.root / "voices" / "alice.yaml"
    voice.write_text(voice.read_text().replace(team.public(ALICE), public_line(fake)))
    team.act_as(MALLORY)
    evil_root = commit_all(team.root, "Program workspace", sign=True)
    team.commit_decision(MALLORY, rel, "approve", "marketing")
    team.keys[ALICE] = fake  # Mallory signs as "alice" with her fake key
    evil_tip = team.commit_decision(ALICE, rel, "approve", "author")
    merged = git(
        team.root,
        "commit-tree",
        f"{evil_tip}^{{tree}}",
        "-p",
        evil_tip,
        "-p",
        main_tip,
        "-m",
        "Merge branch 'main'",
    ).strip()
    git(team.root, "switch", "-q", "main")
    git(team.root, "reset", "-q", "--hard", merged)
    git(team.root, "config", "--unset", "bb.trustRoot")  # a fresh clone: nothing pinned
    return rel, evil_root


def test_orphan_root_as_first_parent_is_not_trusted_by_the_gates(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel, _ = orphan_history_first(team, tmp_path)
    post = status(bb, team.root, rel)
    assert post["state"] == "unverified", post
    assert post["violations"][0]["rule"] == "history.multiple-roots"
    exported = bb("export", "--format", "json", cwd=team.root)
    assert exported.code == 1 and "history.multiple-roots" in exported.err
    published = bb("publish", rel, "--url", URL, cwd=team.root)  # as Mallory's "alice"
    assert published.code == 1, published.out
    assert "history.multiple-roots" in published.err and "bb audit" in published.err


def test_audit_never_suggests_pinning_one_of_several_roots(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    _, evil_root = orphan_history_first(team, tmp_path)
    text = bb("audit", cwd=team.root)
    assert text.code == 1 and "history.multiple-roots" in text.out
    assert evil_root not in text.out + text.err, "bb told the user to pin Mallory's root"
    code, document = audit(bb, team.root)
    assert code == 1 and evil_root not in json.dumps(document["violations"])


# A force-push that drops a reject, taken in with `git pull --rebase` --------------------------


def test_reject_dropped_by_a_force_push_is_not_forgotten_by_the_gates(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel = write_post(team)
    clones = two_clones(team, tmp_path)
    maria, jordan = clones["maria"], clones["jordan"]
    approved_by_both(bb, team, rel, jordan)
    team.act_as(JORDAN, jordan)
    assert bb("sync", cwd=jordan).code == 0
    team.act_as(MARIA, maria)
    assert bb("sync", cwd=maria).code == 0
    assert bb("reject", rel, "--stage", "marketing", "-r", "Legal says no", cwd=maria).code == 0
    assert bb("sync", cwd=maria).code == 0
    team.act_as(JORDAN, jordan)
    assert bb("sync", cwd=jordan).code == 0  # Jordan's clone verified the reject
    git(tmp_path / "remote.git", "update-ref", "refs/heads/main", "HEAD~1")  # force-push
    git(jordan, "pull", "-q", "--rebase")  # drops the reject from Jordan's history
    post = status(bb, jordan, rel)
    assert post["state"] == "unverified" and post["violations"][0]["rule"] == "history.rewritten"
    team.act_as(ALICE, jordan)
    published = bb("publish", rel, "--url", URL, cwd=jordan)
    assert published.code == 1 and "history.rewritten" in published.err
    assert bb("export", cwd=jordan).code == 1


# git settings and hooks on the deciding machine ---------------------------------------------


def test_log_show_signature_setting_does_not_break_the_trail(team: Team, bb: BB) -> None:
    """A common personal setting: git log prints every signature check. Before, the trail read
    that text as commits and reported its own root as a rewrite (every post a draft)."""
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    git(team.root, "config", "log.showSignature", "true")
    code, document = audit(bb, team.root)
    assert code == 0 and document["decisions"] == 2, document
    assert status(bb, team.root, rel)["state"] == "approved"


def test_a_reason_that_looks_like_a_trailer_is_refused_not_silently_void(
    team: Team, bb: BB
) -> None:
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    team.act_as(MARIA)
    before = head(team.root)
    result = bb(
        "reject", rel, "--stage", "marketing", "-r", "No source.\nBb-Source: legal", cwd=team.root
    )
    assert result.code == 2, result.out  # was exit 0: a reject the trail never counted
    assert "Bb-" in result.err and head(team.root) == before
    assert status(bb, team.root, rel)["state"] == "approved"  # honestly: nothing was recorded


def test_a_commit_msg_hook_does_not_turn_a_decision_into_a_malformed_one(
    team: Team, bb: BB
) -> None:
    """Gerrit's commit-msg hook adds a Change-Id trailer: bb's decision then never counted."""
    rel = write_post(team)
    hook(team.root, "commit-msg", 'printf "Change-Id: I0123456789abcdef\\n" >> "$1"\n')
    approved_by_both(bb, team, rel)
    code, document = audit(bb, team.root)
    assert code == 0 and document["decisions"] == 2, document
    assert status(bb, team.root, rel)["state"] == "approved"


def test_a_hook_that_rewrites_a_reject_into_an_approval_is_undone(team: Team, bb: BB) -> None:
    """A prepare-commit-msg hook (from a shared core.hooksPath, say) runs before git signs: it
    could make Maria sign an approval while she typed reject. bb reads its commit back."""
    rel = write_post(team)
    team.act_as(JORDAN)
    assert bb("approve", rel, cwd=team.root).code == 0
    hook(
        team.root,
        "prepare-commit-msg",
        "sed -i -e 's/reject/approve/g' \"$1\"\n",
    )
    team.act_as(MARIA)
    before = head(team.root)
    result = bb("reject", rel, "--stage", "marketing", "-r", "Legal says no", cwd=team.root)
    assert result.code == 2 and "undid" in result.err, result.err
    assert head(team.root) == before
    assert git(team.root, "status", "--porcelain").strip() == ""


# .gitattributes pushed by anyone: git stores posts otherwise than the files read -------------


def crlf_posts(team: Team) -> str:
    """An eol=crlf attribute on posts (or a Windows user's core.autocrlf): the file has CRLF,
    the blob git stores LF."""
    (team.root / ".gitattributes").write_text("posts/** text eol=crlf\n")
    commit_all(team.root, "attributes")
    rel = write_post(team)
    git(team.root, "rm", "-q", "--cached", "-r", "posts")
    git(team.root, "reset", "-q", "--hard")
    assert b"\r\n" in (team.root / rel).read_bytes()
    return rel


def test_posts_with_converted_line_endings_can_be_approved(team: Team, bb: BB) -> None:
    """Before: exit 0 and a commit whose Bb-Post-Sha256 (the file's bytes) never matched the
    blob (content.changed-after-approval): every decision void, silently; then a refusal. The
    hash is now of the blob git stores (DESIGN, Trail model 11)."""
    rel = crlf_posts(team)
    approved_by_both(bb, team, rel)
    assert status(bb, team.root, rel)["state"] == "approved"
    assert audit(bb, team.root)[0] == 0


def test_a_windows_checkout_with_autocrlf_can_be_approved(team: Team, bb: BB) -> None:
    """Git for Windows sets core.autocrlf=true: every post reads CRLF, git stores LF."""
    rel = write_post(team)
    git(team.root, "config", "core.autocrlf", "true")
    git(team.root, "rm", "-q", "--cached", "-r", "posts")
    git(team.root, "reset", "-q", "--hard")
    assert b"\r\n" in (team.root / rel).read_bytes()
    approved_by_both(bb, team, rel)
    assert status(bb, team.root, rel)["state"] == "approved"
    assert audit(bb, team.root)[0] == 0
    # an edit after approval is still an edit
    path = team.root / rel
    path.write_bytes(path.read_bytes().rstrip() + b" (edited)\r\n")
    assert status(bb, team.root, rel)["state"] == "stale"


def test_a_decision_git_would_store_otherwise_is_refused_not_recorded(team: Team, bb: BB) -> None:
    """A clean filter that stores each file differently every time it runs: what status read
    is not what git stores at the decision, so the decision could never count. Refused."""
    (team.root / ".gitattributes").write_text("posts/** filter=stamp\n")
    commit_all(team.root, "attributes")
    rel = write_post(team)
    git(team.root, "config", "filter.stamp.clean", "cat; date +%s%N")
    team.act_as(JORDAN)
    before = head(team.root)
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2 and ".gitattributes" in result.err, result.err
    assert head(team.root) == before
    assert git(team.root, "diff", "--cached", "--name-only").strip() == ""  # nothing staged


# Known holes --------------------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="a post without its own scheduled/topics takes them from its brief as the brief is "
    "now: anyone can edit a brief (it is not policy), so moving its date drops the "
    "campaign-owner stage (DESIGN Trail model 7 names the post's own front matter only)",
)
def test_moving_a_briefs_date_does_not_drop_the_campaign_owner_stage(team: Team, bb: BB) -> None:
    rel = write_post(team, brief="access-reviews")  # hand-written: no scheduled, no topics
    assert "campaign-owner" in status(bb, team.root, rel)["stages"]
    brief = team.root / "briefs" / "access-reviews.yaml"
    brief.write_text(brief.read_text().replace("scheduled: 2026-12-09", "scheduled: 2027-03-09"))
    team.act_as(ALICE)
    commit_all(team.root, "brief: new date")  # unsigned, and no consent is asked for
    approved_by_both(bb, team, rel)
    assert status(bb, team.root, rel)["state"] != "approved"
