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


def changed_files(root: Path, ref: str, under: str) -> list[str]:
    """Files under ``under`` changed since ``ref`` (committed or not) plus untracked ones."""
    verify = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if verify.returncode != 0:
        raise BBError(f"--changed-since: '{ref}' is not a commit in this repository",
                      hint="use a branch, tag or commit id, e.g. origin/main")
    changed = git(root, "diff", "--name-only", "--diff-filter=d", "--no-renames", ref, "--",
                  under).stdout.split("\n")
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "--", under).stdout
    return sorted({line for line in [*changed, *untracked.split("\n")] if line})
