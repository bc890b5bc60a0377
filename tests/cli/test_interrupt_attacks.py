"""Attacks on Ctrl-C and kill in a large run: `bb lint` in forked workers (real processes, real
signals) and `bb draft` interrupted as a draft is being written."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from bloomberry_cli.forking import process_count
from bloomberry_cli.posts import load_post
from conftest import BB, copy_example

SRC = Path(__file__).resolve().parents[2] / "src"
parallel = pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")

# `bb lint` forced parallel, its own chunk slow (0.02 s a post): the worker's small chunk is
# done long before, and the worker waits for work when Ctrl-C comes.
SLOW_PARENT_LINT = """
import os, sys, time
from bloomberry_cli.governance import lint
lint.PARALLEL_MIN_POSTS = 10
parent, check = os.getpid(), lint.Linter.check
def slow_in_parent(self, post):
    if os.getpid() == parent:
        time.sleep(0.02)
    return check(self, post)
lint.Linter.check = slow_in_parent
sys.argv = ["bb", "lint"]
from bloomberry_cli.cli.main import entry
entry()
"""


SLOW_PARENT_DRAFT = """
import os, sys, time
from bloomberry_cli.drafting import draft
draft.PARALLEL_MIN_DRAFTS = 10
parent, write = os.getpid(), draft._write
def slow_in_parent(*args, **kwargs):
    if os.getpid() == parent:
        time.sleep(0.02)
    return write(*args, **kwargs)
draft._write = slow_in_parent
sys.argv = ["bb", "draft", "big"]
from bloomberry_cli.cli.main import entry
entry()
"""


def _draft_workspace(root: Path, participants: int) -> Path:
    """One brief for ``participants`` people (two drafts each), as bench/draft_scale.py builds."""
    copy_example(root)
    for n in range(participants):
        (root / "voices" / f"p{n:03d}.yaml").write_text(
            f"name: Person {n}\nrole: Bench\nstyle:\n  tone: direct\n  pronoun: we\n"
            f"samples: ['A sample post by person {n}.']\n"
        )
    brief = (root / "briefs" / "soc2-type2.yaml").read_text()
    brief = brief[: brief.index("participants:")] + (
        "participants:\n  - role: Bench\n    notes: [One observation., Another observation.]\n"
    )
    (root / "briefs" / "big.yaml").write_text(brief)
    return root


def _workspace(root: Path, posts: int) -> Path:
    copy_example(root)
    folder = root / "posts" / "soc2-type2"
    folder.mkdir(parents=True)
    for n in range(posts):
        (folder / f"alice-{n:03d}--thought-leadership.md").write_text(
            "---\nbrief: soc2-type2\nparticipant: alice\nprogram: thought-leadership\n"
            f"channel: linkedin\n---\nPost {n}: a note on rotating tokens before the audit.\n"
        )
    return root


def _group(pgid: int) -> list[int]:
    """The live processes of a process group (a zombie has left)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _start_slow(root: Path, script: str = SLOW_PARENT_LINT) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(SRC)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(_group(process.pid)) < 2:  # the worker is forked
        assert time.monotonic() < deadline and process.poll() is None, "no worker started"
        time.sleep(0.02)
    time.sleep(0.5)  # the worker's chunk is done; the parent's is not
    return process


def _left_behind(pgid: int) -> list[int]:
    deadline = time.monotonic() + 5
    while _group(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _group(pgid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@parallel
def test_ctrl_c_while_a_worker_waits_says_interrupted_and_no_traceback(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", 200)
    process = _start_slow(root)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole group
    out, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (130, "bb: interrupted\n")
    assert out == ""
    assert _left_behind(process.pid) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@parallel
def test_a_killed_lint_leaves_no_worker_holding_its_output(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", 200)
    process = _start_slow(root)
    process.terminate()  # the parent only, as a CI timeout does
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=20)  # ends only once no worker holds stdout open
    assert _left_behind(process.pid) == []
    assert process.returncode == -signal.SIGTERM


TEMP_MAKERS = {"_create", "_mkstemp_inner"}


def _interrupt_at_open(count: int) -> Any:
    """A profile hook raising KeyboardInterrupt as the ``count``-th temp file is made: a Ctrl-C
    that lands just as the file exists, before its descriptor is kept."""
    seen = 0

    def hook(frame: FrameType, event: str, arg: object) -> None:
        nonlocal seen
        # os.open making a temp file (this module's or tempfile's way)
        if event == "c_return" and arg is os.open and frame.f_code.co_name in TEMP_MAKERS:
            seen += 1
            if seen == count:
                sys.setprofile(None)
                raise KeyboardInterrupt

    return hook


def test_ctrl_c_as_a_draft_is_written_leaves_no_temp_file_and_says_what_was_written(
    workspace: Path, bb: BB
) -> None:
    sys.setprofile(_interrupt_at_open(3))
    try:
        result = bb("draft", "soc2-type2", cwd=workspace)
    finally:
        sys.setprofile(None)
    posts = workspace / "posts"
    assert result.code == 130
    assert "interrupted while writing" in result.err and "nothing written" not in result.err
    assert [p.name for p in posts.rglob("*") if p.name.endswith(".tmp")] == []
    written = list(posts.rglob("*.md"))  # those written before Ctrl-C, each whole
    assert written
    assert all(load_post(workspace, p.relative_to(workspace).as_posix()).body for p in written)
    again = bb("draft", "soc2-type2", cwd=workspace)
    assert again.code == 0, again.err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@parallel
def test_ctrl_c_in_a_parallel_draft_leaves_whole_drafts_only(tmp_path: Path) -> None:
    root = _draft_workspace(tmp_path / "ws", 60)
    process = _start_slow(root, SLOW_PARENT_DRAFT)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "interrupted while writing 120 drafts" in err and "Traceback" not in err
    assert _left_behind(process.pid) == []
    posts = root / "posts"
    assert [p.name for p in posts.rglob("*") if p.name.endswith(".tmp")] == []
    written = list(posts.rglob("*.md"))
    assert 0 < len(written) < 120
    assert all(load_post(root, p.relative_to(root).as_posix()).body for p in written)
