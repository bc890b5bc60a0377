"""Session 26, second pass: attacks on sync, waivers, removals, merges, the trust root and odd
commits, by someone with push access (or a teammate whose valid key acts beyond their role).
Real git, real ssh keys, hand-made commits; each test failed before its fix (the xfail ones
still do)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from bloomberry_cli.approvals.trailers import DecisionRecord, format_message
from conftest import BB, git
from support.team import Team, consent, make_team, write_post
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
    merge,
    new_key,
    public_line,
    rules,
    rules_at,
    set_roles,
    status,
    two_clones,
)


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def raw_commit(root: Path, text: str) -> str:
    """A commit object written byte for byte, as a hand-made push can carry it."""
    return (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
            cwd=root,
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )


# Trust root and high-water mark: only a full commit id pins anything -------------------------


def evil_history_with_a_tag_named_like(team: Team, tmp_path: Path, name: str) -> str:
    """Mallory's orphan root (she is admin and marketing, 'alice' holds a key of hers) with
    her approvals, merged into main; a tag she pushes, named ``name``, points at her root."""
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
    team.keys[ALICE] = fake
    evil_tip = team.commit_decision(ALICE, rel, "approve", "author")
    merged = git(
        team.root,
        "commit-tree",
        f"{evil_tip}^{{tree}}",
        "-p",
        main_tip,
        "-p",
        evil_tip,
        "-m",
        "Merge branch 'evil'",
    ).strip()
    git(team.root, "switch", "-q", "main")
    git(team.root, "reset", "-q", "--hard", merged)
    git(team.root, "tag", name, evil_root)
    return rel


def test_a_short_trust_root_pin_is_not_shadowed_by_a_pushed_tag(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    """Pinned as `git log --oneline` shows it; git resolves a ref before a short object id,
    so a tag named like it moved the root to Mallory's. Before: audit ok, post approved."""
    short = git(team.root, "config", "bb.trustRoot").strip()[:12]
    rel = evil_history_with_a_tag_named_like(team, tmp_path, short)
    git(team.root, "config", "bb.trustRoot", short)
    result = bb("audit", cwd=team.root)
    assert result.code == 2 and "full commit id" in result.err, result.out + result.err
    assert bb("status", cwd=team.root).code == 2
    team.act_as(ALICE)
    assert bb("publish", rel, "--url", URL, cwd=team.root).code == 2
    assert bb("export", cwd=team.root).code == 2


@pytest.mark.parametrize("given", ["main", "HEAD~2", "v1"])
def test_a_trust_root_given_by_name_is_refused(team: Team, bb: BB, given: str) -> None:
    write_post(team)
    git(
        team.root,
        "tag",
        "-a",
        "v1",
        "-m",
        "first",
        git(team.root, "rev-list", "--max-parents=0", "HEAD").strip(),
    )
    result = bb("audit", "--trust-root", given, cwd=team.root)
    assert result.code == 2 and "full commit id" in result.err and "git rev-parse" in result.err


def test_a_full_trust_root_not_in_this_clone_is_a_rewrite_not_a_usage_error(
    team: Team, bb: BB
) -> None:
    """CI clones fresh: after a force-push that replaced the whole history, the pinned root's
    object is not there at all. That is `history.rewritten`, like a root not in the history."""
    write_post(team)
    code, document = audit(bb, team.root, "--trust-root", "0123456789" * 4)
    assert code == 1 and rules(document, counting=True) == ["history.rewritten"], document


def test_a_short_high_water_mark_is_not_shadowed_by_a_pushed_branch(team: Team, bb: BB) -> None:
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    team.act_as(MARIA)
    assert bb("reject", rel, "--stage", "marketing", "-r", "No", cwd=team.root).code == 0
    seen = head(team.root)
    git(team.root, "reset", "-q", "--hard", "HEAD~1")  # the reject is gone
    git(team.root, "branch", seen[:10], "HEAD")  # and a branch named like the mark
    code, document = audit(bb, team.root, "--high-water", seen)
    assert code == 1 and "history.rewritten" in rules(document, counting=True)
    short = bb("audit", "--high-water", seen[:10], cwd=team.root)
    assert short.code == 2 and "full commit id" in short.err, short.out


