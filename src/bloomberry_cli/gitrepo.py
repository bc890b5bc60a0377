"""Every git call bb makes goes through here, on GitPython's command runner (``git.Git``).

One place maps failures: a git command that fails is a ``GitError`` carrying git's own message,
git missing from PATH is a ``BBError`` saying so; nothing from ``subprocess`` or GitPython
escapes to the user as "a bug".

GitPython is imported lazily (``bb --help``, ``bb lint`` and ``bb validate`` never pay its
~80 ms). Settings and the index are read and written by git itself (``git config``, ``git add``)
rather than by GitPython's Python-side ``Repo.config_reader()``/``Repo.index``: those ignore
``GIT_CONFIG_GLOBAL``, ``GIT_CONFIG_NOSYSTEM`` and hooks, and cannot sign, so they would see and
do something other than what ``git commit -S`` does. Batch reads of the trail (``cat-file
--batch``, ``diff-tree --stdin``) are one process per batch with the whole request on stdin, as
fast as before; GitPython's persistent cat-file reader answers one object per round trip, which
is slower for the thousands of objects an audit reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO

from bloomberry_cli.errors import BBError
from bloomberry_cli.external import ProgramResult


def _trail_reading_env() -> dict[str, str]:
    """For every git process that reads the trail: commits as they are. Never as replaced
    (``git replace``), and never through a commit-graph file: git takes parents from that
    file without reading the commits, and `git clone PATH` copies it from the source folder
    as it is, so an edited one would hide commits (a reject) from every new clone. The setting
    is added after any the caller's environment already passes to git."""
    count = os.environ.get("GIT_CONFIG_COUNT", "0")
    index = int(count) if count.isdigit() else 0
    return {
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": "core.commitGraph",
        f"GIT_CONFIG_VALUE_{index}": "false",
    }


#: Merged over the current environment by :func:`git`.
NO_REPLACE: Mapping[str, str] = _trail_reading_env()

_NOT_INSTALLED = "git is not installed or not on PATH"


class GitError(BBError):
    """A git command failed; the message is git's own."""

    def __init__(self, command: str, returncode: int, message: str) -> None:
        super().__init__(f"{command} failed: {message}")
        self.command = command
        self.returncode = returncode
        self.git_message = message


@dataclass(frozen=True, slots=True)
class GitResult(ProgramResult):
    """What a git command printed, and how it ended."""

    @property
    def message(self) -> str:
        return git_message(self.stderr, self.stdout)


def git_message(stderr: str, stdout: str = "") -> str:
    """git's own explanation of a failure, after the refs a push or fetch could not update
    (``! [rejected] main -> main (fetch first)``): its first ``fatal:`` or ``error:`` line
    with the line before it (``ssh: connect to host … refused``), else its last line that is
    not a ``hint:``. Not simply the last line: after a failed fetch that is the boilerplate
    "and the repository exists.", which names nothing."""
    for text in (stderr, stdout):
        lines = [line.strip() for line in text.splitlines()]
        lines = [line for line in lines if line and not line.startswith("hint:")]
        if not lines:
            continue
        refused = [line for line in lines if line.startswith("! [")][:3]
        # "To URL" / "From URL" head a push's or fetch's report of refs, not the failure
        others = [line for line in lines if not line.startswith(("! [", "To ", "From "))]
        others = others or lines[-1:]
        first = next(
            (i for i, line in enumerate(others) if line.startswith(("fatal:", "error:"))), None
        )
        cause = others[max(0, first - 1) : first + 1] if first is not None else others[-1:]
        return "; ".join([*refused, *cause])
    return "no output"


def _gitpython() -> ModuleType:
    try:
        import git as gitpython  # lazy: ~80 ms most commands never need
    except ModuleNotFoundError as exc:
        if exc.name != "git":
            raise
        raise BBError(
            "GitPython is not installed", hint="reinstall bb: `pip install bloomberry-cli`"
        ) from None
    except ImportError:
        # GitPython refuses to import when it cannot run `git version`.
        raise BBError(_NOT_INSTALLED, hint="install git and try again") from None
    return gitpython


def _run(
    cwd: Path, args: tuple[str, ...], stdin: bytes | None, env: Mapping[str, str] | None
) -> tuple[int, bytes, bytes]:
    if not cwd.is_dir():
        # GitPython would quietly run git in the current directory instead.
        raise BBError(f"{cwd} is not a folder", hint="check the path")
    gitpython = _gitpython()
    runner = gitpython.Git(str(cwd))
    with contextlib.ExitStack() as stack:
        istream: IO[bytes] | None = None
        if stdin is not None:
            # Popen needs a real file for stdin; a request can be megabytes (cat-file batches).
            istream = stack.enter_context(tempfile.TemporaryFile())
            istream.write(stdin)
            istream.seek(0)
        try:
            status, out, err = runner.execute(
                ["git", *args],
                istream=istream,
                env=dict(env) if env else None,
                with_extended_output=True,
                with_exceptions=False,
                stdout_as_string=False,
                strip_newline_in_stdout=False,
            )
        except gitpython.exc.GitCommandNotFound:
            raise BBError(_NOT_INSTALLED, hint="install git and try again") from None
    # GitPython decodes stderr and drops its final newline; stdout stays raw bytes.
    err_bytes = err.encode("utf-8", "replace") if isinstance(err, str) else err
    return int(status), out, err_bytes


