"""Shared fixtures: every test runs with its own HOME, git config and bb user dir."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bloomberry_cli.cli.main import main
from bloomberry_cli.init import create_workspace


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the machine's git config, keys and caches out of every test."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Runner\n\temail = runner@example.com\n"
        "[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("BB_HOME", str(home / "bb"))
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    for name in ("BB_WORKSPACE", "BB_DEBUG", "BB_MODEL", "EDITOR", "VISUAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return home


@dataclass
class Result:
    code: int
    out: str
    err: str


BB = Callable[..., Result]


@pytest.fixture
def bb(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> BB:
    """Run ``bb`` in-process, as a user would from ``cwd``."""

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh example workspace in its own git repository, with a first commit."""
    root = tmp_path / "ws"
    create_workspace(root)
    return root


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def copy_example(target: Path) -> Path:
    """The example workspace without git, for tests that only need files."""
    source = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
    shutil.copytree(source, target)
    return target
