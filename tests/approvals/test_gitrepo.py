"""gitrepo: every git failure is a BBError carrying git's own words, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import NO_REPLACE, GitError, git, git_bytes, repo_root
from conftest import BB
from conftest import git as plain_git
from support.team import Team, make_team, write_post
from support.trail import two_clones


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder git will not find a repository for, whatever encloses the temp dir."""
    folder = tmp_path / "plain"
    folder.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return folder


def test_a_failing_command_is_a_git_error_with_gits_message(workspace: Path) -> None:
    with pytest.raises(GitError) as caught:
        git(workspace, "rev-parse", "--verify", "no-such-branch^{commit}")
    assert isinstance(caught.value, BBError) and caught.value.exit_code == 2
    assert caught.value.message == "git rev-parse failed: fatal: Needed a single revision"
    assert caught.value.returncode == 128


def test_unchecked_commands_report_status_and_message(workspace: Path) -> None:
    result = git(workspace, "cat-file", "-t", "0" * 40, check=False)
    assert not result.ok and result.returncode == 128
    assert result.message == "fatal: git cat-file: could not get object info"


def test_batch_reads_fail_with_gits_message(workspace: Path) -> None:
    with pytest.raises(GitError, match="git ls-tree failed: fatal: not a tree object"):
        git_bytes(workspace, "ls-tree", "-r", "-z", "1" * 40, env=NO_REPLACE)


def test_batch_reads_return_raw_bytes(workspace: Path) -> None:
    blob = plain_git(workspace, "rev-parse", "HEAD:bloomberry.yaml").strip()
    raw = git_bytes(workspace, "cat-file", "--batch", input=f"{blob}\n".encode())
    assert raw.startswith(f"{blob} blob ".encode())
    assert raw.endswith((workspace / "bloomberry.yaml").read_bytes() + b"\n")


def test_a_missing_repository_is_named(outside: Path) -> None:
    assert repo_root(outside) is None
    with pytest.raises(GitError, match="git log failed: fatal: not a git repository"):
        git(outside, "log")


def test_a_missing_folder_is_refused_not_run_elsewhere(workspace: Path) -> None:
    # GitPython would run git in the current directory when the given one does not exist.
    gone = workspace / "no-such-folder"
    assert repo_root(gone) is None
    with pytest.raises(BBError, match="is not a folder"):
        git(gone, "status")


def test_git_not_installed_is_a_clear_error(
    workspace: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = workspace.parent / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(BBError, match="git is not installed or not on PATH"):
        git(workspace, "status")
    result = bb("audit", cwd=workspace)
    assert result.code == 2, result.err
    assert "git is not installed" in result.err and "Traceback" not in result.err


def test_git_not_installed_when_gitpython_first_loads(workspace: Path) -> None:
    # A fresh process: GitPython itself refuses to import without git.
    empty = workspace.parent / "empty-bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    result = subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", "audit"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "git is not installed" in result.stderr and "Traceback" not in result.stderr


def test_sync_reports_a_refused_push_with_gits_message(tmp_path: Path, bb: BB) -> None:
    team: Team = make_team(tmp_path)
    post = write_post(team)
    clones = two_clones(team, tmp_path)
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen for the release' >&2\nexit 1\n")
    hook.chmod(0o755)
    team.act_as("maria@example.com", clones["maria"])
    assert bb("approve", post, cwd=clones["maria"]).code == 0
    result = bb("sync", cwd=clones["maria"])
    assert result.code == 1, result.err + result.out
    assert "git push failed" in result.err
    assert "pre-receive hook declined" in result.err
    assert "nothing was pushed" in result.err
    assert "Traceback" not in result.err


def test_a_folder_outside_any_repository_costs_no_git(tmp_path: Path) -> None:
    """No `.git` from the folder up and no GIT_DIR: bb knows there is no repository without
    importing GitPython or starting git (a workspace tried outside git stays fast)."""
    plain = tmp_path / "plain"
    plain.mkdir()
    if any((each / ".git").exists() for each in (plain.resolve(), *plain.resolve().parents)):
        pytest.skip("the temp folder is inside a git repository here")
    code = (
        "import sys\nfrom pathlib import Path\nfrom bloomberry_cli.gitrepo import repo_root\n"
        f"print(repo_root(Path({str(plain)!r})), 'git' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.split() == ["None", "False"], result.stderr
    # GIT_DIR names a repository elsewhere: only git can say, so git is asked.
    repo = tmp_path / "repo"
    repo.mkdir()
    plain_git(repo, "init", "-q")
    env["GIT_DIR"] = str(repo / ".git")
    env["GIT_WORK_TREE"] = str(plain)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.split() == [str(plain.resolve()), "True"], result.stderr
