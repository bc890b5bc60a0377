"""Where bb keeps per-user files: keys, caches. ``BB_HOME`` overrides (tests set it)."""

from __future__ import annotations

import os
from pathlib import Path


def bb_home() -> Path:
    override = os.environ.get("BB_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("bb", appauthor=False))


def cache_dir() -> Path:
    override = os.environ.get("BB_HOME")
    if override:
        return Path(override) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("bb", appauthor=False))
