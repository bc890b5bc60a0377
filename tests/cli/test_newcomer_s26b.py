"""Session 26, second newcomer pass: the flows the first one did not run (bb sync with a real
remote, a fresh clone, -C into a sub-folder, waive, publish, metrics from a messy CSV, voice
calibration before a review), each ending in one message that names the thing to fix."""

from __future__ import annotations

import json
import re
import subprocess
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


# -- bb sync with a real remote -----------------------------------------------------------------


def test_sync_without_any_remote_says_to_add_one(bb: BB, team: Team) -> None:
    result = bb("sync", cwd=team.root)
    assert result.code == 2, result
    assert "this repository has no remote to sync with" in result.err
    # was "push it once with `git push -u origin HEAD`", which fails: there is no origin
    assert "git remote add origin URL" in result.err


def test_sync_with_an_unreachable_remote_names_it(bb: BB, team: Team, tmp_path: Path) -> None:
    clones = two_clones(team, tmp_path)
    git(clones["maria"], "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    result = bb("sync", cwd=clones["maria"])
    assert result.code == 2, result
    _no_traceback(result.err)
    # was "bb: error: git fetch failed: and the repository exists.", git's last line
    assert "gone.git' does not appear to be a git repository" in result.err
    assert "git remote -v" in result.err


def _edit_title(clone: Path, title: str) -> None:
    brief = clone / "briefs" / "soc2-type2.yaml"
    text = brief.read_text().replace("title: SOC 2 Type II certification", f"title: {title}")
    brief.write_text(text)
    git(clone, "commit", "-q", "--no-gpg-sign", "-am", f"title: {title}")


def test_sync_conflict_hint_works_when_followed(bb: BB, team: Team, tmp_path: Path) -> None:
    clones = two_clones(team, tmp_path)
    _edit_title(clones["maria"], "Maria's title")
    assert bb("sync", cwd=clones["maria"]).code == 0
    jordan = clones["jordan"]
    _edit_title(jordan, "Jordan's title")
    result = bb("sync", cwd=jordan)
    assert result.code == 1, result
    assert "both changed briefs/soc2-type2.yaml" in result.err
    # was "`git pull`, resolve": git 2.27+ refuses a pull of diverged branches unless told
    # how, and `pull.rebase` would rebase this clone's decisions, which then never count
    assert "`git pull`" not in result.err
    assert "git merge @{upstream}" in result.err
    merged = subprocess_run(jordan, "git", "merge", "@{upstream}")
    assert merged.returncode == 1 and "CONFLICT" in merged.stdout
    brief = jordan / "briefs" / "soc2-type2.yaml"
    git(jordan, "checkout", "--theirs", "--", "briefs/soc2-type2.yaml")
    assert "<<<<<<<" not in brief.read_text()
    git(jordan, "commit", "-q", "--no-gpg-sign", "--no-edit", "-a")
    final = bb("sync", cwd=jordan)
    assert final.code == 0, final
    assert "1 pushed" in final.out or "2 pushed" in final.out


def test_a_sync_merge_says_what_it_merged(bb: BB, team: Team, tmp_path: Path) -> None:
    clones = two_clones(team, tmp_path)
    _edit_title(clones["maria"], "Maria's title")
    assert bb("sync", cwd=clones["maria"]).code == 0
    jordan = clones["jordan"]
    (jordan / "notes.txt").write_text("mine\n")
    git(jordan, "add", "notes.txt")
    git(jordan, "commit", "-q", "--no-gpg-sign", "-m", "notes")
    result = bb("sync", cwd=jordan)
    assert result.code == 0, result
    assert "(merged)" in result.out
    # was "Merge commit '16bbc9dda16d85758ea2157a24529dff372e0ea1'" in everyone's git log
    assert git(jordan, "log", "-1", "--format=%s").strip() == "bb sync: merge origin/main"


def subprocess_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)


# -- a fresh clone of a team that ran `bb policy commit --new-root` --------------------------


def test_a_fresh_clone_is_told_about_the_new_root(bb: BB, workspace: Path, tmp_path: Path) -> None:
    """README, literally: `bb init`, `bb keys setup`, the line into bloomberry.yaml, `bb policy
    commit --new-root`. A teammate's clone has no pin; bb trusted the first commit and said to
    pin *it*, under which the team's real policy is an unsigned change and every decision
    signed with a real key an unknown key."""
    git(workspace, "config", "user.email", "maria@example.com")
    setup = bb("keys", "setup", cwd=workspace)
    assert setup.code == 0, setup
    line = re.search(r'"(ssh-ed25519 [^"]+)"', setup.out)
    assert line
    config = workspace / "bloomberry.yaml"
    config.write_text(
        re.sub(
            r'(email: maria@example.com\n(?:.*\n){2}    keys: \[)"[^"]*"',
            rf'\g<1>"{line.group(1)}"',
            config.read_text(),
        )
    )
    assert bb("policy", "commit", "--yes", "--new-root", cwd=workspace).code == 0
    new_root = git(workspace, "rev-parse", "HEAD").strip()
    clone = tmp_path / "teammate"
    git(tmp_path, "clone", "-q", str(workspace), str(clone))
    result = bb("audit", cwd=clone)  # not a terminal: unpinned is a violation
    assert result.code == 1
    assert "history.unpinned" in result.out
    assert f"pin that one instead: `git config bb.trustRoot {new_root}`" in result.out
    git(clone, "config", "bb.trustRoot", new_root)  # doing what it says
    assert bb("audit", cwd=clone).code == 0


