"""``bb init``: a new workspace holding the bundled example content."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import config_value, git, repo_root
from bloomberry_cli.textfile import atomic_write
from bloomberry_cli.workspace import CONFIG_FILE


@dataclass
class InitResult:
    root: Path
    files: list[str] = field(default_factory=list)
    git_initialised: bool = False
    committed: bool = False
    #: Why no first commit was made, when it was not.
    commit_skipped: str | None = None
    #: The workspace went into an existing repository that has no commit yet.
    repository_without_commits: bool = False


def example_files() -> dict[str, str]:
    """The bundled example workspace, by relative path."""
    found: dict[str, str] = {}

    def visit(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith((".", "__")):
                continue
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                visit(child, rel + "/")
            else:
                found[rel] = child.read_text(encoding="utf-8")

    visit(resources.files("bloomberry_cli") / "example", "")
    return found


def create_workspace(target: Path) -> InitResult:
    """Write the example into ``target``; refuse if it would overwrite anything."""
    target = target.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise BBError(f"{target} exists and is not a directory")
    if (target / CONFIG_FILE).exists():
        raise BBError(
            f"{target} is already a bb workspace (it has {CONFIG_FILE})",
            hint="run `bb validate` there, or choose another directory",
        )
    files = example_files()
    clashes = [rel for rel in files if (target / rel).exists()]
    if clashes:
        raise BBError(
            f"{target} already has {', '.join(clashes)}; nothing was written",
            hint="move those files away or choose another directory",
        )
    result = InitResult(target)
    written: list[Path] = []
    try:
        for rel, text in files.items():
            atomic_write(target / rel, text)
            written.append(target / rel)
            result.files.append(rel)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise BBError(f"could not write the workspace: {exc}") from None
    if repo_root(target) is None:
        git(target, "init", "--quiet")
        result.git_initialised = True
        _first_commit(result)
    else:
        head = git(target, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
        result.repository_without_commits = head.returncode != 0
    return result


def _first_commit(result: InitResult) -> None:
    if not (config_value(result.root, "user.name") and config_value(result.root, "user.email")):
        result.commit_skipped = "git does not know who you are (user.name / user.email)"
        return
    git(result.root, "add", "--", *result.files)
    commit = git(result.root, "commit", "--quiet", "-m", "bb init: example workspace", check=False)
    if commit.ok:
        result.committed = True
        # The first commit is the trail's trust root: pin it here, so this clone never has to
        # trust a root on first use (other clones pin it with the same command).
        root_commit = git(result.root, "rev-parse", "HEAD").stdout.strip()
        git(result.root, "config", "bb.trustRoot", root_commit)
    else:
        result.commit_skipped = commit.message
