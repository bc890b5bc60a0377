"""The command line as a whole: help, version, exit codes, start-up cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bloomberry_cli import __version__
from conftest import BB


def test_version(bb: BB) -> None:
    result = bb("--version")
    assert result.code == 0
    assert result.out.strip() == f"bb {__version__}"


def test_help_lists_every_command(bb: BB) -> None:
    result = bb("--help")
    assert result.code == 0
    for name in ("init", "validate", "schema"):
        assert name in result.out


def test_unknown_command_is_a_usage_error(bb: BB) -> None:
    result = bb("frobnicate")
    assert result.code == 2
    assert "No such command" in result.err


def test_unexpected_errors_are_reported_without_traceback(
    bb: BB, tmp_path: Path, monkeypatch
) -> None:
    import bloomberry_cli.workspace as workspace_module

    def broken(root: Path) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(workspace_module, "load_workspace", broken)
    (tmp_path / "bloomberry.yaml").write_text("company: {name: X}\n")
    result = bb("validate", cwd=tmp_path)
    assert result.code == 3
    assert "disk on fire" in result.err and "BB_DEBUG=1" in result.err
    assert "Traceback" not in result.err


def test_cli_import_loads_no_heavy_modules() -> None:
    code = (
        "import sys, bloomberry_cli.cli.app, bloomberry_cli.cli.main;"
        "print(','.join(m for m in ('litellm', 'git', 'openai', 'httpx') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_validate_loads_no_heavy_modules(workspace: Path) -> None:
    code = (
        "import sys; from bloomberry_cli.cli.main import main; code = main(['validate']);"
        "print('EXIT', code, 'HEAVY', [m for m in ('litellm', 'git', 'openai') "
        "if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=workspace, check=True
    )
    assert "EXIT 0 HEAVY []" in result.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("bb ")


def test_bb_debug_shows_the_traceback(bb: BB, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BB_DEBUG", "1")
    result = bb("validate", cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" in result.err and "no bloomberry.yaml" in result.err


def test_dash_c_resolves_paths_as_if_started_there(tmp_path: Path, bb: BB) -> None:
    from conftest import copy_example

    root = copy_example(tmp_path / "ws")
    post = root / "posts" / "x.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: thought-leadership\n"
        "channel: linkedin\n---\nResults are guaranteed: guaranteed ROI.\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = bb("-C", str(root), "lint", "posts/x.md", cwd=elsewhere)
    assert result.code == 1, result.err
    assert "guaranteed ROI" in result.out
    assert Path.cwd() == elsewhere  # running bb in-process leaves the caller where it was
    result = bb("-C", str(tmp_path / "nope"), "validate", cwd=elsewhere)
    assert result.code == 2 and "No such file or directory" in result.err


def test_unknown_participant_or_post_is_a_usage_error(tmp_path: Path, bb: BB) -> None:
    from conftest import copy_example, git

    root = copy_example(tmp_path / "ws")
    git(root, "init", "-q")
    result = bb("export", "-p", "nobody", cwd=root)
    assert result.code == 2 and "'nobody' is not a participant" in result.err
    result = bb("log", "posts/nope.md", cwd=root)
    assert result.code == 2 and "posts/nope.md: no such file" in result.err


def test_an_unexpected_error_is_reported_whatever_its_text(
    bb: BB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bloomberry_cli import workspace

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a [/red] message [bold]that is not markup")

    monkeypatch.setattr(workspace, "find_root", broken)
    result = bb("validate", cwd=tmp_path)
    assert result.code == 3
    assert "RuntimeError: a [/red] message [bold]that is not markup" in result.err
    assert "This is a bug in bb" in result.err


def test_the_cli_needs_no_click_of_its_own() -> None:
    """typer bundles its own click; a fresh `pip install .` has no other (litellm brings one, so
    a development environment would hide the import)."""
    code = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def guarded(name, *args, **kwargs):\n"
        "    if name == 'click' or name.startswith('click.'):\n"
        "        raise ModuleNotFoundError(\"No module named 'click'\")\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = guarded\n"
        "from bloomberry_cli.cli.main import main\n"
        "sys.exit(main(['--help']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