# Odd commits -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["999999999999999 +0000", "1700000000 +2500"])
def test_a_commit_with_an_impossible_date_does_not_stop_every_command(
    team: Team, bb: BB, stamp: str
) -> None:
    """A year past 9999 or a zone offset of a day: git stores it (a local bare remote takes the
    push). Before: every command that reads the trail crashed (exit 3) for the whole team."""
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    tree = git(team.root, "rev-parse", "HEAD^{tree}").strip()
    odd = raw_commit(
        team.root,
        f"tree {tree}\nparent {head(team.root)}\nauthor M <m@x> {stamp}\n"
        f"committer M <m@x> {stamp}\n\nodd date\n",
    )
    git(team.root, "reset", "-q", "--hard", odd)
    code, document = audit(bb, team.root)
    assert code == 0 and document["decisions"] == 2, document
    assert status(bb, team.root, rel)["state"] == "approved"
    assert bb("log", rel, cwd=team.root).code == 0


def test_a_publication_with_a_made_up_time_is_malformed_not_a_crash(team: Team, bb: BB) -> None:
    """Alice may record her own publication; a hand-made one with `Bb-Published-At: last
    tuesday` made `bb report` crash (exit 3) for everyone. Now it is not a decision."""
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    team.act_as(ALICE)
    record = DecisionRecord(
        "publish",
        "publish",
        rel,
        hashlib.sha256((team.root / rel).read_bytes()).hexdigest(),
        ALICE,
        url=URL,
        published_at="last tuesday",
        parent=head(team.root),
    )
    subprocess.run(
        ["git", "commit", "-q", "-S", "--allow-empty", "-F", "-"],
        cwd=team.root,
        input=format_message(record),
        text=True,
        check=True,
    )
    made = head(team.root)
    code, document = audit(bb, team.root)
    assert code == 0 and rules_at(document, made) == ["decision.malformed"], document
    report = bb("report", cwd=team.root)
    assert report.code == 0, report.err


# Waivers -------------------------------------------------------------------------------------


def test_a_waiver_made_concurrently_with_the_admins_removal_waives_nothing(
    team: Team, bb: BB
) -> None:
    """DESIGN Trail model 5 names waivers among the signatures a concurrent removal voids.
    Jordan (admin) waives a forged approval on a branch while Maria takes his admin role away
    on main. Before: the waiver counted and the audit passed."""
    root = team.root
    set_roles(root, JORDAN, "marketing, admin")
    consent(team, MARIA, "Jordan becomes admin")
    rel = write_post(team)
    forged = team.commit_decision(MARIA, rel, "approve", "marketing", sign=False)
    git(root, "switch", "-q", "-c", "jordans-branch")
    team.act_as(JORDAN)
    made = bb("waive", forged, "--rule", "signature.missing", "-r", "checked", cwd=root)
    assert made.code == 0, made.err
    waiver = head(root)
    git(root, "switch", "-q", "main")
    set_roles(root, JORDAN, "marketing")
    consent(team, MARIA, "Jordan is no longer admin")
    team.act_as(MARIA)
    merge(root, "jordans-branch", message="Merge Jordan's branch")
    code, document = audit(bb, root)
    assert code == 1 and "signature.missing" in rules(document, counting=True), document
    assert rules_at(document, waiver) == ["decision.revoked"]


# bb sync ---------------------------------------------------------------------------------------


