"""A large `bb draft` checks and writes its drafts in worker processes: the rows, the files and
the protections are the ones a single process gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bloomberry_cli.drafting import draft as draft_module
from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
from bloomberry_cli.drafting.draft_row import DraftRow
from bloomberry_cli.forking import process_count
from bloomberry_cli.workspace import load_workspace
from conftest import copy_example

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
EDITED = "posts/soc2-type2/alice--advocacy.md"


def _workspace(root: Path) -> Path:
    copy_example(root)
    edited = root / EDITED
    edited.parent.mkdir(parents=True)
    edited.write_text(  # a person's own post at a path bb drafts: never overwritten
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\nchannel: linkedin\n"
        "---\nMy own words about the audit.\n"
    )
    return root


def _run(root: Path) -> list[DraftRow]:
    return draft_briefs(
        load_workspace(root), ["soc2-type2", "hiring-q1"], DraftOptions(), today=TODAY, now=NOW
    )


def _seen(rows: list[DraftRow]) -> list[tuple[object, ...]]:
    return [
        (
            row.job.path,
            row.status,
            row.reason,
            row.length,
            [(f.rule, f.line, f.message) for f in row.findings],
            row.voice,
            row.post.body if row.post else None,
            row.briefed,
        )
        for row in rows
    ]


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in (root / "posts").rglob("*.md")}


@pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")
def test_workers_draft_what_one_process_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _run(_workspace(tmp_path / "alone"))
    monkeypatch.setattr(draft_module, "PARALLEL_MIN_DRAFTS", 2)
    assert process_count(len(alone), draft_module.PARALLEL_MIN_DRAFTS) > 1
    shared = _run(_workspace(tmp_path / "shared"))
    assert _seen(shared) == _seen(alone)
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")
    statuses = {row.job.path: row.status for row in shared}
    assert statuses[EDITED] == "skipped"
    assert "My own words" in (tmp_path / "shared" / EDITED).read_text()
    assert list(statuses.values()).count("written") == len(shared) - 1


@pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")
def test_a_write_that_fails_in_a_worker_is_the_same_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(tmp_path / "ws")
    # A participant whose draft's file name is longer than the file system allows (a real
    # write failure, even for root), drafted last in hiring-q1: in a worker's chunk.
    long_id = "a" * 236
    (root / "voices" / f"{long_id}.yaml").write_text(
        (root / "voices" / "marcus.yaml").read_text().replace("Marcus", "Long")
    )
    brief = root / "briefs" / "hiring-q1.yaml"
    brief.write_text(brief.read_text().rstrip("\n") + f"\n  - id: {long_id}\n")
    monkeypatch.setattr(draft_module, "PARALLEL_MIN_DRAFTS", 2)
    with pytest.raises(draft_module.BBError) as raised:
        _run(root)
    assert f"posts/hiring-q1/{long_id}--" in raised.value.message
    assert "cannot write the draft" in raised.value.message
    assert raised.value.hint and "writable" in raised.value.hint