def test_no_new_root_hint_where_there_is_none(bb: BB, workspace: Path, tmp_path: Path) -> None:
    clone = tmp_path / "teammate"
    git(tmp_path, "clone", "-q", str(workspace), str(clone))
    result = bb("audit", cwd=clone)
    assert "history.unpinned" in result.out
    assert "pin that one instead" not in result.out


# -- -C DIR is "as if bb were started in DIR" -------------------------------------------------


def test_dash_c_into_a_sub_folder_finds_the_workspace(
    bb: BB, workspace: Path, tmp_path: Path
) -> None:
    started = bb("-C", str(workspace / "briefs"), "validate", cwd=tmp_path)
    in_there = bb("validate", cwd=workspace / "briefs")
    assert in_there.code == 0
    # was exit 2: "…/briefs is not a bb workspace … run `bb init …/briefs`", a workspace
    # nested inside the real one
    assert started.code == 0, started


def test_bb_workspace_naming_a_sub_folder_names_the_workspace(
    bb: BB, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BB_WORKSPACE", str(workspace / "briefs"))
    result = bb("validate", cwd=tmp_path)
    assert result.code == 2
    assert f"it is inside the workspace {workspace.resolve()}" in result.err
    assert "bb init" not in result.err


# -- a policy violation names the file that changed -----------------------------------------


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("claims.yaml", "expires: 2027-06-30", "expires: 2028-06-30"),
        ("calendar.yaml", "owner: maria@example.com", "owner: mallory@example.com"),
        ("voices/alice.yaml", "email: alice@example.com", "email: alice@evil.example"),
    ],
    ids=["claims", "calendar", "voice"],
)
def test_an_unsigned_policy_change_names_its_file(
    bb: BB, team: Team, path: str, old: str, new: str
) -> None:
    target = team.root / path
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new, 1))
    git(team.root, "commit", "-q", "--no-gpg-sign", "-am", "quietly")
    result = bb("audit", "--format", "json", cwd=team.root)
    assert result.code == 1
    found = [
        v for v in json.loads(result.out)["violations"] if v["rule"] == "policy.unsigned-change"
    ]
    # was "bloomberry.yaml" whichever file changed
    assert [v["path"] for v in found] == [path]


# -- a merge left half done in a YAML file -----------------------------------------------------


def test_conflict_markers_in_a_brief_are_named_as_such(bb: BB, workspace: Path) -> None:
    brief = workspace / "briefs" / "soc2-type2.yaml"
    lines = brief.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at : at + 1] = [
        "<<<<<<< HEAD\n",
        "title: Alice's title\n",
        "=======\n",
        "title: Maria's title\n",
        ">>>>>>> origin/main\n",
    ]
    brief.write_text("".join(lines))
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    # was "briefs/soc2-type2.yaml:N+1:6: invalid YAML: mapping values are not allowed in this
    # context (a value containing ': ' must be quoted)", on the line after the marker
    assert f"briefs/soc2-type2.yaml:{at + 1}:1: an unfinished git merge" in result.err
    assert "<<<<<<< HEAD" in result.err and "git commit" in result.err


def test_a_marker_like_line_inside_a_value_is_not_a_conflict(bb: BB, workspace: Path) -> None:
    voice = workspace / "voices" / "alice.yaml"
    text = voice.read_text().replace("samples:\n", "samples:\n  - |\n    <<<<<<< a quote\n", 1)
    voice.write_text(text + "# >>>>>>> in a comment\n")
    result = bb("validate", cwd=workspace)
    assert result.code == 0, result


# -- bb waive, run twice --------------------------------------------------------------------


def test_waiving_twice_makes_no_second_commit(bb: BB, team: Team) -> None:
    claims = team.root / "claims.yaml"
    claims.write_text(claims.read_text().replace("2027-06-30", "2028-06-30", 1))
    git(team.root, "commit", "-q", "--no-gpg-sign", "-am", "quietly")
    bad = git(team.root, "rev-parse", "HEAD").strip()
    team.act_as("maria@example.com")
    args = ("waive", bad[:10], "--rule", "policy.unsigned-change", "--reason", "looked into")
    assert bb(*args, cwd=team.root).code == 0
    head = git(team.root, "rev-parse", "HEAD").strip()
    again = bb(*args, cwd=team.root)
    # was exit 0 and a second waiver commit for the same violation
    assert again.code == 2, again
    assert "already waived" in again.err
    assert git(team.root, "rev-parse", "HEAD").strip() == head


