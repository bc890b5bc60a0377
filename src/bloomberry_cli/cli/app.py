"""The ``bb`` command tree. Wiring only: each command lives in its own module."""

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from bloomberry_cli import __version__
from bloomberry_cli.cli import (
    approvals_cmd,
    draft_cmd,
    lint_cmd,
    program_cmd,
    review_cmd,
    voice_cmd,
    workspace_cmds,
)
from bloomberry_cli.cli.state import State

app = typer.Typer(
    name="bb",
    help="Employee advocacy and thought leadership, run from a git repository.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"bb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Option("-C", "--directory", help="Run in this workspace (or set BB_WORKSPACE).",
                     show_default=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.obj = State(directory)


def command(function: Callable[..., int], name: str | None = None, **settings: Any) -> None:
    """Register a command that returns its exit code."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> None:
        code = function(*args, **kwargs)
        if code:
            raise typer.Exit(code)

    app.command(name, **settings)(run)


command(workspace_cmds.init)
command(draft_cmd.draft)
command(workspace_cmds.validate)
command(workspace_cmds.schema)
command(lint_cmd.lint)
command(review_cmd.review)
command(approvals_cmd.approve)
command(approvals_cmd.reject)
command(approvals_cmd.request_changes, "request-changes")
command(approvals_cmd.status)
command(approvals_cmd.log)
command(approvals_cmd.audit)
app.add_typer(approvals_cmd.keys_app, name="keys")
command(approvals_cmd.sync)
app.add_typer(voice_cmd.voice_app, name="voice")
command(program_cmd.calendar)
command(program_cmd.publish)
command(program_cmd.export)
app.add_typer(program_cmd.metrics_app, name="metrics")
command(program_cmd.report)
command(program_cmd.advise)
