"""Thin, fast access to the git command line.

Most commands need a handful of git calls; spawning git directly costs a few milliseconds each,
while importing GitPython costs ~80 ms before any work is done.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bloomberry_cli.errors import BBError


class GitError(BBError):
    """A git command failed; carries git's own message."""


def git(cwd: Path, *args: str, check: bool = True, input: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                input=input, env=env, check=False)
    except FileNotFoundError:
        raise BBError("git is not installed or not on PATH",
                      hint="install git and try again") from None
    if check and result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'no output'}")
    return result


def repo_root(path: Path) -> Path | None:
    """The top of the git work tree that holds ``path``, if any."""
    result = git(path, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def config_value(cwd: Path, key: str) -> str | None:
    result = git(cwd, "config", "--get", key, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None
