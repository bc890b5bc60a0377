"""Find a workspace and load every file in it into typed, validated objects."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from bloomberry_cli.errors import BBError, Problem, WorkspaceError
from bloomberry_cli.limits import MAX_BRIEF_BYTES, MAX_CLAIMS_BYTES, MAX_TEXT_BYTES
from bloomberry_cli.models import (
    ApprovedClaim,
    BlockedClaim,
    Brief,
    Calendar,
    Campaign,
    Claims,
    Config,
    Voice,
)
from bloomberry_cli.models.common import is_identifier
from bloomberry_cli.textfile import TextFileError, read_text
from bloomberry_cli.validation import did_you_mean, validate_document
from bloomberry_cli.yamlfile import YamlDocument, YamlProblems, parse_yaml

CONFIG_FILE = "bloomberry.yaml"
# The largest file of each kind bb reads (limits.py); other files get the general limit.
_MAX_BYTES = {"claims.yaml": MAX_CLAIMS_BYTES, "briefs": MAX_BRIEF_BYTES}
M = TypeVar("M", bound=BaseModel)


def find_root(directory: Path | str | None = None, *, started_in: Path | None = None) -> Path:
    """The workspace root: ``directory`` (or ``$BB_WORKSPACE``), else the nearest folder
    holding ``bloomberry.yaml`` from ``started_in`` (``-C DIR``: as if bb were started
    there, as `git -C` does) or the current directory up."""
    chosen = directory or (None if started_in else os.environ.get("BB_WORKSPACE"))
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not root.is_dir():
            raise BBError(f"{chosen}: no such directory")
        if not (root / CONFIG_FILE).is_file():
            parent = next((c for c in root.parents if (c / CONFIG_FILE).is_file()), None)
            raise BBError(
                f"{root} is not a bb workspace: it has no {CONFIG_FILE}",
                hint=f"it is inside the workspace {parent}: name that one"
                if parent
                else f"run `bb init {chosen}` to create one",
            )
        return root
    here = (started_in or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    misnamed = next(
        (c / "bloomberry.yml" for c in (here, *here.parents) if (c / "bloomberry.yml").is_file()),
        None,
    )
    raise BBError(
        f"no {CONFIG_FILE} here ({here}) or in any parent directory",
        hint=f"bb reads {CONFIG_FILE}: rename {misnamed} to {CONFIG_FILE}"
        if misnamed
        else "run `bb init` to create a workspace, or pass -C DIR",
    )


@dataclass
class Workspace:
    root: Path
    config: Config
    claims: Claims
    calendar: Calendar
    voices: dict[str, Voice]
    briefs: dict[str, Brief]
    #: Parsed files by workspace-relative path, to report positions later.
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    voice_paths: dict[str, str] = field(default_factory=dict)
    brief_paths: dict[str, str] = field(default_factory=dict)
    #: Files that could not be loaded; checks that depend on them are skipped, not cascaded.
    failed: set[str] = field(default_factory=set)

    def relpath(self, path: Path | str) -> str:
        """``path`` relative to the root. Symlinks are kept as written: the project's own
        checkout links its example files into the package."""
        absolute = Path(os.path.abspath(self.root / path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def find_brief(self, ref: str) -> str:
        """A brief's id from its id or its path (``briefs/x.yaml``)."""
        if ref in self.briefs:
            return ref
        rel = self.relpath(Path.cwd() / Path(ref).expanduser())
        for brief_id, path in self.brief_paths.items():
            if path == rel:
                return brief_id
        raise BBError(
            f"no brief '{ref}' in this workspace", hint=did_you_mean(Path(ref).stem, self.briefs)
        )

    def campaign(self, campaign_id: str | None) -> Campaign | None:
        return next((c for c in self.calendar.campaigns if c.id == campaign_id), None)

    @cached_property
    def approved_claims(self) -> dict[str, ApprovedClaim]:
        return {claim.id: claim for claim in self.claims.approved}

    @cached_property
    def blocked_claims(self) -> dict[str, BlockedClaim]:
        return {claim.id: claim for claim in self.claims.blocked}


