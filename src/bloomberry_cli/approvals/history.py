"""Read the decision trail from git: one ``git log`` for the messages, one ``git cat-file
--batch`` stream for raw commits and blobs. No process or object per commit."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.approvals.trailers import DecisionRecord, parse_message
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import git, repo_root


@dataclass(frozen=True)
class DecisionCommit:
    sha: str
    parents: tuple[str, ...]
    committed: dt.datetime
    record: DecisionRecord


def require_repo(root: Path) -> Path:
    top = repo_root(root)
    if top is None:
        raise BBError(f"{root} is not in a git repository; decisions are git commits",
                      hint="run `git init` and commit the workspace first")
    return top


def read_decisions(root: Path) -> list[DecisionCommit]:
    """Every decision commit, oldest first. Found by trailer, not by path: a decision on an
    unchanged post is an empty commit, which path-limited logs leave out."""
    result = git(root, "log", "--reverse", "--date-order", "-z",
                 "--format=%H%x1f%P%x1f%cI%x1f%B", "--grep=^Bb-Decision: ", check=False)
    if result.returncode != 0:
        if "does not have any commits" in result.stderr or "bad default revision" in \
                result.stderr:
            return []
        raise BBError(f"git log failed: {result.stderr.strip()}")
    found = []
    for entry in result.stdout.split("\0"):
        if not entry.strip():
            continue
        sha, parents, committed, message = entry.strip("\n").split("\x1f", 3)
        record = parse_message(message)
        if record is None:
            continue
        found.append(DecisionCommit(sha, tuple(parents.split()),
                                    dt.datetime.fromisoformat(committed), record))
    return found


def read_objects(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """Contents of many git objects (``sha``, ``rev:path``) through one cat-file process."""
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode()
    output = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=request,
                            capture_output=True, check=True).stdout
    results: list[bytes | None] = []
    offset = 0
    for _ in specs:
        newline = output.index(b"\n", offset)
        header = output[offset:newline].split()
        offset = newline + 1
        if len(header) < 3 or header[-1] == b"missing" or header[1] == b"missing":
            results.append(None)
            continue
        size = int(header[2])
        results.append(output[offset:offset + size])
        offset += size + 1
    return results


def parse_tree(data: bytes) -> dict[str, str]:
    """Entries of a raw git tree object: name → object id (hex)."""
    entries = {}
    offset = 0
    while offset < len(data):
        space = data.index(b" ", offset)
        nul = data.index(b"\0", space)
        name = data[space + 1:nul].decode("utf-8", "replace")
        entries[name] = data[nul + 1:nul + 21].hex()
        offset = nul + 21
    return entries
