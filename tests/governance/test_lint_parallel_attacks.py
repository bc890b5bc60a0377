"""Attacks on parallel lint: every format, a subset of posts, copies across the chunk boundary, a
post filed under another brief's folder, a bad bb-disable in a worker's chunk. What `bb lint`
prints and its exit code must be the ones a single process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from bloomberry_cli.forking import process_count
from bloomberry_cli.governance import lint as lint_module
from conftest import BB, copy_example

pytestmark = pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")

SHARED = "Rotating tokens before the audit saved us a week. Here is the checklist we used."


def _post(root: Path, folder: str, name: str, brief: str, body: str, program: str) -> None:
    path = root / "posts" / folder / f"{name}--{program}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    participant = name.split("-")[0]
    path.write_text(
        f"---\nbrief: {brief}\nparticipant: {participant}\nprogram: {program}\n"
        f"channel: linkedin\n---\n{body}\n"
    )


def _workspace(root: Path, *, bad_directive: bool = False) -> Path:
    copy_example(root)
    for n in range(40):
        folder = ("hiring-q1", "soc2-type2")[n >= 20]
        body = f"Post {n} of ours: we offer guaranteed ROI, and 45% faster onboarding."
        _post(
            root,
            folder,
            f"{('alice', 'marcus')[n % 2]}-{n:02d}",
            folder,
            body,
            "thought-leadership",
        )
    # copies of one advocacy text, one at each end of the list: the first and the last chunk
    _post(root, "hiring-q1", "alice-00x", "hiring-q1", SHARED, "advocacy")
    _post(root, "soc2-type2", "marcus-99x", "hiring-q1", SHARED, "advocacy")  # another folder
    _post(root, "soc2-type2", "marcus-98x", "soc2-type2", SHARED, "advocacy")
    if bad_directive:
        _post(
            root,
            "soc2-type2",
            "marcus-97",
            "soc2-type2",
            "<!-- bb-disable claims.nonesuch: why -->\nFine words.",
            "thought-leadership",
        )
    return root


def _both(bb: BB, monkeypatch: pytest.MonkeyPatch, root: Path, *args: str) -> tuple[object, object]:
    serial = bb(*args, cwd=root)
    monkeypatch.setattr(lint_module, "PARALLEL_MIN_POSTS", 4)
    parallel = bb(*args, cwd=root)
    monkeypatch.setattr(lint_module, "PARALLEL_MIN_POSTS", 10**9)
    return serial, parallel


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize(
    "paths",
    [(), ("posts/soc2-type2",), ("posts/hiring-q1/alice-00x--advocacy.md", "posts/soc2-type2")],
)
def test_parallel_lint_prints_what_one_process_prints(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch, fmt: str, paths: tuple[str, ...]
) -> None:
    root = _workspace(tmp_path / "ws")
    serial, parallel = _both(bb, monkeypatch, root, "lint", "--format", fmt, *paths)
    assert parallel == serial
    assert "duplicate.resharing" in serial.out  # type: ignore[attr-defined]


def test_a_bad_directive_in_a_workers_chunk_is_the_same_usage_error(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(tmp_path / "ws", bad_directive=True)
    serial, parallel = _both(bb, monkeypatch, root, "lint")
    assert parallel == serial
    assert serial.code == 2 and "claims.nonesuch" in serial.err  # type: ignore[attr-defined]