# -- bb metrics import of a messy CSV ---------------------------------------------------------

HEADER = "post,date,impressions,reactions,comments,reposts,clicks\n"
ALICE = "posts/soc2-type2/alice--advocacy.md"


@pytest.fixture
def drafted(bb: BB, workspace: Path) -> Path:
    assert bb("draft", "soc2-type2", "-q", cwd=workspace).code == 0
    return workspace


def _import(bb: BB, root: Path, text: str) -> tuple[int, str]:
    (root / "in.csv").write_text(text)
    result = bb("metrics", "import", "in.csv", cwd=root)
    _no_traceback(result.err)
    return result.code, result.err


def test_two_columns_for_one_metric_are_refused(bb: BB, drafted: Path) -> None:
    code, err = _import(
        bb,
        drafted,
        "post,date,impressions,likes,reactions,comments,reposts,clicks\n"
        f"{ALICE},2026-12-04,1200,4,5,3,12,1\n",
    )
    # was exit 0 with reactions=5: the `likes` column silently dropped
    assert code == 2
    assert "columns 'likes' and 'reactions' both give reactions" in err
    assert not (drafted / "metrics" / "metrics.csv").exists()


def test_a_post_path_written_with_dot_slash_or_backslashes_matches(bb: BB, drafted: Path) -> None:
    windows = ALICE.replace("/", "\\")
    code, err = _import(
        bb,
        drafted,
        f"{HEADER}./{ALICE},2026-12-04,1200,40,5,3,12\n{windows},2026-12-05,900,30,4,2,8\n",
    )
    assert code == 0, err
    # was "line 2: ./posts/… matches no post", kept in unmatched.csv
    assert "matches no post" not in err
    stored = (drafted / "metrics" / "metrics.csv").read_text()
    assert f"{ALICE},2026-12-04,1200" in stored and f"{ALICE},2026-12-05,900" in stored


def test_a_semicolon_separated_file_says_so(bb: BB, drafted: Path) -> None:
    code, err = _import(bb, drafted, HEADER.replace(",", ";") + f"{ALICE};2026-12-04;1;1;1;1;1\n")
    assert code == 2
    assert "separated by ';', not commas" in err


def test_a_bad_number_names_its_column_once(bb: BB, drafted: Path) -> None:
    code, err = _import(bb, drafted, f"{HEADER}{ALICE},2026-12-04,1.2k,4,5,3,12\n")
    assert code == 2
    # was "in.csv:2: impressions: impressions '1.2k' is not a number"
    assert "in.csv:2: impressions: '1.2k' is not a number" in err
    # the file is the user's, wherever it is: was "1 problem in the workspace"
    assert "1 problem in " in err and "in.csv" in err.splitlines()[0]
    assert "in the workspace" not in err


# -- `-` as an output file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "option"), [("calendar", "--ics"), ("report", "--html")], ids=["ics", "html"]
)
def test_a_dash_output_file_is_refused_not_created(
    bb: BB, workspace: Path, command: str, option: str
) -> None:
    result = bb(command, option, "-", cwd=workspace)
    # was exit 0, "Wrote -", and a file named '-' in the workspace
    assert result.code == 2, result
    assert "- names no file" in result.err
    assert not (workspace / "-").exists()
    assert result.out == ""


def test_sync_refusing_to_push_says_what_to_do(bb: BB, team: Team, tmp_path: Path) -> None:
    clones = two_clones(team, tmp_path)
    jordan = clones["jordan"]
    claims = jordan / "claims.yaml"
    claims.write_text(claims.read_text().replace("2027-06-30", "2028-06-30", 1))
    git(jordan, "commit", "-q", "--no-gpg-sign", "-am", "extend a claim")
    result = bb("sync", cwd=jordan)
    assert result.code == 1
    assert "policy.unsigned-change" in result.err and "claims.yaml" in result.err
    assert "nothing was pushed" in result.err
    # was the line above and nothing else: no way forward
    assert "`bb policy commit`" in result.err and "then `bb sync` again" in result.err


def test_policy_commit_without_a_terminal_says_to_pass_yes(bb: BB, team: Team) -> None:
    claims = team.root / "claims.yaml"
    claims.write_text(claims.read_text().replace("2027-06-30", "2028-06-30", 1))
    team.act_as("maria@example.com")
    head = git(team.root, "rev-parse", "HEAD")
    result = bb("policy", "commit", "-m", "extend", cwd=team.root)  # stdin is not a terminal
    # was "Aborted." and exit 1 (the prompt met the end of its input)
    assert result.code == 2, result
    assert "claims.approved:customers-400" in result.out  # the change is still shown
    assert "pass --yes" in result.err
    assert git(team.root, "rev-parse", "HEAD") == head
