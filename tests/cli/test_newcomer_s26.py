"""Session 26: what a newcomer running every command trips over (a folder where a file goes,
a command's output on a narrow terminal, a merge left half done, Ctrl-C at a bad moment)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bloomberry_cli
from conftest import BB, git

SRC = Path(bloomberry_cli.__file__).resolve().parents[1]


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and "unexpected error" not in text, text


# -- an output file the user names: --ics FILE, --html FILE ---------------------------------


@pytest.mark.parametrize(
    ("command", "option"), [("calendar", "--ics"), ("report", "--html")], ids=["ics", "html"]
)
def test_an_output_path_that_is_a_folder_is_refused_before_any_work(
    bb: BB, workspace: Path, command: str, option: str
) -> None:
    (workspace / "out").mkdir()
    result = bb(command, option, "out", cwd=workspace)
    assert result.code == 2, result
    _no_traceback(result.err)
    assert "out: is a folder, not a file" in result.err
    assert result.out == ""  # refused before the report was printed
    assert not [p for p in (workspace / "out").iterdir()]  # no temp file left behind


@pytest.mark.parametrize(
    ("command", "option"), [("calendar", "--ics"), ("report", "--html")], ids=["ics", "html"]
)
def test_an_output_path_under_a_file_is_one_message(
    bb: BB, workspace: Path, command: str, option: str
) -> None:
    result = bb(command, option, "bloomberry.yaml/out.txt", cwd=workspace)
    assert result.code == 2, result
    _no_traceback(result.err)
    assert "cannot write bloomberry.yaml/out.txt" in result.err


# -- bb log takes one post ---------------------------------------------------------------


def test_log_of_a_folder_says_it_takes_one_post(bb: BB, workspace: Path) -> None:
    assert bb("draft", "soc2-type2", "-q", cwd=workspace).code == 0
    result = bb("log", "posts", cwd=workspace)
    # was exit 0 and "No decisions on posts yet.", untrue of the posts in it
    assert result.code == 2, result
    assert "posts: is a folder; bb log shows the decisions on one post" in result.err
    assert "bb status" in result.err


def test_log_of_a_file_outside_the_workspace_says_so(
    bb: BB, workspace: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("hello\n")
    result = bb("log", str(outside), cwd=workspace)
    assert result.code == 2, result
    assert "is outside the workspace" in result.err


# -- a merge left half done -----------------------------------------------------------------


def test_a_post_with_git_conflict_markers_fails_lint(bb: BB, workspace: Path) -> None:
    """`git merge` stopped on a post: both versions and git's marker lines would be
    published. It linted clean (exit 0) and approve would have let it through."""
    assert bb("draft", "soc2-type2", "-q", cwd=workspace).code == 0
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "drafts")
    post = workspace / "posts/soc2-type2/dan--advocacy.md"
    git(workspace, "switch", "-qc", "side")
    post.write_text(post.read_text() + "\nTheirs.\n")
    git(workspace, "commit", "-qam", "side")
    git(workspace, "switch", "-q", "-")
    post.write_text(post.read_text() + "\nOurs.\n")
    git(workspace, "commit", "-qam", "ours")
    merge = subprocess.run(["git", "merge", "side"], cwd=workspace, capture_output=True)
    assert merge.returncode != 0 and "<<<<<<<" in post.read_text()

    result = bb("lint", "posts/soc2-type2/dan--advocacy.md", "--format", "json", cwd=workspace)
    assert result.code == 1, result
    findings = json.loads(result.out)["findings"]
    markers = [f for f in findings if "conflict marker" in f["message"]]
    assert [f["match"].split(" ")[0] for f in markers] == ["<<<<<<<", "=======", ">>>>>>>"]
    assert {f["rule"] for f in markers} == {"text.placeholder"}
    assert all(f["severity"] == "error" for f in markers)


def test_seven_equals_signs_alone_are_not_a_conflict(bb: BB, workspace: Path) -> None:
    post = workspace / "posts/x/alice--thought-leadership.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: thought-leadership\n"
        "channel: linkedin\n---\nPart one.\n=======\nPart two.\n"
    )
    result = bb("lint", str(post), "--format", "json", cwd=workspace)
    assert "conflict marker" not in result.out


# -- Ctrl-C -------------------------------------------------------------------------------

# Ctrl-C landing while a finaliser runs (it did, in a large `bb draft`, inside the `regex`
# module's Group.__del__): Python prints "Exception ignored in ..." with a traceback and goes
# on, and the run finished with exit 0 as if no one had pressed it.
CTRL_C_IN_A_FINALISER = """
import sys
import bloomberry_cli.workspace as workspace

