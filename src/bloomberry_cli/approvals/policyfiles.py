"""Read each commit's policy files from git as git stores them, and project them.

Distinct trees are looked at once (decision commits are usually empty and share their trees),
and distinct sets of policy files are parsed once; both are remembered in the trail cache by
object id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from bloomberry_cli.approvals.history import LINK_MODE, TREE_MODE, parse_tree
from bloomberry_cli.approvals.projection import field_file, project
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.gitrepo import read_objects
from bloomberry_cli.models import Calendar, Claims, Config, Voice
from bloomberry_cli.validation import validate_document
from bloomberry_cli.workspace import CONFIG_FILE
from bloomberry_cli.yamlfile import YamlProblems, parse_yaml

POLICY_FILES = (CONFIG_FILE, "voices", "claims.yaml", "calendar.yaml")
M = TypeVar("M", bound=BaseModel)
#: Files larger than this are not policy anyone meant to write.
_MAX_POLICY_BYTES = 2_000_000


class PolicyFiles:
    def __init__(self, root: Path, prefix: str, cache: TrailCache) -> None:
        self.root = root
        self.prefix = prefix.strip("/")
        self.cache = cache

    def entries(self, trees: Iterable[str]) -> dict[str, list[str]]:
        """tree → [mode, id] of each policy file in the workspace folder ('' when absent)."""
        trees = list(dict.fromkeys(trees))
        table = self.cache.table("policy-trees")
        suffix = f":{self.prefix}" if self.prefix else ""
        wanted = [t for t in trees if t + suffix not in table]
        raws = read_objects(self.root, [t + suffix for t in wanted])
        for tree, raw in zip(wanted, raws, strict=True):
            try:
                found = parse_tree(raw) if raw is not None else {}
            except ValueError:
                found = {}
            row: list[str] = []
            for name in POLICY_FILES:
                mode, oid = found.get(name, ("", ""))
                row += [mode, oid]
            self.cache.put("policy-trees", tree + suffix, row)
        return {t: table[t + suffix] for t in trees}

    def projection(self, row: list[str]) -> tuple[dict[str, Any], list[str]]:
        """(projection, symlinked paths) of one set of policy files."""
        key = ",".join(row)
        cached = self.cache.table("projections").get(key)
        if cached is not None:
            return cached[0], cached[1]
        modes = dict(zip(POLICY_FILES, row[0::2], strict=True))
        ids = dict(zip(POLICY_FILES, row[1::2], strict=True))
        problems: list[str] = []
        links = [name for name, mode in modes.items() if mode == LINK_MODE]
        problems += [f"{name} is a symbolic link" for name in links]
        config = self._load(
            Config,
            ids[CONFIG_FILE],
            CONFIG_FILE,
            problems,
            modes[CONFIG_FILE] not in ("", LINK_MODE),
        )
        claims = self._load(
            Claims,
            ids["claims.yaml"],
            "claims.yaml",
            problems,
            modes["claims.yaml"] not in ("", LINK_MODE),
        )
        calendar = self._load(
            Calendar,
            ids["calendar.yaml"],
            "calendar.yaml",
            problems,
            modes["calendar.yaml"] not in ("", LINK_MODE),
        )
        voices: dict[str, Voice] = {}
        if modes["voices"] == TREE_MODE:
            voices = self._voices(ids["voices"], problems, links)
        if config is None and not problems:
            problems.append(f"{CONFIG_FILE} is missing")
        value = project(config, voices, claims, calendar, problems)
        self.cache.put("projections", key, [value, links])
        return value, links

    def _voices(self, tree_id: str, problems: list[str], links: list[str]) -> dict[str, Voice]:
        [raw] = read_objects(self.root, [tree_id])
        entries = {
            name: entry
            for name, entry in parse_tree(raw or b"").items()
            if name.endswith((".yaml", ".yml"))
        }
        voices: dict[str, Voice] = {}
        blobs = read_objects(self.root, [oid for _, oid in entries.values()])
        for (name, (mode, _oid)), blob in zip(entries.items(), blobs, strict=True):
            path = f"voices/{name}"
            if mode == LINK_MODE:
                links.append(path)
                problems.append(f"{path} is a symbolic link")
                continue
            voice = self._parse(Voice, blob, path, problems)
            if voice is not None:
                voices[voice.id or name.rsplit(".", 1)[0]] = voice
        return voices

    def _load(
        self, model: type[M], oid: str, path: str, problems: list[str], present: bool
    ) -> M | None:
        if not present or not oid:
            return None
        [raw] = read_objects(self.root, [oid])
        return self._parse(model, raw, path, problems)

    @staticmethod
    def _parse(model: type[M], raw: bytes | None, path: str, problems: list[str]) -> M | None:
        if raw is None or len(raw) > _MAX_POLICY_BYTES:
            problems.append(f"{path} cannot be read")
            return None
        try:
            value, found = validate_document(model, parse_yaml(raw.decode("utf-8"), path))
        except YamlProblems as exc:
            problems.append(str(exc.problems[0]) if exc.problems else f"{path} is not YAML")
            return None
        except UnicodeDecodeError:
            problems.append(f"{path} is not UTF-8")
            return None
        if value is None:
            problems.append(str(found[0]) if found else f"{path} is not valid")
        return value


def policy_file_of(folder: Path, fields: Sequence[str]) -> str:
    """Where to look for a policy change: the file of its first changed field (a change to
    claims.yaml was reported at bloomberry.yaml), ``.yml`` for a voice saved so."""
    name = field_file(fields[0]) if fields else CONFIG_FILE
    if name.startswith("voices/"):
        yml = name.removesuffix(".yaml") + ".yml"
        if not (folder / name).exists() and (folder / yml).exists():
            name = yml
    return name
