"""Read the commit graph from git: one ``git log`` for the graph and messages, ``git cat-file
--batch`` streams for raw commits, trees and blobs. No process or object per commit.

Replace refs are never honoured (``GIT_NO_REPLACE_OBJECTS``), and histories that git would
show differently from what was pushed (shallow, grafted, replaced) are refused outright.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import NO_REPLACE, git, git_bytes, repo_root

TREE_MODE = "40000"
LINK_MODE = "120000"


class HistoryRefused(BBError):
    """A history bb cannot vouch for: the rule id says why, the hint what to do."""

    def __init__(self, rule: str, message: str, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.rule = rule


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    tree: str
    committed: dt.datetime
    message: str


def require_repo(root: Path) -> Path:
    top = repo_root(root)
    if top is None:
        raise BBError(
            f"{root} is not in a git repository; decisions are git commits",
            hint="run `git init` and commit the workspace first",
        )
    return top


def check_history(root: Path) -> None:
    """Refuse histories in which git shows something other than the commits themselves."""
    env = NO_REPLACE
    fmt = git(root, "rev-parse", "--show-object-format", check=False, env=env).stdout.strip()
    if fmt and fmt != "sha1":
        raise HistoryRefused(
            "history.unsupported",
            f"this repository uses {fmt} object ids; bb verifies SHA-1 repositories only",
            "keep the workspace in a SHA-1 repository (git's default)",
        )
    if git(root, "rev-parse", "--is-shallow-repository", env=env).stdout.strip() == "true":
        raise HistoryRefused(
            "history.shallow",
            "this clone is shallow: the trail's start is "
            "missing, so the policy in force cannot be known",
            "run `git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)",
        )
    common = Path(git(root, "rev-parse", "--git-common-dir", env=env).stdout.strip())
    common = common if common.is_absolute() else (root / common)
    if (common / "info" / "grafts").exists():
        raise HistoryRefused(
            "history.replaced",
            "this repository has grafts (info/grafts): "
            "git shows parents that the commits do not have",
            "remove .git/info/grafts",
        )
    replaced = git(
        root, "for-each-ref", "--format=%(refname)", "refs/replace/", env=env
    ).stdout.split()
    if replaced:
        raise HistoryRefused(
            "history.replaced",
            f"this repository has {len(replaced)} "
            "replace ref(s): git shows other objects than the ones named",
            "remove them: `git replace -d $(git replace -l)`",
        )


_FULL_ID = re.compile(r"[0-9a-fA-F]{40}")


def full_commit_id(value: str, what: str, setting: str) -> str:
    """A pinned commit (trust root, high-water mark) as the full id it must be. A branch, tag or
    short id is refused: anyone who can push can move a branch or tag, or push one named like
    the short id, and git resolves such a name before a short object id."""
    value = value.strip()
    if not _FULL_ID.fullmatch(value):
        raise BBError(
            f"{what}: '{value}' is not a full commit id; a branch, tag or short id can be "
            "moved or shadowed by a ref anyone who can push may create",
            hint=f"pin the full 40-character id ({setting}); `git rev-parse {value}` prints it",
        )
    return value.lower()


def read_graph(root: Path, tip: str) -> list[CommitInfo]:
    """Every ancestor of ``tip`` (itself included), parents before children. No history
    simplification: every side branch counts. ``--no-show-signature``: a ``log.showSignature``
    setting would print gpg's output into the entries."""
    result = git(
        root,
        "log",
        "--no-show-signature",
        "--topo-order",
        "--reverse",
        "-z",
        "--format=%H%x1f%P%x1f%T%x1f%cI%x1f%ct%x1f%B",
        tip,
        check=False,
        env=NO_REPLACE,
    )
    if not result.ok:
        raise BBError(f"git log failed: {result.message}")
    commits = []
    for entry in result.stdout.split("\0"):
        entry = entry.lstrip("\n")
        if not entry:
            continue
        sha, parents, tree, committed, seconds, message = entry.split("\x1f", 5)
        commits.append(
            CommitInfo(sha, tuple(parents.split()), tree, commit_time(committed, seconds), message)
        )
    return commits


#: Where a commit date Python cannot represent is put (a year past 9999, a zone offset of a
#: day or more: git stores whatever a hand-made commit says, and one such commit anywhere in
#: the history must not stop every command).
LATEST = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def commit_time(iso: str, seconds: str) -> dt.datetime:
    """The committer date git printed (``%cI``), else its Unix time in UTC (``%ct``), else
    the nearest representable date."""
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        value = int(seconds)
    except ValueError:
        return EARLIEST
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return LATEST if value > 0 else EARLIEST


def object_ids(root: Path, specs: Sequence[str]) -> list[str | None]:
    """The ids of many ``tree:path`` specs through one cat-file process."""
    if not specs:
        return []
    request = "".join(f"{s}\n" for s in specs).encode()
    out = (
        git_bytes(root, "cat-file", "--batch-check=%(objectname)", input=request, env=NO_REPLACE)
        .decode()
        .splitlines()
    )
    return [None if line.endswith("missing") or " " in line else line for line in out]


def list_tree(root: Path, tree: str, under: str) -> dict[str, str]:
    """Path → blob id of every file below ``under`` in ``tree``, in one process."""
    output = git_bytes(
        root, "ls-tree", "-r", "-z", "--full-tree", tree, "--", under, env=NO_REPLACE
    )
    found = {}
    for entry in output.decode("utf-8", "replace").split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[0] != LINK_MODE:
            found[path] = parts[2]
    return found


def blob_ids(root: Path, wanted: Sequence[tuple[str, str]], under: str) -> list[str | None]:
    """The blob ids of many (tree, path) pairs. Trees asked about often are listed once (path
    lookups through a large folder cost git a parse each); the rest go through cat-file."""
    counts: dict[str, int] = {}
    for tree, _ in wanted:
        counts[tree] = counts.get(tree, 0) + 1
    listed = {tree: list_tree(root, tree, under) for tree, n in counts.items() if n >= 20}
    rest = [(tree, path) for tree, path in wanted if tree not in listed]
    looked = dict(zip(rest, object_ids(root, [f"{t}:{p}" for t, p in rest]), strict=True))
    return [
        listed[tree].get(path) if tree in listed else looked[(tree, path)] for tree, path in wanted
    ]


def commit_hash_matches(sha: str, raw: bytes) -> bool:
    """True when ``raw`` is really the commit named ``sha`` (git's object id is its hash)."""
    return hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest() == sha


def parse_tree(data: bytes) -> dict[str, tuple[str, str]]:
    """Entries of a raw git tree object: name → (mode, object id)."""
    entries = {}
    offset = 0
    while offset < len(data):
        space = data.index(b" ", offset)
        nul = data.index(b"\0", space)
        mode = data[offset:space].decode()
        name = data[space + 1 : nul].decode("utf-8", "replace")
        entries[name] = (mode, data[nul + 1 : nul + 21].hex())
        offset = nul + 21
    return entries
