"""What the trail keeps between runs: facts about immutable git objects only.

Every entry is keyed by an object id (a commit, tree or blob hash, checked against the object's
own bytes when it was computed), so no entry can go stale and none holds a verdict: who may do
what is recomputed every run, since it depends on the trust root, removals and withdrawals.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from bloomberry_cli.textfile import atomic_write

_VERSION = 2


class TrailCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.data: dict[str, dict[str, Any]] = {}
        if path is not None:
            try:
                loaded = json.loads(path.read_text())
                if loaded.get("version") == _VERSION:
                    self.data = loaded["tables"]
            except (OSError, ValueError, KeyError, AttributeError):
                self.data = {}
        self._dirty = False

    @classmethod
    def for_repository(cls, directory: Path, git_dir: Path) -> TrailCache:
        name = hashlib.sha256(str(git_dir.resolve()).encode()).hexdigest()[:16]
        return cls(directory / f"trail-{name}.json")

    def table(self, name: str) -> dict[str, Any]:
        return self.data.setdefault(name, {})

    def put(self, table: str, key: str, value: Any) -> None:
        self.table(table)[key] = value
        self._dirty = True

    def save(self) -> None:
        if self._dirty and self.path is not None:
            # a cache that cannot be written only costs time next run
            with contextlib.suppress(OSError):
                atomic_write(self.path, json.dumps({"version": _VERSION, "tables": self.data}))
            self._dirty = False
