"""``bb calendar``, ``bb publish``, ``bb export``, ``bb metrics import``, ``bb report``,
``bb advise``: running the two programs together."""

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bloomberry_cli.cli.console import (
    check_output_file,
    err,
    out,
    plural,
    print_table,
    write_output_file,
)
from bloomberry_cli.cli.options import QuietOption
from bloomberry_cli.cli.state import open_workspace

if TYPE_CHECKING:
    from bloomberry_cli.program.cadence import Cadence
    from bloomberry_cli.program.report import Report


def calendar(
    ctx: typer.Context,
    ics: Annotated[
        Path | None, typer.Option("--ics", metavar="FILE", help="Also write an iCalendar file.")
    ] = None,
) -> int:
    """Campaigns on a timeline (today marked), their briefs and posts, and conflicts."""
    from bloomberry_cli.program.calendar_overview import calendar_overview

    if ics is not None:
        check_output_file(ics, "calendar.ics")
    workspace = open_workspace(ctx)
    overview = calendar_overview(workspace, dt.date.today())
    view = overview.timeline
    if not view.rows:
        out.print("No campaigns yet: add them to calendar.yaml.")
    else:
        label = max(len(r.campaign.id) for r in view.rows) + 2
        months = "".join(
            f"{w:%b}"[:3] if i == 0 or w.month != view.weeks[i - 1].month else "   "
            for i, w in enumerate(view.weeks)
        )
        out.print(" " * label + months)
        out.print(" " * label + "".join(f"{w.day:>2} " for w in view.weeks))
        if view.today_week is not None:
            out.print(" " * (label + 3 * view.today_week) + "[bold red]▼ today[/]")
        for row in view.rows:
            cells = "".join(
                ("[green]██▌[/]" if row.campaign.program == "advocacy" else "[blue]██▌[/]")
                if on
                else "[dim] · [/]"
                for on in row.cells
            )
            out.print(f"{escape(row.campaign.id):<{label}}{cells}")
    out.print()
    for summary in overview.campaigns:
        campaign = summary.campaign
        out.print(
            f"[bold]{escape(campaign.id)}[/] {campaign.program} {campaign.start} → "
            f"{campaign.end}, owner {escape(campaign.owner)}, topics "
            f"{escape(', '.join(campaign.topics) or '-')}"
        )
        for brief in summary.briefs:
            counts = ", ".join(f"{n} {state}" for state, n in brief.states.items())
            out.print(f"  {escape(brief.brief)}: {counts or 'no drafts yet'}")
    if overview.has_conflicts:
        out.print("\n[bold yellow]Conflicts[/]")
    for overlap in overview.overlaps:
        out.print(
            f"  {overlap.first.id} and {overlap.second.id} overlap {overlap.start} → "
            f"{overlap.end} on {', '.join(overlap.topics)}"
        )
    for post in overview.post_conflicts:
        conflict = post.conflict
        out.print(
            f"  {escape(post.path)} ({post.day}) falls inside {conflict.campaign.id} on "
            f"{', '.join(conflict.topics)}: needs {conflict.campaign.owner}'s approval"
        )
    if ics is not None:
        from bloomberry_cli.program.calendar import to_ics

        data = to_ics(
            workspace.calendar,
            workspace.config.company.name,
            dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        write_output_file(ics, data)  # bytes: iCalendar's CRLF line ends stay as they are
        err.print(f"Wrote {ics} ({plural(len(workspace.calendar.campaigns), 'campaign')}).")
    return 0


def publish(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An approved post.")],
    url: Annotated[str, typer.Option(help="Where it was published.")],
    at: Annotated[
        str | None, typer.Option(help="When, as YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now).")
    ] = None,
) -> int:
    """Record that an approved post was published, as a signed commit."""
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.program.publish import publish as run

    when = None
    if at:
        try:
            when = dt.datetime.fromisoformat(at)
        except ValueError:
            raise BBError(
                f"--at '{at}' is not a date or time", hint="use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
            ) from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
    from bloomberry_cli.clock import now

    current = now().replace(microsecond=0)
    if when is None:
        when = current
    elif when > current:  # a record of what happened, not a schedule: the scheduler is elsewhere
        raise BBError(
            f"--at {at} is in the future; bb publish records a publication that happened",
            hint="run it once the post is out, or leave --at off for now",
        )
    workspace = open_workspace(ctx)
    result = run(workspace, path, url, when)
    if result.refused:
        err.print(f"[red]refused[/] {escape(result.path)}: {escape(result.refused)}")
        return 1
    out.print(f"[green]published[/] {escape(result.path)} [dim]{(result.commit or '')[:10]}[/]")
    return 0


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def export(
    ctx: typer.Context,
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    participant: Annotated[
        str | None,
        typer.Option("--participant", "-p", help="Only this person's posts (one CSV per profile)."),
    ] = None,
) -> int:
    """Approved, unpublished posts for a scheduler's bulk upload (CSV) or as JSON."""
    from bloomberry_cli.program.publish import export_rows, to_csv, to_json

    workspace = open_workspace(ctx)
    if participant is not None and participant not in workspace.voices:
        from bloomberry_cli.errors import BBError
        from bloomberry_cli.validation import did_you_mean

        raise BBError(
            f"--participant {participant!r} is not a participant (voices/)",
            hint=did_you_mean(participant, workspace.voices),
        )
    rows = export_rows(workspace, participant)
    sys.stdout.write(to_csv(rows) if output_format is ExportFormat.csv else to_json(rows) + "\n")
    if not rows:
        err.print("No approved, unpublished posts.")
    return 0


metrics_app = typer.Typer(help="Post metrics.", no_args_is_help=True)


@metrics_app.command("import")
def metrics_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV of post metrics.")],
    quiet: QuietOption = False,
) -> None:
    """Import per-post metrics (re-importing the same rows changes nothing)."""
    from bloomberry_cli.program.metrics import STORE, UNMATCHED, import_metrics

    workspace = open_workspace(ctx)
    result = import_metrics(workspace, file)
    if not quiet:
        out.print(
            f"✓ {result.added} added, {result.updated} updated, {result.unchanged} unchanged "
            f"in {STORE}"
        )
    for note in result.notes:
        err.print(f"[yellow]note:[/] {escape(note)}")
    if result.unmatched:
        matches = "matches" if len(result.unmatched) == 1 else "match"
        err.print(
            f"[yellow]{plural(len(result.unmatched), 'row')} {matches} no post; kept in "
            f"{UNMATCHED}:[/]"
        )
        for line in result.unmatched:
            err.print(f"  {escape(line)}")


