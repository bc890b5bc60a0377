"""``bb draft``: render drafts for every participant of a brief, then lint them."""

import os
import signal
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bloomberry_cli.cli.console import err, out
from bloomberry_cli.cli.options import ForceOption
from bloomberry_cli.cli.state import open_workspace
from bloomberry_cli.errors import BBError


class Engine(StrEnum):
    template = "template"
    llm = "llm"


class ProgramChoice(StrEnum):
    advocacy = "advocacy"
    thought_leadership = "thought-leadership"


_STATUS_STYLE = {"written": "green", "updated": "green", "unchanged": "dim", "skipped": "yellow",
                 "failed": "bold red", "would write": "cyan"}


def draft(
    ctx: typer.Context,
    briefs: Annotated[list[str], typer.Argument(help="Brief files or ids.", show_default=False)],
    participant: Annotated[list[str] | None, typer.Option(
        "--participant", "-p", help="Only these participants (repeatable).")] = None,
    program: Annotated[ProgramChoice | None, typer.Option(help="Only this program.")] = None,
    engine: Annotated[Engine | None, typer.Option(
        help="template (offline, default) or llm.")] = None,
    model: Annotated[str | None, typer.Option(help="litellm model for --engine llm.")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, max=64, help="Concurrent LLM requests.")] = None,
    force: ForceOption = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be written; write nothing.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Ask the model again even if a response is cached.")] = False,
) -> int:
    """Draft advocacy and thought-leadership posts for each participant of a brief."""
    from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs

    if engine == Engine.llm:
        _start_llm_import()  # ~3 s, on a thread, while the workspace loads
    workspace = open_workspace(ctx)
    options = DraftOptions(
        participants=tuple(participant or ()),
        program=program.value if program else None,  # type: ignore[arg-type]
        engine=engine.value if engine else None,  # type: ignore[arg-type]
        model=model, jobs=jobs, force=force, dry_run=dry_run, use_cache=not no_cache)
    llm = (engine or workspace.config.drafting.engine) == "llm"
    try:
        if llm and err.is_terminal:
            from rich.progress import Progress

            with Progress(console=err, transient=True) as progress:
                task = progress.add_task("Drafting", total=None)
                rows = draft_briefs(workspace, briefs, options,
                                    on_progress=lambda done, total: progress.update(
                                        task, completed=done, total=total))
        else:
            rows = draft_briefs(workspace, briefs, options)
    except KeyboardInterrupt:
        return _interrupted(None)
    except BBError as exc:
        if exc.exit_code == 130:
            return _interrupted(exc)
        raise
    if dry_run:
        for row in rows:
            if row.text is not None:
                out.print(f"[bold]── {escape(row.job.path)}[/]")
                out.print(escape(row.text), markup=False)
    _summary(rows)
    failed = [row for row in rows if row.status == "failed"]
    if failed:
        err.print(f"[bold red]{len(failed)} draft(s) failed:[/]")
        for row in failed:
            err.print(f"  {escape(row.job.participant)} {row.job.program}: "
                      f"{escape(row.reason or '')}")
        return 1
    return 0


def _start_llm_import() -> None:
    from bloomberry_cli import llm_client

    llm_client.start_loading()


def _interrupted(exc: BBError | None) -> int:
    """Ctrl-C: say how far it got; a second Ctrl-C leaves at once."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    err.print(exc.message if exc else "interrupted: nothing written", markup=False)
    return 130


def _summary(rows: list) -> None:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for column in ("brief", "participant", "program", "status", "length", "lint"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        counts = row.counts
        lint = ", ".join(f"{n} {kind}{'s' if n != 1 and kind != 'info' else ''}"
                         for kind, n in counts.items() if n) or "clean"
        if counts["error"]:
            lint = f"[red]{lint}[/]"
        elif counts["warning"]:
            lint = f"[yellow]{lint}[/]"
        length = f"{row.length:,}/{row.limit:,}" if row.limit and row.length else "–"
        status = f"[{_STATUS_STYLE[row.status]}]{row.status}[/]"
        table.add_row(row.job.brief_id, row.job.participant, row.job.program, status, length,
                      lint)
    out.print(table)
    out.print("[dim]Drafts are in posts/<brief>/<participant>--<program>.md[/]")
    for row in rows:
        if row.reasked:
            out.print(f"[cyan]re-asked[/] {escape(row.job.path)}: "
                      f"{escape('; '.join(row.reasked))}")
    for row in rows:
        if row.status == "skipped":
            out.print(f"[yellow]skipped[/] {escape(row.job.path)}: {escape(row.reason or '')}")
    written = sum(row.status in ("written", "updated") for row in rows)
    out.print(f"\n{written} written, {sum(r.status == 'unchanged' for r in rows)} unchanged, "
              f"{sum(r.status == 'skipped' for r in rows)} skipped, "
              f"{sum(r.status == 'failed' for r in rows)} failed.")
    if any(row.findings for row in rows):
        out.print("See the findings: [bold]bb lint posts/[/]")
    out.print("Next: [bold]bb review[/] to approve them.")
