"""Options shared by several commands, as Annotated aliases."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite files a person edited or approved.")
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Files or folders; default: all of posts/.", show_default=False),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing but errors and warnings.")
]
