"""``bb voice calibrate|score|show``: Voice Memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from bloomberry_cli.cli.console import out, plural
from bloomberry_cli.cli.options import FormatOption, OutputFormat
from bloomberry_cli.cli.state import open_workspace
from bloomberry_cli.errors import BBError

if TYPE_CHECKING:
    from bloomberry_cli.workspace import Workspace

voice_app = typer.Typer(help="Voice Memory: learn how each person writes.", no_args_is_help=True)


def _own_posts(workspace: Workspace, voice_id: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The person's approved or published posts, reduced to their own words, and the
    (generated, final) pairs of those they rewrote: gathered here, from the trail, so the
    voice layer only ever receives texts."""
    from bloomberry_cli.approvals.status import post_statuses
    from bloomberry_cli.review.context import generated_body
    from bloomberry_cli.voice.fidelity import company_words, own_words

    statuses, _ = post_statuses(workspace)
    texts, edits = [], []
    for status in statuses:
        if status.participant != voice_id or status.state not in ("approved", "published"):
            continue
        post = status.post
        company = company_words(workspace, post)
        texts.append(own_words(post.body, company))
        if post.edited:
            original = generated_body(workspace, post)
            if original is not None:
                edits.append((own_words(original, company), texts[-1]))
    return texts, edits


@voice_app.command("calibrate")
def calibrate(
    ctx: typer.Context,
    participant: Annotated[str, typer.Argument(help="The participant's id.")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Files of their own writing, one text a file.", show_default=False),
    ] = None,
    samples: Annotated[
        list[Path] | None,
        typer.Option("--samples", help="A file of their writing (repeatable; same as FILE...)."),
    ] = None,
) -> None:
    """Learn a participant's voice from their samples, approved posts and edits.

    Writes only the memory: block of their voice file."""
    from bloomberry_cli.validation import did_you_mean
    from bloomberry_cli.voice.calibrate import calibrate as run

    workspace = open_workspace(ctx)
    if participant not in workspace.voices:  # before reading the whole trail
        raise BBError(
            f"unknown participant '{participant}'", hint=did_you_mean(participant, workspace.voices)
        )
    posts, edits = _own_posts(workspace, participant)
    result = run(workspace, participant, [*(files or []), *(samples or [])], posts, edits)
    used = ", ".join(  # "1 file", not "1 files"
        plural(n, kind.removesuffix("s")) for kind, n in result.sources.items() if n
    )
    out.print(
        f"[green]✓[/] Voice Memory for {escape(participant)} from {used}; wrote only "
        f"the memory: block of {escape(result.path)}, the rest is as it was."
    )
    out.print(escape(result.memory.summary))


@voice_app.command("score")
def score(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A post file.")],
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Score a post against its participant's Voice Memory (0–100), with the reasons."""
    from bloomberry_cli.posts import load_post
    from bloomberry_cli.voice.fidelity import fit_post
    from bloomberry_cli.voice.reason import ALIKE

    workspace = open_workspace(ctx)
    rel = workspace.relpath(Path.cwd() / path)
    post = load_post(workspace.root, rel)  # a PostError is reported with its positions
    fit = fit_post(workspace, post)
    if fit is None:
        voice = workspace.voices.get(post.meta.participant)
        raise _no_memory(post.meta.participant, outdated=bool(voice and voice.memory_outdated))
    if output_format is OutputFormat.json:
        print(
            json.dumps(
                {
                    "version": 1,
                    "path": rel,
                    "participant": post.meta.participant,
                    **fit.score.as_dict(),
                    "judged": fit.judged,
                }
            )
        )
        return
    result = fit.score
    style = "yellow" if fit.below else "dim" if not fit.judged else "green"
    out.print(
        f"[{style}]{result.score}/100[/] {escape(rel)} as "
        f"{escape(workspace.voices[post.meta.participant].name)} "
        + (
            f"[dim](lint warns below {fit.threshold})[/]"
            if fit.judged
            else f"[dim](too short to judge: {result.words} of their own words; "
            f"lint judges from {fit.min_words})[/]"
        )
    )
    for feature in result.features:
        mark = "[green]✓[/]" if feature.similarity >= ALIKE else "[yellow]•[/]"
        out.print(f"  {mark} {escape(feature.explanation)}")


@voice_app.command("show")
def show(
    ctx: typer.Context, participant: Annotated[str, typer.Argument(help="The participant's id.")]
) -> None:
    """Show a participant's Voice Memory as a readable summary."""
    from bloomberry_cli.validation import did_you_mean

    workspace = open_workspace(ctx)
    voice = workspace.voices.get(participant)
    if voice is None:
        raise BBError(
            f"unknown participant '{participant}'", hint=did_you_mean(participant, workspace.voices)
        )
    memory = voice.memory
    if memory is None:
        raise _no_memory(participant, outdated=voice.memory_outdated)
    out.print(
        f"[bold]{escape(voice.name)}[/] ({escape(voice.role)}), calibrated "
        f"{memory.calibrated.isoformat()} from {plural(memory.samples, 'text')}"
    )
    out.print(escape(memory.summary))
    for label, values in (
        ("Openers", memory.openers),
        ("Sign-offs", memory.sign_offs),
        ("Phrases", memory.phrases),
        ("Removes (joins the avoid list)", memory.removed_phrases),
    ):
        if values:
            out.print(f"  {label}: " + "; ".join(escape(v) for v in values))


def _no_memory(participant: str, *, outdated: bool) -> BBError:
    """One wording for `bb voice score` and `bb voice show`."""
    why = "'s Voice Memory was written by an older bb" if outdated else " has no Voice Memory yet"
    return BBError(f"{participant}{why}", hint=f"run `bb voice calibrate {participant}`")
