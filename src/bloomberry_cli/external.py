"""Programs other than git that bb starts: ``ssh-keygen``, the ``gpg.ssh.defaultKeyCommand``
a user configured, and their editor. git itself goes through ``gitrepo``.

A program that cannot be started is a ``BBError`` naming it, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.errors import BBError


@dataclass(frozen=True, slots=True)
class ProgramResult:
    """What a program printed, and how it ended."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_program(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    hint: str | None = None,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> ProgramResult:
    """Run ``args`` with captured text output; the caller reads ``returncode``. ``env`` is
    added to the current environment."""
    try:
        done = subprocess.run(
            list(args),
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            input=input,
            timeout=timeout,
            env={**os.environ, **env} if env is not None else None,
        )
    except OSError as exc:
        raise BBError(f"could not run {args[0]}: {exc.strerror or exc}", hint=hint) from None
    except subprocess.TimeoutExpired:
        raise BBError(f"{args[0]} did not answer within {timeout:.0f} s", hint=hint) from None
    return ProgramResult(done.returncode, done.stdout, done.stderr)


def run_shell_command(command: str, *, cwd: Path) -> ProgramResult:
    """A command line a user configured for git (``gpg.ssh.defaultKeyCommand``), run through
    the shell exactly as git runs it."""
    done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=cwd, check=False)
    return ProgramResult(done.returncode, done.stdout, done.stderr)


def run_interactive(args: Sequence[str]) -> int:
    """Run a program on the user's terminal (their editor) and wait; its exit status.
    ``OSError`` when it cannot be started: the caller knows what to tell the user."""
    return subprocess.run(list(args), check=False).returncode
