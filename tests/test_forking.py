"""forking.map_chunks keeps the objects made before the fork out of collections while the
workers run (gc.freeze): afterwards they must be collectable again, whether the batch
succeeded or a chunk failed, or every later cycle of a long in-process session would leak."""

from __future__ import annotations

import gc
import weakref

import pytest

from bloomberry_cli.forking import map_chunks, process_count


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def _cycle_made_before() -> weakref.ref[_Node]:
    return weakref.ref(_Node())


def _double(chunk: list[int], in_worker: bool) -> list[int]:
    return [n * 2 for n in chunk]


def _fail_in_worker(chunk: list[int], in_worker: bool) -> list[int]:
    if in_worker:
        raise ValueError("a chunk failed")
    return chunk


@pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")
def test_objects_made_before_a_batch_are_collected_after_it() -> None:
    gone = _cycle_made_before()
    parts = map_chunks(_double, list(range(10)), min_items=2)
    assert [n for part in parts for n in part] == [n * 2 for n in range(10)]
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None


@pytest.mark.skipif(process_count(10**6, 1) == 1, reason="one core or no fork here")
def test_objects_made_before_a_failed_batch_are_collected_after_it() -> None:
    gone = _cycle_made_before()
    with pytest.raises(ValueError, match="a chunk failed"):
        map_chunks(_fail_in_worker, list(range(10)), min_items=2)
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None
