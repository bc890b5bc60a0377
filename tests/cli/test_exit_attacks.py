"""Attacks on how `bb` leaves (``entry``: flush, then ``os._exit``), run as real processes with
Python's ordinary buffering (the test environment sets PYTHONUNBUFFERED; users do not)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_example

SRC = Path(__file__).resolve().parents[2] / "src"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(SRC)
    return env


def _bb(cwd: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", *args],
        cwd=cwd,
        env=_env(),
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("--version",), ("lint", "--format", "json"), ("validate",)])
def test_output_to_a_full_disk_is_one_clear_error_not_a_traceback(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    root = copy_example(tmp_path / "ws")
    with open("/dev/full", "w") as full:
        result = _bb(root, *args, stdout=full, stderr=subprocess.PIPE)
    assert "Traceback" not in result.stderr
    assert "bug in bb" not in result.stderr
    assert result.stderr.count("No space left on device") == 1, result.stderr
    assert result.returncode == 2


@pytest.mark.parametrize(
    ("args", "code", "where", "says"),
    [
        (("lnt",), 2, "err", "No such command"),
        (("lint", "--format", "xml"), 2, "err", "xml"),
        (("--help",), 0, "out", "Usage: bb"),
        (("--version",), 0, "out", "bb "),
        (("lint", "--format", "json"), 1, "out", '"findings"'),
    ],
)
def test_exit_codes_and_output_reach_a_file_and_a_pipe(
    tmp_path: Path, args: tuple[str, ...], code: int, where: str, says: str
) -> None:
    root = copy_example(tmp_path / "ws")
    (root / "posts" / "soc2-type2").mkdir(parents=True)
    (root / "posts" / "soc2-type2" / "alice--advocacy.md").write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\nchannel: linkedin\n"
        "---\nWe offer guaranteed ROI.\n"
    )
    piped = _bb(root, *args, capture_output=True)
    with open(tmp_path / "out.txt", "w") as out, open(tmp_path / "err.txt", "w") as err:
        filed = _bb(root, *args, stdout=out, stderr=err)
    seen = {"out": (tmp_path / "out.txt").read_text(), "err": (tmp_path / "err.txt").read_text()}
    assert (piped.returncode, filed.returncode) == (code, code), piped.stderr
    assert says in getattr(piped, f"std{where}")
    assert seen == {"out": piped.stdout, "err": piped.stderr}
    assert "Traceback" not in piped.stderr


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_reader_that_leaves_early_gets_a_quiet_exit(tmp_path: Path, fmt: str) -> None:
    """`bb lint | head -1` with more output than a pipe holds."""
    root = copy_example(tmp_path / "ws")
    folder = root / "posts" / "soc2-type2"
    folder.mkdir(parents=True)
    for n in range(600):
        (folder / f"alice-{n:03d}--advocacy.md").write_text(
            "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\nchannel: linkedin\n"
            f"---\nPost {n}: we offer guaranteed ROI and an unhackable vault.\n"
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "bloomberry_cli", "lint", "--format", fmt],
        cwd=root,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) in (0, 1)
    assert err == ""


@pytest.mark.parametrize(
    ("closed", "args", "code"),
    [(1, ("--version",), 0), (1, ("validate",), 0), (2, ("--version",), 0), (2, ("lnt",), 2)],
)
def test_a_closed_stdout_or_stderr_keeps_the_exit_code(
    tmp_path: Path, closed: int, args: tuple[str, ...], code: int
) -> None:
    """`bb … >&-` (cron, some CI runners): Python starts with that stream None."""
    root = copy_example(tmp_path / "ws")
    kept = subprocess.PIPE
    result = subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", *args],
        cwd=root,
        env=_env(),
        stdout=kept if closed != 1 else None,
        stderr=kept if closed != 2 else None,
        preexec_fn=lambda: os.close(closed),
        timeout=60,
    )
    assert result.returncode == code
    assert b"Traceback" not in (result.stderr or b"")