def test_sync_never_pushes_a_decision_voided_by_a_concurrent_removal_and_says_how_out(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    """Jordan approves offline while Maria revokes his key (compromised laptop) and pushes.
    Jordan's sync merges, finds his own decision void and pushes nothing; it used to leave him
    refused on every later sync with no word on what to do."""
    from support.trail import set_keys

    rel = write_post(team)
    clones = two_clones(team, tmp_path)
    maria, jordan = clones["maria"], clones["jordan"]
    remote = tmp_path / "remote.git"
    team.act_as(JORDAN, jordan)
    assert bb("approve", rel, cwd=jordan).code == 0
    mine = head(jordan)
    set_keys(maria, JORDAN, "[]")
    consent(Team(maria, team.keys), MARIA, "Jordan's laptop was stolen")
    team.act_as(MARIA, maria)
    assert bb("sync", cwd=maria).code == 0
    shared = git(remote, "rev-parse", "main").strip()
    team.act_as(JORDAN, jordan)
    result = bb("sync", cwd=jordan)
    assert result.code == 1 and "decision.revoked" in result.err and mine[:10] in result.err
    assert "nothing was pushed" in result.err and "git reset --keep @{upstream}" in result.err
    assert git(remote, "rev-parse", "main").strip() == shared
    git(jordan, "reset", "-q", "--keep", "@{upstream}")  # what the hint says
    again = bb("sync", cwd=jordan)
    assert again.code == 0, again.err
    assert status(bb, jordan, rel)["stages"]["marketing"] == "pending"


def test_an_older_local_branch_after_sync_is_not_a_rewrite(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel = write_post(team)
    maria = two_clones(team, tmp_path)["maria"]
    git(maria, "branch", "drafts")  # an older branch, kept for drafts
    team.act_as(MARIA, maria)
    assert bb("approve", rel, cwd=maria).code == 0
    assert bb("sync", cwd=maria).code == 0
    git(maria, "switch", "-q", "drafts")
    post = status(bb, maria, rel)
    assert post["state"] != "unverified", post


def test_sync_on_a_second_tracked_branch_is_not_refused_as_a_rewrite(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel = write_post(team)
    maria = two_clones(team, tmp_path)["maria"]
    git(maria, "switch", "-q", "-c", "campaign")
    git(maria, "push", "-q", "-u", "origin", "campaign")
    git(maria, "switch", "-q", "main")
    team.act_as(MARIA, maria)
    assert bb("approve", rel, cwd=maria).code == 0
    assert bb("sync", cwd=maria).code == 0
    git(maria, "switch", "-q", "campaign")
    result = bb("sync", cwd=maria)
    assert result.code == 0, result.err


def test_a_clone_wide_mark_from_an_earlier_sync_moves_to_its_branch(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    """An earlier bb kept one mark per clone (bb.highWater): the next sync on the branch whose
    upstream contains it takes it as that branch's, and it no longer speaks for the others."""
    rel = write_post(team)
    maria = two_clones(team, tmp_path)["maria"]
    git(maria, "branch", "drafts")
    git(maria, "config", "bb.highWater", head(maria))  # as an earlier bb's sync left it
    team.act_as(MARIA, maria)
    assert bb("approve", rel, cwd=maria).code == 0
    assert bb("sync", cwd=maria).code == 0
    assert git(maria, "config", "branch.main.bbHighWater").strip() == head(maria)
    assert subprocess.run(["git", "config", "bb.highWater"], cwd=maria).returncode == 1
    git(maria, "switch", "-q", "drafts")
    assert status(bb, maria, rel)["state"] != "unverified"


def test_a_rewrite_of_the_synced_branch_is_still_refused(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel = write_post(team)
    clones = two_clones(team, tmp_path)
    maria = clones["maria"]
    team.act_as(MARIA, maria)
    assert bb("approve", rel, cwd=maria).code == 0
    assert bb("sync", cwd=maria).code == 0  # pushed: the mark is her approval
    origin = git(maria, "remote", "get-url", "origin").strip()
    git(Path(origin), "update-ref", "refs/heads/main", f"{head(maria)}~1")  # a force-push
    result = bb("sync", cwd=maria)
    assert result.code == 1 and "rewrote" in result.err, result.err
    git(maria, "reset", "-q", "--hard", "origin/main")  # she takes the rewritten history
    assert status(bb, maria, rel)["state"] == "unverified"


# A remote that is a local path: `git clone PATH` copies its object folder as it is ------------


def rewire_commit_graph(repo: Path, child: str, parent: str) -> None:
    """Edit the commit-graph file so that git shows ``parent`` as ``child``'s first parent
    (the commit objects are untouched; git trusts the graph when it reads history)."""
    import struct

    path = repo / "objects" / "info" / "commit-graph"
    data = bytearray(path.read_bytes())
    chunks = {}
    for index in range(data[6] + 1):
        at = 8 + 12 * index
        chunks[bytes(data[at : at + 4])] = struct.unpack(">Q", data[at + 4 : at + 12])[0]
    oids, cdat = chunks[b"OIDL"], chunks[b"CDAT"]
    ids = [
        bytes(data[oids + 20 * i : oids + 20 * i + 20]).hex() for i in range((cdat - oids) // 20)
    ]
    struct.pack_into(">I", data, cdat + 36 * ids.index(child) + 20, ids.index(parent))
    data[-20:] = hashlib.sha1(bytes(data[:-20])).digest()
    path.chmod(0o644)
    path.write_bytes(bytes(data))


def test_a_crafted_commit_graph_in_a_path_remote_does_not_hide_a_reject(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    """The shared repository is a folder on a file share. Mallory, who can write there, edits
    its commit-graph so that the commit after Maria's reject shows the approvals as its parent;
    a new clone (`git clone /share/remote.git` hardlinks the objects folder) reads the history
    through that graph. Before: the reject was gone, the post approved, publish went through."""
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    approved = head(team.root)
    team.act_as(MARIA)
    assert bb("reject", rel, "--stage", "marketing", "-r", "Legal says no", cwd=team.root).code == 0
    other = write_post(team, participant="marcus", program="advocacy")
    after = git(team.root, "log", "-1", "--format=%H", "--", other).strip()
    remote = tmp_path / "share" / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(team.root), str(remote))
    git(remote, "commit-graph", "write", "--reachable")
    rewire_commit_graph(remote, after, approved)
    clone = tmp_path / "newcomer"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    git(clone, "config", "bb.trustRoot", git(team.root, "config", "bb.trustRoot").strip())
    assert "Legal says no" not in git(clone, "log")  # git itself is fooled
    post = status(bb, clone, rel)
    assert post["stages"]["marketing"] == "rejected", post
    team.act_as(ALICE, clone)
    assert bb("publish", rel, "--url", URL, cwd=clone).code == 1


# Waivers of findings about the whole history -------------------------------------------------


def test_waiving_a_rewrite_is_refused_not_a_signed_no_op(team: Team, bb: BB) -> None:
    """history.rewritten is reported at the tip, so a waiver (the new tip) never matched it:
    before, `bb waive` said 'waived' (exit 0), committed, and the audit still failed."""
    rel = write_post(team)
    approved_by_both(bb, team, rel)
    team.act_as(MARIA)
    assert bb("reject", rel, "--stage", "marketing", "-r", "No", cwd=team.root).code == 0
    git(team.root, "config", "bb.highWater", head(team.root))
    git(team.root, "reset", "-q", "--hard", "HEAD~1")  # the reject is gone
    tip = head(team.root)
    result = bb("waive", tip, "--rule", "history.rewritten", "-r", "looked into", cwd=team.root)
    assert result.code == 2 and "bb.highWater" in result.err, result.out + result.err
    assert head(team.root) == tip
    code, document = audit(bb, team.root)
    assert code == 1 and rules(document, counting=True) == ["history.rewritten"]


def test_a_waiver_of_a_commit_that_is_not_its_ancestor_waives_nothing(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "branch", "side")
    forged = team.commit_decision(MARIA, rel, "approve", "marketing", sign=False)
    git(team.root, "switch", "-q", "side")
    team.act_as(MARIA)
    message = (
        f"bb: waive {forged} (signature.missing)\n\nlooked into\n\n"
        f"Bb-Waives: {forged}\nBb-Rule: signature.missing\n"
    )
    git(team.root, "commit", "-q", "-S", "--allow-empty", "-m", message)
    waiver = head(team.root)
    git(team.root, "switch", "-q", "main")
    merge(team.root, "side")
    code, document = audit(bb, team.root)
    assert code == 1 and "signature.missing" in rules(document, counting=True)
    assert rules_at(document, waiver) == ["stage.unauthorized"]


# Removals and rotation -----------------------------------------------------------------------


def test_a_compromised_key_voids_concurrent_decisions_even_once_re_added(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    """Jordan's key leaks: on a branch an admin replaces it with `--compromised` while, on
    main, someone holding the old key approves. After the merge that approval is void; the same
    key re-added later (it was a false alarm) does not revive it, and counts again for new
    decisions."""
    from support.trail import set_keys

    rel = write_post(team)
    other = write_post(team, participant="marcus", program="advocacy")
    old_key = public_line(team.keys[JORDAN])
    git(team.root, "switch", "-q", "-c", "rotate")
    fresh = new_key(tmp_path, "jordan-2026")
    set_keys(team.root, JORDAN, f'["{public_line(fresh)}"]')
    team.act_as(MARIA)
    result = bb("policy", "commit", "--yes", "--compromised", "-m", "leaked key", cwd=team.root)
    assert result.code == 0, result.err
    assert "Bb-Revoke: compromised" in git(team.root, "log", "-1", "--format=%B")
    git(team.root, "switch", "-q", "main")
    team.act_as(JORDAN)
    assert bb("approve", rel, cwd=team.root).code == 0  # with the old key
    thief = head(team.root)
    team.act_as(MARIA)
    merge(team.root, "rotate")
    code, document = audit(bb, team.root)
    assert code == 1 and rules_at(document, thief) == ["decision.revoked"], document
    set_keys(team.root, JORDAN, f'["{public_line(fresh)}", "{old_key}"]')
    consent(team, MARIA, "the old key was not leaked after all")
    code, document = audit(bb, team.root)
    assert rules_at(document, thief) == ["decision.revoked"]
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"
    team.act_as(JORDAN)  # the old key again
    assert bb("approve", other, cwd=team.root).code == 0
    assert status(bb, team.root, other)["stages"]["marketing"] == "approved"


# Merges --------------------------------------------------------------------------------------


def test_an_octopus_merge_grants_nothing_no_one_consented_to(team: Team, bb: BB) -> None:
    """One octopus merge of three branches: an admin adds Mallory to marketing on one, Mallory
    approves on another (before she was known there), and a third makes Jordan admin without
    consent. Mallory's approval never counts and Jordan never becomes admin."""
    rel = write_post(team)
    base = head(team.root)
    git(team.root, "switch", "-q", "-c", "add-mallory")
    add_reviewer(team, MALLORY, "marketing")
    consent(team, MARIA, "Mallory joins marketing")
    git(team.root, "switch", "-q", "-c", "mallory-approves", base)
    early = team.commit_decision(MALLORY, rel, "approve", "marketing")
    git(team.root, "switch", "-q", "-c", "jordan-admin", base)
    set_roles(team.root, JORDAN, "marketing, admin")
    team.act_as(JORDAN)
    commit_all(team.root, "Jordan helps out", sign=True)
    git(team.root, "switch", "-q", "main")
    team.act_as(MARIA)
    git(
        team.root,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "octopus",
        "add-mallory",
        "mallory-approves",
        "jordan-admin",
    )
    assert len(git(team.root, "log", "-1", "--format=%P").split()) == 4
    code, document = audit(bb, team.root)
    assert code == 1
    assert "signature.unknown-key" in rules_at(document, early), document
    policy = bb("policy", "show", "--format", "json", cwd=team.root)
    roles = json.loads(policy.out)["policy"]["reviewer:jordan@example.com"]["roles"]
    assert "admin" not in roles
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"


def test_a_reviewer_added_on_one_side_cannot_approve_on_the_other(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "switch", "-q", "-c", "approvals")
    early = team.commit_decision(MALLORY, rel, "approve", "marketing")
    team.commit_decision(ALICE, rel, "approve", "author")  # bb itself refuses now
    git(team.root, "switch", "-q", "main")
    add_reviewer(team, MALLORY, "marketing")
    consent(team, MARIA, "Mallory joins marketing")
    merge(team.root, "approvals")
    code, document = audit(bb, team.root)
    assert code == 1 and "signature.unknown-key" in rules_at(document, early), document
    post = status(bb, team.root, rel)
    assert post["stages"]["marketing"] == "pending" and post["state"] == "unverified"
    team.act_as(ALICE)
    assert bb("publish", rel, "--url", URL, cwd=team.root).code == 1
