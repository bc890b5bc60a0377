"""The largest inputs bb reads, and the rule that it never follows a link out of the workspace.

Everything in a workspace may come from a pull request. These limits keep one file from making
every command slow or memory-hungry; each is reported with the file's name and the limit.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from bloomberry_cli.errors import Problem

KIB = 1024
MIB = 1024 * KIB

#: A post file (front matter + body). LinkedIn allows 3,000 characters, a long article ~100 kB.
MAX_POST_BYTES = 256 * KIB
#: A campaign brief.
MAX_BRIEF_BYTES = 256 * KIB
#: claims.yaml: room for tens of thousands of phrases.
MAX_CLAIMS_BYTES = 4 * MIB
#: Any other workspace file bb reads (bloomberry.yaml, calendar.yaml, voices, templates).
MAX_TEXT_BYTES = 2 * MIB
#: Blocked-claim patterns in claims.yaml, all claims together.
MAX_PATTERNS = 1000
#: One pattern's length in characters.
MAX_PATTERN_CHARS = 1000
#: Values in one YAML file after aliases are expanded (a "billion laughs" file stops here).
MAX_YAML_VALUES = 200_000
#: Nesting depth of one YAML file.
MAX_YAML_DEPTH = 100


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


@lru_cache(maxsize=4096)
def _folder_in(root: str, folder: str, cwd: str) -> tuple[bool, str, str]:
    """(``folder`` lexically inside ``root``, real ``folder``, real ``root``): lint reads
    thousands of posts from a few folders, so each folder is looked at once."""
    lexical_root = os.path.abspath(os.path.join(cwd, root))
    lexical = os.path.abspath(os.path.join(cwd, folder))
    return _within(lexical, lexical_root), _real_folder(lexical), _real_folder(lexical_root)


def forget_folders() -> None:
    """Drop resolved folders: a new run may find links that were not there before."""
    _real_folder.cache_clear()
    _folder_in.cache_clear()


def _within(path: str, folder: str) -> bool:
    """``Path(path).is_relative_to(folder)`` for absolute, normalized paths, without building
    Path objects: lint checks ten thousand posts."""
    path, folder = os.path.normcase(path), os.path.normcase(folder)  # Windows: any case
    if path == folder:
        return True
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    return path.startswith(prefix)


def outside_workspace(root: Path | str, path: Path | str, display: str) -> Problem | None:
    """A problem when ``path`` is, or passes through, a symlink that leads outside ``root``.

    Links inside the workspace are fine (this project's own checkout links its example files
    into the package); a link out of it would let a pull request make bb read, quote in CI logs
    or render any file the person running bb can read.
    """
    path, root = os.fspath(path), os.fspath(root)
    folder, name = os.path.split(path)
    if name in ("", os.curdir, os.pardir):
        return _outside_workspace(root, path, display)
    cwd = "" if os.path.isabs(folder) and os.path.isabs(root) else os.getcwd()
    inside, real_folder, real_root = _folder_in(root, folder, cwd)
    if not inside:  # most likely a file named on the command line, outside the workspace
        return _outside_workspace(root, path, display)
    real = os.path.realpath(path) if os.path.islink(path) else os.path.join(real_folder, name)
    return _judged(display, real, real_root)


def _outside_workspace(root: str, path: str, display: str) -> Problem | None:
    """``outside_workspace`` for any path, the folder resolved afresh."""
    lexical = os.path.abspath(path)
    lexical_root = os.path.abspath(root)
    if not _within(lexical, lexical_root):
        return None
    real_root = _real_folder(lexical_root)
    real = os.path.realpath(lexical)
    return _judged(display, real, real_root)


def _judged(display: str, real: str, real_root: str) -> Problem | None:
    """Outside the workspace, or inside its ``.git``: git's own files are not the workspace's
    (``.git/config`` holds the token CI checked out with), so a link there is refused too."""
    if not _within(real, real_root):
        return _escaped(display, real)
    if _within(real, os.path.join(real_root, ".git")):
        return Problem(
            display,
            f"leads into {real}, git's own files (its settings and credentials); "
            "bb reads no file under .git",
            hint="replace the link with the file itself, or remove it",
        )
    return None


def _escaped(display: str, real: str) -> Problem:
    return Problem(
        display,
        f"is a symlink to {real}, outside the workspace; bb does not "
        "follow links that leave the workspace",
        hint="replace the link with the file itself, or remove it",
    )
