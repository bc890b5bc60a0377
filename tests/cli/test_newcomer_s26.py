"""Session 26: what a newcomer running every command trips over (a folder where a file goes,
a command's output on a narrow terminal, a merge left half done, Ctrl-C at a bad moment)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bloomberry_cli
from conftest import BB

SRC = Path(bloomberry_cli.__file__).resolve().parents[1]


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and "unexpected error" not in text, text


# -- an output file the user names: --ics FILE, --html FILE ---------------------------------


@pytest.mark.parametrize(
    ("command", "option"), [("calendar", "--ics"), ("report", "--html")], ids=["ics", "html"]
)
def test_an_output_path_that_is_a_folder_is_refused_before_any_work(
    bb: BB, workspace: Path, command: str, option: str
) -> None:
    (workspace / "out").mkdir()
    result = bb(command, option, "out", cwd=workspace)
    assert result.code == 2, result
    _no_traceback(result.err)
    assert "out: is a folder, not a file" in result.err
    assert result.out == ""  # refused before the report was printed
    assert not [p for p in (workspace / "out").iterdir()]  # no temp file left behind


@pytest.mark.parametrize(
    ("command", "option"), [("calendar", "--ics"), ("report", "--html")], ids=["ics", "html"]
)
def test_an_output_path_under_a_file_is_one_message(
    bb: BB, workspace: Path, command: str, option: str
) -> None:
    result = bb(command, option, "bloomberry.yaml/out.txt", cwd=workspace)
    assert result.code == 2, result
    _no_traceback(result.err)
    assert "cannot write bloomberry.yaml/out.txt" in result.err