class Finaliser:
    def __del__(self):
        raise KeyboardInterrupt  # what the SIGINT handler raises when Ctrl-C lands here

load = workspace.load_workspace
def load_and_drop(root):
    Finaliser()  # dropped at once: its __del__ runs here
    return load(root)
workspace.load_workspace = load_and_drop
sys.argv = ["bb", "validate"]
from bloomberry_cli.cli.main import entry
entry()
"""


def test_ctrl_c_inside_a_finaliser_still_stops_bb(workspace: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CTRL_C_IN_A_FINALISER],
        cwd=workspace,
        env=dict(os.environ, PYTHONPATH=str(SRC)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 130, result
    assert result.stderr.strip() == "bb: interrupted"
    assert "workspace OK" not in result.stdout


# -- a narrow terminal ----------------------------------------------------------------------


def _on_a_terminal(workspace: Path, columns: int, *args: str) -> str:
    """What bb prints to a terminal ``columns`` wide (a pseudo-terminal), colours removed."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bloomberry_cli", *args],
        cwd=workspace,
        env=dict(os.environ, PYTHONPATH=str(SRC), COLUMNS=str(columns), LINES="50"),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: bb is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.mark.parametrize("columns", [40, 60, 80])
def test_status_on_a_narrow_terminal_keeps_every_path_whole(
    bb: BB, workspace: Path, columns: int
) -> None:
    """At 60 columns the post column was dropped altogether (no paths at all); at 80 paths
    were folded mid-word over three lines."""
    assert bb("draft", "soc2-type2", "-q", cwd=workspace).code == 0
    screen = _on_a_terminal(workspace, columns, "status")
    for post in sorted((workspace / "posts/soc2-type2").iterdir()):
        assert f"soc2-type2/{post.name}" in screen, screen
    assert "…" not in screen


def test_the_draft_summary_on_an_80_column_terminal_cuts_no_cell(workspace: Path) -> None:
    """It printed 'soc2-typ…', 'unchan…', '359/3,0…' at 80 columns, the default terminal."""
    screen = _on_a_terminal(workspace, 80, "draft", "soc2-type2")
    assert "…" not in screen, screen
    assert "soc2-type2  alice  thought-leadership" in screen
    assert re.search(r"length +\d{3}/3,000", screen)


def test_a_table_that_fits_stays_a_table(workspace: Path) -> None:
    screen = _on_a_terminal(workspace, 200, "draft", "soc2-type2")
    assert re.search(r"brief +participant +program +status +length", screen), screen


# -- bb keys setup writes git settings, never a commit --------------------------------------


def test_keys_setup_works_before_the_first_commit(bb: BB, tmp_path: Path) -> None:
    """`bb init` inside a repository with no commit yet, then `bb keys setup` (README: each
    person runs it and sends their line): it refused with 'a decision needs the workspace
    committed first', though it commits nothing."""
    root = tmp_path / "team"
    root.mkdir()
    git(root, "init", "-q")
    assert bb("init", str(root)).code == 0
    result = bb("keys", "setup", cwd=root)
    assert result.code == 0, result
    assert result.out.startswith('keys: ["ssh-ed25519 ')
    assert git(root, "config", "gpg.format").strip() == "ssh"


