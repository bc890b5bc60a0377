"""The posts a change touched: what `bb lint --changed-since` checks."""

from __future__ import annotations

from pathlib import Path

from bloomberry_cli.gitrepo import changed_files


def changed_posts(root: Path, since: str, within: list[Path] | None = None) -> list[Path]:
    """Posts under posts/ changed since ``since`` (committed or not, untracked included);
    with ``within``, only those inside one of these files or folders."""
    chosen = [root / rel for rel in changed_files(root, since, "posts") if rel.endswith(".md")]
    if within:
        folders = [t.resolve() for t in within]
        chosen = [c for c in chosen if any(c.resolve().is_relative_to(t) for t in folders)]
    return chosen
