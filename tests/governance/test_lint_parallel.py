"""A large run lints in worker processes: the report is the one a single process makes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bloomberry_cli.forking import process_count
from bloomberry_cli.governance import lint as lint_module
from bloomberry_cli.governance.lint import LintReport, lint_paths
from bloomberry_cli.workspace import load_workspace
from conftest import copy_example

TODAY = dt.date(2026, 11, 25)
BODIES = [
    "We offer guaranteed ROI to every customer.",
    "Our platform is unhackable, full stop.",
    "We are the fastest team in the market. 45% faster onboarding.",
    "A quiet note on rotating tokens before the audit.",
    "We offer g-u-a-r-a-n-t-e-e-d ROI.",
]


def _write_posts(root: Path, count: int) -> None:
    """Two briefs: with two workers the first chunk holds all of hiring-q1 and the start of
    soc2-type2, so one brief is judged by one chunk and the other across chunks."""
    for n in range(count):
        brief = "hiring-q1" if n < count // 2 else "soc2-type2"
        participant = ("alice", "marcus")[n % 2]
        program = "advocacy" if n % 3 == 0 else "thought-leadership"
        path = root / "posts" / brief / f"{participant}-{n}--{program}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\nbrief: {brief}\nparticipant: {participant}\nprogram: {program}\n"
            f"channel: linkedin\n---\n{BODIES[n % len(BODIES)]} Post {n}.\n"
        )
    (root / "posts" / "soc2-type2" / "alice-x--advocacy.md").write_bytes(b"---\n\xff\xfe\n")


def _summary(report: LintReport) -> list[tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.column, f.rule, f.message) for f in report.findings]


@pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")
def test_workers_find_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path / "ws")
    _write_posts(root, 60)
    workspace = load_workspace(root)
    alone = lint_paths(workspace, today=TODAY)
    monkeypatch.setattr(lint_module, "PARALLEL_MIN_POSTS", 10)
    assert process_count(60, lint_module.PARALLEL_MIN_POSTS) > 1
    shared = lint_paths(load_workspace(root), today=TODAY)
    assert shared.files == alone.files == 61
    assert _summary(shared) == _summary(alone)
    assert {"claims.blocked", "claims.obfuscated", "post.unreadable"} <= {
        f.rule for f in shared.findings
    }
    copies = {Path(f.path).parent.name for f in shared.findings if f.rule == "duplicate.resharing"}
    assert copies == {"hiring-q1", "soc2-type2"}  # within one chunk and across two


@pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")
def test_workers_are_forked_only_once_litellm_has_finished_importing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forked worker inherits every lock another thread held at the fork: an import half
    done on litellm's loading thread would stay half done, and locked, in the worker."""
    import threading
    import time

    from bloomberry_cli import llm_client
    from bloomberry_cli.forking import map_chunks

    finished: list[float] = []

    def slow_import() -> None:
        time.sleep(0.3)
        finished.append(time.monotonic())

    loader = threading.Thread(target=slow_import, daemon=True)
    monkeypatch.setattr(llm_client, "_loader", loader)
    loader.start()
    started = map_chunks(lambda chunk, in_worker: time.monotonic(), list(range(8)), min_items=2)
    assert finished and len(started) > 1
    assert all(when > finished[0] for when in started)  # every chunk began after the import