def report(
    ctx: typer.Context,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Also write a self-contained HTML report."),
    ] = None,
) -> int:
    """KPIs, separately: advocacy by reach and timing, thought leadership by credibility."""
    from bloomberry_cli.program.report import build_report

    if html is not None:
        check_output_file(html, "report.html")
    workspace = open_workspace(ctx)
    data = build_report(workspace)
    table = Table(title="Advocacy: reach inside the campaign window", header_style="bold")
    for column in (
        "campaign",
        "window",
        "in window",
        "outside",
        "participation",
        "approval → share",
    ):
        table.add_column(column, justify="left" if column == "campaign" else "right")
    for c in data.campaigns:
        table.add_row(
            c.campaign,
            f"{c.start:%d %b}–{c.end:%d %b}",
            f"{c.reach_in_window:,.0f}",
            f"{c.reach_outside:,.0f}",
            f"{c.participation:.0%} ({c.published_in_window}/{c.invited})",
            c.share_delay,
        )
    print_table(table)
    table = Table(
        title="Thought leadership: engagement quality, inbound, pipeline", header_style="bold"
    )
    for column in (
        "person",
        "posts",
        "impressions",
        "quality ‰",
        "inbound",
        "pipeline",
        "slope/wk",
    ):
        table.add_column(column, justify="left" if column == "person" else "right")
    for p in data.people:
        table.add_row(
            p.name,
            str(p.posts),
            f"{p.impressions:,.0f}",
            f"{p.quality:.1f}",
            f"{p.inbound:,.0f}",
            f"{p.pipeline:,.0f}",
            "–" if p.slope is None else f"{p.slope:+.2f}",
        )
    print_table(table)
    top = max((p.quality for p in data.people), default=0) or 1
    for p in data.people:
        if p.impressions:
            out.print(f"  {p.name:<18} {'█' * max(1, int(30 * p.quality / top))} {p.quality:.1f}")
    out.print("[dim]quality: comments and reposts per thousand impressions (likes left out)[/]")
    cadence_table(data.cadence)
    pillar_lists(data)
    if html is not None:
        from bloomberry_cli.program.report_html import render_html

        write_output_file(html, render_html(data, workspace.config.company.name))
        err.print(f"Wrote {html}")
    return 0


