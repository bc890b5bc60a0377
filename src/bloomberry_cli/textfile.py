"""Reading and writing the files people keep in a workspace.

Reads refuse what cannot be a hand-written text file (binary, non-UTF-8, huge) with a message
that says where and what to do; writes are atomic so that nothing is ever half-written.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import stat
from pathlib import Path

from bloomberry_cli.errors import Problem, ProblemsError
from bloomberry_cli.limits import MAX_TEXT_BYTES, outside_workspace

#: A line git writes into a file whose merge it left half done (`git merge`, `git pull`,
#: `git stash pop`): ``<<<<<<< ours``, ``||||||| base``, ``>>>>>>> theirs``, at column 0.
#: The ``=======`` between them is not one: on its own it is ordinary text.
CONFLICT_MARKER_LINE = re.compile(r"^(?:<{7}|>{7}|\|{7})(?:[ \t][^\r\n]*)?(?=\r?$)", re.M)

__all__ = ["MAX_TEXT_BYTES", "TextFileError", "atomic_write", "read_text"]


class TextFileError(ProblemsError):
    """A file that cannot be read as text; carries the one problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem])
        self.problem = problem


def read_text(
    path: Path | str, display: str, *, max_bytes: int = MAX_TEXT_BYTES, within: Path | None = None
) -> str:
    """Return the file's text, or raise ``TextFileError`` naming what is wrong with it.
    With ``within`` (the workspace root), a symlink that leads out of it is refused."""
    if within is not None:
        escaped = outside_workspace(within, path, display)
        if escaped is not None:
            raise TextFileError(escaped)
    try:
        raw = _read_bytes(path, display, max_bytes)
    except FileNotFoundError:
        raise TextFileError(Problem(display, "file not found")) from None
    except IsADirectoryError:
        raise TextFileError(Problem(display, "is a folder, not a file")) from None
    except PermissionError:
        raise TextFileError(Problem(display, "permission denied")) from None
    if b"\0" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        raise TextFileError(
            Problem(
                display,
                "looks like a binary file, not text",
                line=line,
                hint="workspace files are UTF-8 text",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TextFileError(
            Problem(
                display,
                f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                line=line,
                column=column,
                hint="save the file as UTF-8 in your editor",
            )
        ) from None
    return text.removeprefix("\ufeff")


def _too_large(display: str, size: int, max_bytes: int) -> TextFileError:
    return TextFileError(
        Problem(
            display,
            f"file is {_size(size)}; bb reads files of this kind up to {_size(max_bytes)}",
            hint="is this the right file?",
        )
    )


def _read_bytes(path: Path | str, display: str, max_bytes: int) -> bytes:
    """The file's bytes, refused past ``max_bytes`` before they are read. File descriptors,
    not a file object: lint reads ten thousand posts, and the buffered reader's setup cost
    as much as the read itself."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(status.st_mode):  # a FIFO, a socket, /dev/zero: no end, or none yet
            raise TextFileError(
                Problem(display, "is not a regular file", hint="workspace files are text files")
            )
        size = status.st_size
        if size > max_bytes:
            raise _too_large(display, size, max_bytes)
        chunks = []
        left = max_bytes + 1  # one byte more: a file that grew past the limit is refused too
        while left > 0:
            chunk = os.read(fd, min(left, max(size + 1, 65_536)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(raw) > max_bytes:
        raise _too_large(display, len(raw), max_bytes)
    return raw


def _size(count: int) -> str:
    if count >= 1_048_576:
        return f"{count / 1_048_576:.1f} MB"
    return f"{count / 1024:.0f} kB"


@functools.cache
def _new_file_mode() -> int:
    """0666 less the umask, read once: reading it means setting it, which is not thread-safe."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return _new_file_mode()


def atomic_write(path: Path, text: str | bytes, *, new: bool = False) -> None:
    """Write to ``path`` via a temp file and rename, so readers never see half a file. Text is
    UTF-8 with LF line ends; bytes are written as they are. ``new`` says the caller has just
    seen that ``path`` does not exist, so it gets a new file's mode without another stat."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    folder = path.parent
    while True:
        # The name is chosen before the file is made (as mkstemp would, but known here): a
        # Ctrl-C that lands as the file is created, after the open and before its result is
        # kept, must still remove it.
        tmp = os.path.join(folder, f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = _create(tmp, folder)
        except FileExistsError:  # someone else's: try another name
            continue
        except BaseException:
            # O_EXCL: if the file is there now, this call made it.
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        break
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            # The temp file is 0600; a file bb writes gets the mode it had, or what the umask
            # gives a new file, as any editor would.
            os.fchmod(fd, _new_file_mode() if new else _mode_for(path))
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_CREATE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
) | getattr(os, "O_BINARY", 0)


def _create(tmp: str, folder: Path) -> int:
    try:
        return os.open(tmp, _CREATE_FLAGS, 0o600)
    except FileNotFoundError:
        # Most writes go to a folder that exists: make it (or fail as mkdir does) only when
        # the file could not be made, not on every write.
        folder.mkdir(parents=True, exist_ok=True)
        return os.open(tmp, _CREATE_FLAGS, 0o600)
