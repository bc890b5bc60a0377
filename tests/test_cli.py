"""The command line as a whole: help, version, exit codes, start-up cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_unexpected_errors_are_reported_without_traceback(bb: BB, tmp_path: Path,
                                                           monkeypatch) -> None:
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
    code = ("import sys, bloomberry_cli.cli.app, bloomberry_cli.cli.main;"
            "print(','.join(m for m in ('litellm', 'git', 'openai', 'httpx') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


def test_validate_loads_no_heavy_modules(workspace: Path) -> None:
    code = ("import sys; from bloomberry_cli.cli.main import main; code = main(['validate']);"
            "print('EXIT', code, 'HEAVY', [m for m in ('litellm', 'git', 'openai') "
            "if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=workspace, check=True)
    assert "EXIT 0 HEAVY []" in result.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bloomberry_cli", "--version"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("bb ")


def test_bb_debug_shows_the_traceback(bb: BB, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BB_DEBUG", "1")
    result = bb("validate", cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" in result.err and "no bloomberry.yaml" in result.err