def cadence_table(rows: "list[Cadence]") -> None:
    table = Table(title="Mix and cadence", header_style="bold")
    for column in (
        "person",
        "advocacy:original",
        "ratio",
        "original / target",
        "gap",
        "original posts per pillar",
    ):
        table.add_column(
            column, justify="left" if column in ("person", "original posts per pillar") else "right"
        )
    for c in rows:
        style = "dim" if not c.posted else "green" if c.ratio_ok else "yellow"
        ratio = f"[{style}]{c.ratio_verdict}[/]"
        gap = f"{c.original_gap:+.1f}" if c.target_original else "–"
        pillars = (
            ", ".join(
                f"{escape(p)} {n}" if n else f"[yellow]{escape(p)} 0[/]"
                for p, n in c.pillars.items()
            )
            or "[dim]no pillars[/]"
        )
        table.add_row(
            escape(c.name), c.ratio_text, ratio, f"{c.original}/{c.target_original:g}", gap, pillars
        )
    print_table(table)


def pillar_lists(data: "Report") -> None:
    """The program's blind spots: topics nobody posts on, people quiet on their own pillars."""
    days = data.window_days
    uncovered = data.uncovered_pillars
    if uncovered:
        out.print(f"[bold]Pillars with no active voice[/] (no original post in {days} days)")
        for p in uncovered:
            held = f"held by {', '.join(p.holders)}" if p.holders else "nobody holds it"
            out.print(f"  {escape(p.pillar)}: {escape(held)}")
    quiet = [c for c in data.cadence if c.quiet_pillars]
    if quiet:
        out.print(f"[bold]No recent post on a pillar[/] (none in {days} days)")
        for c in quiet:
            out.print(f"  {escape(c.name)}: {escape(', '.join(c.quiet_pillars))}")


def advise(
    answers: Annotated[
        str | None,
        typer.Option(
            help="Answers for scripts, in order: launch,trust,workflow,time,both as yes/no."
        ),
    ] = None,
) -> int:
    """Which program to start first: the five-question decision tree."""
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.program.advice import QUESTIONS, questions_needed
    from bloomberry_cli.program.advice import advise as run

    given: dict[str, bool] = {}
    keys = [key for key, _ in QUESTIONS]
    if answers is not None:
        values = [a.strip().lower() for a in answers.split(",") if a.strip()]
        if len(values) != len(keys) or any(v not in ("yes", "no", "y", "n") for v in values):
            raise BBError(
                "--answers takes five yes/no answers: launch,trust,workflow,time,both",
                hint="e.g. --answers no,yes,yes,yes,yes",
            )
        given = {key: value.startswith("y") for key, value in zip(keys, values, strict=True)}
    else:
        if not sys.stdin.isatty():
            raise BBError(
                "bb advise asks five questions in a terminal",
                hint="pass --answers launch,trust,workflow,time,both (yes/no)",
            )
        text = dict(QUESTIONS)
        while pending := questions_needed(given):
            key = pending[0]
            reply = typer.prompt(f"{text[key]} [yes/no]").strip().lower()
            if reply in ("y", "yes", "n", "no"):
                given[key] = reply.startswith("y")
    result = run(given)
    out.print(f"[bold]{result.headline}[/]")
    for reason in result.reasons:
        out.print(f"  • {escape(reason)}")
    out.print("\nNext:")
    for step in result.next_steps:
        out.print(f"  {escape(step)}")
    return 0
