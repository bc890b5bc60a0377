"""The codebase's own habits, checked by the test command itself: ruff (lint and format) and
mypy (strict, with the pydantic plugin), as configured in pyproject.toml."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None, reason="ruff: pip install -e '.[dev]'"
)
def test_ruff_finds_nothing_and_formatting_is_settled() -> None:
    lint = _run("ruff", "check", "src", "tests", "bench")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    layout = _run("ruff", "format", "--check", "src", "tests", "bench")
    assert layout.returncode == 0, layout.stdout + layout.stderr


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy: pip install -e '.[dev]'"
)
def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
