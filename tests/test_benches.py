"""The benchmarks still run against today's code. The suite does not run them (they are
slow by design), so a module they import that has moved went unseen: `bench/llm_drafts.py`
failed with ModuleNotFoundError for a session. Each import statement of each bench, also
those inside functions, must resolve; a name imported from bb or from the tests' support
package must exist there."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHES = sorted((ROOT / "bench").glob("*.py"))
# Ours: a name imported from these is checked too, not only the module.
OURS = ("bloomberry_cli", "support", "conftest")


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


@pytest.fixture
def bench_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # As the benches set it up themselves: bb's sources, the tests (support/, conftest),
    # and one another.
    for folder in ("src", "tests", "bench"):
        monkeypatch.syspath_prepend(str(ROOT / folder))


def test_there_are_benches() -> None:
    assert len(BENCHES) >= 5, BENCHES


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a package above it is missing
        return False


def _broken(bench: Path) -> list[str]:
    broken: list[str] = []
    for line, module, names in _imports(bench):
        if module == "__future__" or module.split(".")[0] == "litellm":
            continue  # litellm is the [llm] extra: llm_drafts.py says so when it is missing
        if not _exists(module):
            broken.append(f"{bench.name}:{line}: no module {module}")
            continue
        if module.split(".")[0] in OURS:
            loaded = importlib.import_module(module)
            for name in names:
                if not hasattr(loaded, name) and not _exists(f"{module}.{name}"):
                    broken.append(f"{bench.name}:{line}: {module} has no {name}")
    return broken


@pytest.mark.usefixtures("bench_path")
@pytest.mark.parametrize("bench", BENCHES, ids=lambda p: p.name)
def test_every_import_of_a_bench_resolves(bench: Path) -> None:
    broken = _broken(bench)
    assert not broken, "\n".join(broken)


@pytest.mark.usefixtures("bench_path")
def test_a_moved_module_or_name_is_caught(tmp_path: Path) -> None:
    stale = tmp_path / "stale.py"
    stale.write_text(
        "import json\n"
        "def run():\n    from fake_llm import serve\n"
        "    from bloomberry_cli.drafting.draft import no_such_thing, DraftOptions\n",
        encoding="utf-8",
    )
    assert _broken(stale) == [
        "stale.py:3: no module fake_llm",
        "stale.py:4: bloomberry_cli.drafting.draft has no no_such_thing",
    ]
