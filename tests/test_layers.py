"""The layers only point down (DESIGN.md, Architecture), function-level imports included.

A module may import from its own layer or the ones below it. The picture is in README's
"For developers" section; this test is what keeps it true.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli"

#: Bottom first. A unit is a top-level module or subpackage of bloomberry_cli.
LAYERS: list[set[str]] = [
    {
        "errors",
        "textfile",
        "yamlfile",
        "validation",
        "gitrepo",
        "external",
        "userdirs",
        "limits",
        "patterns",
        "llm_client",
        "models",
        "clock",
        "wording",
        "forking",
    },
    {"workspace", "posts"},
    {"campaigns"},
    {"voice"},
    {"governance"},
    {"approvals"},
    {"drafting"},
    {"program", "init"},
    {"review"},
    {"cli", "__main__"},
]


def _layer(unit: str) -> int:
    for index, units in enumerate(LAYERS):
        if unit in units:
            return index
    raise AssertionError(f"bloomberry_cli.{unit} is in no layer: add it to LAYERS")


def _imports(path: Path) -> list[tuple[int, str]]:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
    package = parts if rel.name == "__init__" else parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "bloomberry_cli":
                found += [(node.lineno, f"bloomberry_cli.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, module))
    return found


def test_every_import_points_down() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if here == "__init__":
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "bloomberry_cli" or len(parts) < 2 or parts[1] == here:
                continue
            if parts[1] == "__version__":  # the package's own __init__: below everything
                continue
            if _layer(parts[1]) > _layer(here):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} {here} -> {parts[1]}")
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)
