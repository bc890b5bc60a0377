"""Attacks on parallel `bb draft`: what it prints (text, json), its exit code and its files
are the ones a single process gives, with an existing copy of a draft filed under another
brief's folder, and a post that cannot be read among the existing ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bloomberry_cli.drafting import draft as draft_module
from bloomberry_cli.forking import process_count
from conftest import BB, copy_example

pytestmark = pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")


def _workspace(root: Path) -> Path:
    copy_example(root)
    (root / "posts" / "hiring-q1").mkdir(parents=True)
    # a person's own post, filed under another brief's folder, and an unreadable one
    (root / "posts" / "hiring-q1" / "marcus-own--advocacy.md").write_text(
        "---\nbrief: soc2-type2\nparticipant: marcus\nprogram: advocacy\nchannel: linkedin\n"
        "---\nWe finished our SOC 2 Type II audit. (I work at Acme Security.)\n"
    )
    (root / "posts" / "hiring-q1" / "broken--advocacy.md").write_bytes(b"---\n\xff\n")
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "posts").rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--verbose",)])
def test_parallel_draft_prints_and_writes_what_one_process_does(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("BB_NOW", "2026-11-25T12:00:00Z")
    serial_root = _workspace(tmp_path / "serial")
    shutil.copytree(serial_root, tmp_path / "parallel")
    command = ("draft", "soc2-type2", "hiring-q1", *args)
    serial = bb(*command, cwd=serial_root)
    monkeypatch.setattr(draft_module, "PARALLEL_MIN_DRAFTS", 2)
    parallel = bb(*command, cwd=tmp_path / "parallel")
    assert parallel == serial
    assert serial.code in (0, 1), serial.err
    serial_files, parallel_files = _files(serial_root), _files(tmp_path / "parallel")
    assert serial_files.keys() == parallel_files.keys()