def test_keys_setup_outside_a_repository_says_what_to_do(bb: BB, tmp_path: Path) -> None:
    from conftest import copy_example

    root = copy_example(tmp_path / "plain")
    result = bb("keys", "setup", cwd=root)
    assert result.code == 2
    assert "not in a git repository" in result.err and "git init" in result.err


def test_policy_commit_outside_git_says_so(bb: BB, tmp_path: Path) -> None:
    from conftest import copy_example

    root = copy_example(tmp_path / "plain")
    result = bb("policy", "commit", "--yes", cwd=root)
    assert result.code == 2
    assert "not in a git repository" in result.err  # was "nothing to consent to"


# -- a file saved as .yml -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["claims", "calendar"])
def test_claims_or_calendar_saved_as_yml_is_named(bb: BB, workspace: Path, name: str) -> None:
    """briefs/ and voices/ take .yml; claims.yml was silently not read, and every brief's
    claim (or campaign) was reported unknown instead."""
    (workspace / f"{name}.yaml").rename(workspace / f"{name}.yml")
    result = bb("validate", "--format", "json", cwd=workspace)
    assert result.code == 2
    [problem] = json.loads(result.out)["problems"]
    assert problem["path"] == f"{name}.yml"
    assert f"bb reads {name}.yaml" in problem["message"]


def test_bloomberry_yml_is_named_in_the_hint(bb: BB, workspace: Path) -> None:
    (workspace / "bloomberry.yaml").rename(workspace / "bloomberry.yml")
    result = bb("status", cwd=workspace / "briefs")
    assert result.code == 2
    assert "rename" in result.err and "bloomberry.yml to bloomberry.yaml" in result.err


# -- bb lint PATH: a path that names no post of this workspace -------------------------------


def test_lint_of_a_path_with_no_posts_is_an_error_not_a_green_check(
    bb: BB, workspace: Path, tmp_path: Path
) -> None:
    # Before: "✓ 0 errors, 0 warnings, 0 info in 0 of 0 files", exit 0, for a typo in CI.
    result = bb("lint", "briefs", cwd=workspace)
    assert result.code == 2 and "no posts in briefs" in result.err, result
    assert "0 of 0 files" not in result.out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.md").write_text("---\nbrief: x\n---\nhello\n")
    for outside in (elsewhere, elsewhere / "a.md"):
        result = bb("lint", str(outside), cwd=workspace)
        assert result.code == 2 and "outside the workspace" in result.err, result
        _no_traceback(result.err)
    assert bb("lint", "--format", "json", cwd=workspace).code in (0, 1)  # all posts: fine


def test_lint_of_a_post_or_a_folder_of_posts_still_lints(bb: BB, workspace: Path) -> None:
    assert bb("draft", "briefs/soc2-type2.yaml", cwd=workspace).code == 0
    folder = bb("lint", "posts/soc2-type2", "--format", "json", cwd=workspace)
    one = bb("lint", "posts/soc2-type2/alice--advocacy.md", "--format", "json", cwd=workspace)
    assert json.loads(folder.out)["files"] > 1
    assert json.loads(one.out)["files"] == 1


@pytest.mark.parametrize(
    ("command", "option"), [("calendar", "--ics"), ("report", "--html")], ids=["ics", "html"]
)
def test_an_output_file_in_a_folder_that_does_not_exist_is_refused(
    bb: BB, workspace: Path, command: str, option: str
) -> None:
    # was exit 0: the folders of a typo ("reprots/x.html") were made
    result = bb(command, option, "reprots/x.out", cwd=workspace)
    assert result.code == 2, result
    assert "there is no folder" in result.err and "reprots" in result.err
    assert not (workspace / "reprots").exists()
    assert bb(command, option, "x.out", cwd=workspace).code == 0  # beside it: fine
