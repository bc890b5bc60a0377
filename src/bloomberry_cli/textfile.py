"""Reading and writing the files people keep in a workspace.

Reads refuse what cannot be a hand-written text file (binary, non-UTF-8, huge) with a message
that says where and what to do; writes are atomic so that nothing is ever half-written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bloomberry_cli.errors import Problem

# Hand-written YAML and posts are kilobytes; anything this large is a mistake, and reading it
# whole would make every command slow.
MAX_TEXT_BYTES = 2 * 1024 * 1024


class TextFileError(Exception):
    """A file that cannot be read as text; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path | str, display: str, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Return the file's text, or raise ``TextFileError`` naming what is wrong with it."""
    try:
        with open(path, "rb") as handle:  # one open and fstat: lint reads thousands of posts
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise TextFileError(
                    Problem(
                        display,
                        f"file is {size / 1_048_576:.1f} MB; bb reads files up to "
                        f"{max_bytes // 1_048_576} MB",
                        hint="is this the right file?",
                    )
                )
            raw = handle.read()
    except FileNotFoundError:
        raise TextFileError(Problem(display, "file not found")) from None
    except IsADirectoryError:
        raise TextFileError(Problem(display, "is a directory, not a file")) from None
    except PermissionError:
        raise TextFileError(Problem(display, "permission denied")) from None
    if b"\0" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        raise TextFileError(
            Problem(display, "looks like a binary file, not text", line=line,
                    hint="workspace files are UTF-8 text")
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


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write to ``path`` via a temp file and rename, so readers never see half a file. Text is
    UTF-8 with LF line ends; bytes are written as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