def git(
    cwd: Path,
    *args: str,
    check: bool = True,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> GitResult:
    """Run ``git args…`` in ``cwd``. ``env`` is added to the current environment. With
    ``check``, a failure raises ``GitError`` with git's message; otherwise the caller reads
    ``returncode``."""
    stdin = input.encode("utf-8") if input is not None else None
    status, out, err = _run(cwd, args, stdin, env)
    result = GitResult(status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    if check and status != 0:
        raise GitError(f"git {args[0]}", status, result.message)
    return result


def git_bytes(
    cwd: Path, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None
) -> bytes:
    """Run ``git args…`` for its raw output (object contents, ``-z`` lists); failure is a
    ``GitError``."""
    status, out, err = _run(cwd, args, input, env)
    if status != 0:
        raise GitError(f"git {args[0]}", status, git_message(err.decode("utf-8", "replace")))
    return out


def outside_any_repository(path: Path) -> bool:
    """True when no folder from ``path`` up holds a ``.git`` and no GIT_DIR says where one
    is: git would find no repository either. A workspace outside git then costs no GitPython
    import and no git process (~50 ms of `bb draft` or `bb status` there)."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return False
    folder = path.resolve()
    return not any((each / ".git").exists() for each in (folder, *folder.parents))


def repo_root(path: Path) -> Path | None:
    """The top of the git work tree that holds ``path``, if any."""
    if not path.is_dir() or outside_any_repository(path):
        return None
    result = git(path, "rev-parse", "--show-toplevel", check=False)
    return Path(result.stdout.strip()) if result.ok else None


def current_branch(cwd: Path) -> str | None:
    """The checked-out branch's short name; None on a detached HEAD."""
    result = git(cwd, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return result.stdout.strip() or None if result.ok else None


def config_value(cwd: Path, key: str) -> str | None:
    """A setting as git itself resolves it (includes, GIT_CONFIG_GLOBAL), or None."""
    result = git(cwd, "config", "--get", key, check=False)
    return result.stdout.strip() or None if result.ok else None


def changed_files(root: Path, ref: str, under: str) -> list[str]:
    """Files under ``under`` changed since ``ref`` (committed or not) plus untracked ones."""
    verify = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if not verify.ok:
        raise BBError(
            f"--changed-since: '{ref}' is not a commit in this repository",
            hint="use a branch, tag or commit id, e.g. origin/main",
        )
    changed = git(
        root, "diff", "--name-only", "--diff-filter=d", "--no-renames", ref, "--", under
    ).stdout.split("\n")
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "--", under).stdout
    return sorted({line for line in [*changed, *untracked.split("\n")] if line})


#: Attributes under which git stores a file otherwise than it reads, even without a CR in it.
_REWRITING_ATTRIBUTES = ("filter", "ident", "working-tree-encoding")


def stored_sha256s(root: Path, paths: Sequence[str]) -> dict[str, str]:
    """The sha256 of each file (relative to ``root``) as git stores it: what a decision names
    and the audit reads back (DESIGN.md, Trail model 11). Most files are stored byte for byte.
    Git rewrites the line ends of a file with CRs in it (``core.autocrlf``, a Windows checkout,
    a ``text`` or ``eol`` attribute) and any file under a clean filter, ``ident`` or
    ``working-tree-encoding``; those few it converts here itself (``hash-object -w``, which
    writes the blob ``git add`` would write), in two processes whatever their number."""
    raw = {path: (root / path).read_bytes() for path in paths}
    digests = {path: hashlib.sha256(data).hexdigest() for path, data in raw.items()}
    if not raw:
        return digests
    asked = git_bytes(
        root, "check-attr", "-z", "--stdin", *_REWRITING_ATTRIBUTES, input=_nul_list(raw)
    ).split(b"\0")
    rewritten = {
        asked[i].decode("utf-8", "surrogateescape")
        for i in range(0, len(asked) - 2, 3)
        if asked[i + 2] not in (b"unspecified", b"unset")
    }
    converted = [
        path
        for path, data in raw.items()
        if (b"\r" in data or path in rewritten) and path.isprintable()  # one a line, below
    ]
    if not converted:
        return digests
    listed = "".join(f"{path}\n" for path in converted)
    made = git(root, "hash-object", "-w", "--stdin-paths", input=listed, check=False)
    ids = made.stdout.split()
    if not made.ok or len(ids) != len(converted):
        # A repository bb may not write to: the files as they read. A decision on one is
        # refused when it is staged (approvals/decision_commit.py), a past one shows as stale.
        return digests
    for path, data in zip(converted, read_objects(root, ids), strict=True):
        if data is not None:
            digests[path] = hashlib.sha256(data).hexdigest()
    return digests


def _nul_list(paths: Iterable[str]) -> bytes:
    return b"".join(path.encode("utf-8", "surrogateescape") + b"\0" for path in paths)


def read_objects(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """Contents of many git objects (``sha``, ``rev:path``) through one cat-file process; the
    objects as they are, never as replaced."""
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode()
    output = git_bytes(root, "cat-file", "--batch", input=request, env=NO_REPLACE)
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
        results.append(output[offset : offset + size])
        offset += size + 1
    return results
