"""``bb draft``: render drafts for every participant of a brief, then lint them."""

import json
import os
import signal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bloomberry_cli.cli.console import err, out, plural, print_table
from bloomberry_cli.cli.options import ForceOption, FormatOption, OutputFormat, QuietOption
from bloomberry_cli.cli.state import open_workspace
from bloomberry_cli.errors import BBError

if TYPE_CHECKING:
    from bloomberry_cli.drafting.draft_row import DraftRow


class Engine(StrEnum):
    template = "template"
    llm = "llm"


class ProgramChoice(StrEnum):
    advocacy = "advocacy"
    thought_leadership = "thought-leadership"


#: Rows above which the summary lists only the drafts that need attention (--verbose: all).
SUMMARY_ROWS = 40

_STATUS_STYLE = {
    "written": "green",
    "updated": "green",
    "unchanged": "dim",
    "skipped": "yellow",
    "failed": "bold red",
    "would write": "cyan",
}


def draft(
    ctx: typer.Context,
    briefs: Annotated[list[str], typer.Argument(help="Brief files or ids.", show_default=False)],
    participant: Annotated[
        list[str] | None,
        typer.Option("--participant", "-p", help="Only these participants (repeatable)."),
    ] = None,
    program: Annotated[ProgramChoice | None, typer.Option(help="Only this program.")] = None,
    engine: Annotated[
        Engine | None, typer.Option(help="template (offline, default) or llm.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="litellm model for --engine llm.")] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, max=64, help="Concurrent LLM requests.")
    ] = None,
    force: ForceOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the model again even if a response is cached.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every draft, even in a large run.")
    ] = False,
    output_format: FormatOption = OutputFormat.text,
    quiet: QuietOption = False,
) -> int:
    """Draft advocacy and thought-leadership posts for each participant of a brief."""
    from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs

    if engine == Engine.llm:
        _start_llm_import()  # ~3 s, on a thread, while the workspace loads
    workspace = open_workspace(ctx)
    options = DraftOptions(
        participants=tuple(participant or ()),
        program=program.value if program else None,
        engine=engine.value if engine else None,
        model=model,
        jobs=jobs,
        force=force,
        dry_run=dry_run,
        use_cache=not no_cache,
    )
    llm = (engine or workspace.config.drafting.engine) == "llm"
    try:
        if llm and err.is_terminal and not quiet:
            from rich.progress import Progress

            with Progress(console=err, transient=True) as progress:
                task = progress.add_task("Drafting", total=None)
                rows = draft_briefs(
                    workspace,
                    briefs,
                    options,
                    on_progress=lambda done, total: progress.update(
                        task, completed=done, total=total
                    ),
                )
        else:
            rows = draft_briefs(workspace, briefs, options)
    except KeyboardInterrupt:
        return _interrupted(None)
    except BBError as exc:
        if exc.exit_code == 130:
            return _interrupted(exc)
        raise
    failed_count = sum(row.status == "failed" for row in rows)
    if output_format == OutputFormat.json:
        drafts = [
            {**row.as_dict(), **({"text": row.text} if row.text is not None else {})}
            for row in rows
        ]
        print(
            json.dumps(
                {"version": 1, "drafts": drafts, "summary": _totals(rows)},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 1 if failed_count else 0
    if dry_run:
        for row in rows:
            if row.text is not None:
                out.print(f"[bold]── {escape(row.job.path)}[/]")
                out.print(row.text, markup=False)  # the post as written: never markup
    if not quiet:
        _summary(rows, verbose=verbose, dry_run=dry_run)
    failed = [row for row in rows if row.status == "failed"]
    if failed:
        err.print(f"[bold red]{plural(len(failed), 'draft')} failed:[/]")
        for row in failed:
            err.print(
                f"  {escape(row.job.participant)} {row.job.program}: {escape(row.reason or '')}"
            )
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


def _totals(rows: "list[DraftRow]") -> dict[str, int]:
    totals = {
        status: sum(row.status == status for row in rows)
        for status in ("written", "updated", "unchanged", "skipped", "failed", "would write")
    }
    totals["lint_errors"] = sum(row.counts["error"] for row in rows)
    totals["lint_warnings"] = sum(row.counts["warning"] for row in rows)
    totals["over_limit"] = sum(row.over_limit for row in rows)
    totals["below_voice"] = sum(row.below_voice for row in rows)
    totals["voice_unjudged"] = sum(row.voice_unjudged for row in rows)
    return totals


def _lint_cell(counts: dict[str, int]) -> str:
    lint = (
        ", ".join(
            f"{n} {kind}{'s' if n != 1 and kind != 'info' else ''}"
            for kind, n in counts.items()
            if n
        )
        or "clean"
    )
    if counts["error"]:
        return f"[red]{lint}[/]"
    if counts["warning"]:
        return f"[yellow]{lint}[/]"
    return lint


def _table(rows: "list[DraftRow]") -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for column in ("brief", "participant", "program", "status", "length", "voice", "lint"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        length = f"{row.length:,}/{row.limit:,}" if row.limit and row.length else "–"
        if row.over_limit:
            length = f"[red]{length}[/]"
        voice = "–" if row.voice is None else str(row.voice)
        if row.voice_unjudged:
            voice = f"[dim]({voice})[/]"  # too few of their own words to judge
        elif row.below_voice:
            voice = f"[yellow]{voice} < {row.voice_threshold}[/]"
        status = f"[{_STATUS_STYLE[row.status]}]{row.status}[/]"
        table.add_row(
            escape(row.job.brief_id),
            escape(row.job.participant),
            row.job.program,
            status,
            length,
            voice,
            _lint_cell(row.counts),
        )
    return table


def _summary(rows: "list[DraftRow]", *, verbose: bool = False, dry_run: bool = False) -> None:
    """A table of every draft; for a large run, totals and only the rows that need a look
    (printing thousands of rows through rich costs seconds and hides what matters)."""
    totals = _totals(rows)
    everything = verbose or len(rows) <= SUMMARY_ROWS
    attention = [row for row in rows if row.needs_attention]
    if everything:
        print_table(_table(rows), record_title=3)
    else:
        out.print(
            f"{plural(len(rows), 'draft')}; {len(attention):,} "
            f"{'needs' if len(attention) == 1 else 'need'} attention" + (":" if attention else ".")
        )
        if attention:
            print_table(_table(attention[:SUMMARY_ROWS]), record_title=3)
            if len(attention) > SUMMARY_ROWS:
                out.print(
                    f"[dim]… and {len(attention) - SUMMARY_ROWS:,} more; "
                    "--verbose lists every draft, --format json all of them[/]"
                )
    folders = sorted({row.job.path.rsplit("/", 1)[0] + "/" for row in rows})
    if not dry_run and folders:
        out.print(f"[dim]Drafts are in {escape(', '.join(folders))}[/]")
    for row in rows if everything else attention[:SUMMARY_ROWS]:
        if row.voice_note:
            out.print(f"[yellow]voice[/] {escape(row.job.path)}: {escape(row.voice_note)}")
    for row in rows:
        if row.reasked:
            out.print(f"[cyan]re-asked[/] {escape(row.job.path)}: {escape('; '.join(row.reasked))}")
    _briefed(rows, verbose=verbose)
    for row in rows:
        if row.status == "skipped" and (verbose or len(rows) <= SUMMARY_ROWS):
            out.print(f"[yellow]skipped[/] {escape(row.job.path)}: {escape(row.reason or '')}")
    if dry_run:
        out.print(f"\n{totals['would write']:,} would be written; nothing was written (--dry-run).")
        return
    # Updated: a draft of the brief redrafted (the brief changed, or --force): not new.
    updated = f", {totals['updated']:,} updated" if totals["updated"] else ""
    out.print(
        f"\n{totals['written']:,} written{updated}, {totals['unchanged']:,} unchanged, "
        f"{totals['skipped']:,} skipped, {totals['failed']:,} failed."
    )
    if totals["over_limit"]:
        out.print(f"[red]{totals['over_limit']:,} over their channel's length limit[/]")
    if totals["below_voice"]:
        out.print(
            f"[yellow]{totals['below_voice']:,} below the voice threshold[/] "
            "(bb voice score PATH explains why)"
        )
    if totals["voice_unjudged"]:
        out.print(
            f"[dim]{plural(totals['voice_unjudged'], 'draft')} in (brackets): too few of the "
            "person's own words to judge the voice (lint.voice_min_words)[/]"
        )
    if any(row.findings for row in rows):
        out.print("See the findings: [bold]bb lint posts/[/]")
    out.print("Next: [bold]bb review[/] to approve them.")


def _briefed(rows: "list[DraftRow]", *, verbose: bool) -> None:
    """Thought-leadership drafts inside an active advocacy campaign: their authors should read
    the briefing (in the front matter, and on the review screen) before writing."""
    briefed = [row for row in rows if row.briefed and row.status != "failed"]
    if not briefed:
        return
    out.print(
        f"[cyan]{plural(len(briefed), 'draft')} briefed[/] on an advocacy campaign running "
        "when they go out (briefing: in the front matter; bb review shows it):"
    )
    shown = briefed if verbose else briefed[:SUMMARY_ROWS]
    for row in shown:
        out.print(f"  {escape(row.job.path)}: {escape(', '.join(row.briefed))}")
    if len(briefed) > len(shown):
        out.print(f"[dim]  … and {len(briefed) - len(shown):,} more (--verbose)[/]")
