"""``bb voice calibrate|score|show``: Voice Memory."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bloomberry_cli.cli.console import err, out
from bloomberry_cli.cli.options import FormatOption, OutputFormat
from bloomberry_cli.cli.state import open_workspace

voice_app = typer.Typer(help="Voice Memory: learn how each person writes.",
                        no_args_is_help=True)


@voice_app.command("calibrate")
def calibrate(
    ctx: typer.Context,
    participant: Annotated[str, typer.Argument(help="The participant's id.")],
    samples: Annotated[list[Path] | None, typer.Option(
        "--samples", help="Files of their writing (repeatable).")] = None,
) -> None:
    """Learn a participant's voice from their samples, approved posts and edits."""
    from bloomberry_cli.voice.calibrate import calibrate as run

    workspace = open_workspace(ctx)
    result = run(workspace, participant, list(samples or []))
    for note in result.notes:
        err.print(f"[yellow]note:[/] {escape(note)}")
    used = ", ".join(f"{n} {kind}" for kind, n in result.sources.items() if n)
    out.print(f"[green]✓[/] Voice Memory for {escape(participant)} from {used}; written to "
              f"{workspace.voice_paths[participant]} (memory:).")
    out.print(escape(result.memory["summary"]))


@voice_app.command("score")
def score(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A post file.")],
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Score a post against its participant's Voice Memory (0–100), with the reasons."""
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.posts import PostError, load_post
    from bloomberry_cli.voice.fidelity import score_post

    workspace = open_workspace(ctx)
    rel = workspace.relpath(Path.cwd() / path)
    try:
        post = load_post(workspace.root, rel)
    except PostError as exc:
        from bloomberry_cli.errors import WorkspaceError

        raise WorkspaceError(exc.problems) from None
    result = score_post(workspace, post)
    if result is None:
        raise BBError(f"{post.meta.participant} has no Voice Memory yet",
                      hint=f"run `bb voice calibrate {post.meta.participant}`")
    if output_format is OutputFormat.json:
        print(json.dumps({"version": 1, "path": rel, "participant": post.meta.participant,
                          **result.as_dict()}))
        return
    threshold = workspace.config.lint.voice_threshold
    style = "green" if result.score >= threshold else "yellow"
    out.print(f"[{style}]{result.score}/100[/] {escape(rel)} as "
              f"{escape(workspace.voices[post.meta.participant].name)} "
              f"[dim](lint warns below {threshold})[/]")
    for feature in result.features:
        mark = "[green]✓[/]" if feature.similarity >= 0.7 else "[yellow]•[/]"
        out.print(f"  {mark} {escape(feature.explanation)}")


@voice_app.command("show")
def show(ctx: typer.Context,
         participant: Annotated[str, typer.Argument(help="The participant's id.")]) -> None:
    """Show a participant's Voice Memory as a readable summary."""
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.validation import did_you_mean
    from bloomberry_cli.voice.profile import describe

    workspace = open_workspace(ctx)
    voice = workspace.voices.get(participant)
    if voice is None:
        raise BBError(f"unknown participant '{participant}'",
                      hint=did_you_mean(participant, workspace.voices))
    memory = voice.memory
    if not memory:
        raise BBError(f"{participant} has no Voice Memory yet",
                      hint=f"run `bb voice calibrate {participant}`")
    out.print(f"[bold]{escape(voice.name)}[/] ({escape(voice.role)}), calibrated "
              f"{memory.get('calibrated', '?')} from {memory.get('samples', '?')} texts")
    out.print(escape(describe(memory)))
    for label, key in (("Openers", "openers"), ("Sign-offs", "sign_offs"),
                       ("Phrases", "phrases"), ("Removes (joins the avoid list)",
                                                "removed_phrases")):
        if memory.get(key):
            out.print(f"  {label}: " + "; ".join(escape(str(v)) for v in memory[key]))