def _load_file(
    root: Path,
    rel: str,
    model: type[M],
    problems: list[Problem],
    documents: dict[str, YamlDocument],
) -> M | None:
    try:
        text = read_text(
            root / rel,
            rel,
            max_bytes=_MAX_BYTES.get(rel.split("/")[0], MAX_TEXT_BYTES),
            within=root,
        )
        doc = parse_yaml(text, rel)
    except (TextFileError, YamlProblems) as exc:
        problems.extend(exc.problems)
        return None
    documents[rel] = doc
    from bloomberry_cli.workspace.quotes import unclosed_quotes

    swallowed = unclosed_quotes(text, doc)
    if swallowed:  # the rest of the file is not what its author wrote: nothing more to say
        problems.extend(swallowed)
        return None
    value, found = validate_document(model, doc)
    problems.extend(found)
    return value


def _misnamed(root: Path, names: tuple[str, ...]) -> list[Problem]:
    """``claims.yml`` where bb reads ``claims.yaml``: without this, the claims are silently
    missing and every brief's claim is reported unknown."""
    problems = []
    for name in names:
        other = name.removesuffix(".yaml") + ".yml"
        if not (root / name).exists() and (root / other).is_file():
            problems.append(
                Problem(
                    other,
                    f"bb reads {name}, so this file is not read",
                    hint=f"rename it to {name}",
                )
            )
    return problems


def _failed_files(problems: list[Problem]) -> set[str]:
    return {problem.path for problem in problems}


def _load_folder(
    root: Path,
    folder: str,
    model: type[M],
    problems: list[Problem],
    documents: dict[str, YamlDocument],
) -> tuple[dict[str, M], dict[str, str]]:
    items: dict[str, M] = {}
    paths: dict[str, str] = {}
    directory = root / folder
    if not directory.is_dir():
        return items, paths
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    for file in files:
        rel = f"{folder}/{file.name}"
        value = _load_file(root, rel, model, problems, documents)
        if value is None:
            continue
        item_id = getattr(value, "id", None) or file.stem
        if item_id in items:
            # Blame the file that declares the id; the other merely has that file name.
            first = paths[item_id]
            blamed = (
                rel
                if ("id",) in documents[rel].keys or (("id",) not in documents[first].keys)
                else first
            )
            other = first if blamed == rel else rel
            line, column = documents[blamed].position(("id",), of_key=False) or (1, 1)
            problems.append(
                Problem(
                    blamed,
                    f"id '{item_id}' is already used by {other}",
                    line=line,
                    column=column,
                    hint="each file needs its own id (the file name by default)",
                )
            )
            continue
        if getattr(value, "id", None) is None:
            if not is_identifier(item_id):
                problems.append(
                    Problem(
                        rel,
                        f"file name '{file.stem}' is not a usable id",
                        line=1,
                        column=1,
                        hint="rename the file using lowercase "
                        "letters, digits and '-', or set 'id:' in it",
                    )
                )
                continue
            value.id = item_id  # type: ignore[attr-defined]
        items[item_id] = value
        paths[item_id] = rel
    return items, paths


def load_workspace(root: Path) -> Workspace:
    """Load and validate every workspace file; raise ``WorkspaceError`` listing all problems."""
    problems: list[Problem] = []
    documents: dict[str, YamlDocument] = {}
    config = _load_file(root, CONFIG_FILE, Config, problems, documents)
    claims = Claims()
    if (root / "claims.yaml").exists():
        claims = _load_file(root, "claims.yaml", Claims, problems, documents) or Claims()
    calendar = Calendar()
    if (root / "calendar.yaml").exists():
        calendar = _load_file(root, "calendar.yaml", Calendar, problems, documents) or Calendar()
    unread = _misnamed(root, ("claims.yaml", "calendar.yaml"))
    problems.extend(unread)
    voices, voice_paths = _load_folder(root, "voices", Voice, problems, documents)
    briefs, brief_paths = _load_folder(root, "briefs", Brief, problems, documents)
    if config is None:
        raise WorkspaceError(problems)
    workspace = Workspace(
        root,
        config,
        claims,
        calendar,
        voices,
        briefs,
        documents,
        voice_paths,
        brief_paths,
        # a misnamed file is not read: what refers to it is not "unknown" on top of that
        _failed_files(problems) | {p.path.removesuffix(".yml") + ".yaml" for p in unread},
    )
    from bloomberry_cli.workspace.references import check_references

    problems.extend(check_references(workspace))
    if problems:
        raise WorkspaceError(problems)
    return workspace
