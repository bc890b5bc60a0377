"""For tests of untrusted workspace input: bb in a fresh process that a hang cannot take the
test run down with, and a post file with a given body."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"


def bb_in_a_process(
    workspace: Path, *args: str, timeout: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """bb in a fresh process with a timeout: a hang inside the test process could not be
    stopped."""
    return subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", *args],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PYTHONPATH": str(SOURCE), "PATH": "/usr/bin:/bin", "HOME": str(workspace)}
        | (env or {}),
    )


def advocacy_post(root: Path, body: str, name: str = "alice--advocacy.md") -> Path:
    """Alice's advocacy post on the SOC 2 brief (or the file ``name`` beside it)."""
    path = root / "posts" / "soc2-type2" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\n"
        f"channel: linkedin\n---\n{body}\n"
    )
    return path
