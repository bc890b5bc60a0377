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
    trail_cmd,
    voice_cmd,
    workspace_cmds,
)
from bloomberry_cli.cli.help import install as install_help
from bloomberry_cli.cli.state import State

install_help()
app = typer.Typer(
    name="bb",
    help="Employee advocacy and thought leadership, run from a git repository.",
    no_args_is_help=True,
    add_completion=True,
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
        typer.Option(
            "-C",
            "--directory",
            help="Run in this workspace (or set BB_WORKSPACE).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    if directory is not None:  # git -C: as if started there, so paths on the line are too
        import os

        from bloomberry_cli.errors import BBError

        try:
            os.chdir(directory.expanduser())
        except OSError as exc:
            raise BBError(f"-C {directory}: {exc.strerror or exc}") from None
        directory = Path.cwd()
    ctx.obj = State(directory)


def command(function: Callable[..., int], name: str | None = None, **settings: Any) -> None:
    """Register a command that returns its exit code."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> None:
        code = function(*args, **kwargs)
        if code:
            raise typer.Exit(code)

    app.command(name, **settings)(run)


command(workspace_cmds.init, short_help="New workspace with the example content.")
command(workspace_cmds.validate, short_help="Check every workspace file; list all problems.")
command(workspace_cmds.schema, short_help="JSON Schema of a workspace file kind.")
command(draft_cmd.draft, short_help="Draft each participant's posts for a brief.")
command(lint_cmd.lint, short_help="Governance checks: claims, disclosure, channel, voice.")
command(review_cmd.review, short_help="Your review queue, one post a screen.")
command(approvals_cmd.approve, short_help="Approve posts at your stage (a signed commit).")
command(approvals_cmd.reject, short_help="Reject posts, with a reason (a signed commit).")
command(
    approvals_cmd.request_changes,
    "request-changes",
    short_help="Ask for changes, with a reason (a signed commit).",
)
command(approvals_cmd.status, short_help="Every post's state and stages.")
command(trail_cmd.log, short_help="A post's decisions: who, when, stage, signature.")
command(trail_cmd.audit, short_help="Verify the whole decision trail.")
command(trail_cmd.sync, short_help="Fetch, verify what arrived, merge, push.")
command(trail_cmd.waive, short_help="Acknowledge an audit violation (admins; signed).")
command(program_cmd.calendar, short_help="Campaign timeline and conflicts; iCalendar export.")
command(program_cmd.publish, short_help="Record a publication (a signed commit).")
command(program_cmd.export, short_help="Approved, unpublished posts for a scheduler.")
command(program_cmd.report, short_help="KPIs per program: reach; engagement quality.")
command(program_cmd.advise, short_help="Which program to start first.")
app.add_typer(approvals_cmd.keys_app, name="keys", short_help="Signing keys for decisions.")
app.add_typer(
    trail_cmd.policy_app, name="policy", short_help="The policy in force; change it by consent."
)
app.add_typer(voice_cmd.voice_app, name="voice", short_help="Voice Memory: learn and score voices.")
app.add_typer(program_cmd.metrics_app, name="metrics", short_help="Import post metrics.")
