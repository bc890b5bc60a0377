"""What the root command hands to every subcommand."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bloomberry_cli.workspace import Workspace


@dataclass
class State:
    directory: Path | None = None


def open_workspace(ctx: typer.Context) -> "Workspace":
    """Find and load the workspace the user pointed at (``-C``, ``$BB_WORKSPACE`` or cwd)."""
    from bloomberry_cli.workspace import find_root, load_workspace

    state = ctx.find_object(State) or State()
    return load_workspace(find_root(started_in=state.directory))
