"""``bb review``: one post a screen, one keystroke a decision."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from bloomberry_cli.cli.state import open_workspace

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}


def review(
    ctx: typer.Context,
    brief: Annotated[str | None, typer.Option(help="Only this brief's posts.")] = None,
    program: Annotated[str | None, typer.Option(help="Only this program.")] = None,
) -> int:
    """Review the posts waiting for you, one screen each."""
    from bloomberry_cli.errors import BBError

    if not sys.stdin.isatty():
        raise BBError("bb review needs a terminal", hint="use `bb approve` in scripts")
    from bloomberry_cli.cli.terminal import TerminalIO

    workspace = open_workspace(ctx)
    return ReviewLoop(workspace, Console(highlight=False), TerminalIO(), brief=brief,
                      program=program).run()


class ReviewLoop:
    """The interactive queue. ``io`` supplies keys, lines and the editor, so tests can script
    a whole session."""

    def __init__(self, workspace: Any, console: Console, io: Any, *, brief: str | None = None,
                 program: str | None = None, today: Any = None) -> None:
        from bloomberry_cli.approvals.decide import current_identity
        from bloomberry_cli.approvals.status import open_trail, policy_in_force
        from bloomberry_cli.governance.lint import Linter

        self.workspace = workspace
        self.console = console
        self.io = io
        self.brief = brief
        self.program = program
        self.today = today
        self.policy = policy_in_force(workspace, open_trail(workspace))
        self.email = current_identity(workspace.root, self.policy)
        self.linter = Linter(workspace, today)
        self.decided = 0

    def _queue(self) -> list:
        from bloomberry_cli.review.queue import build_queue

        return build_queue(self.workspace, self.email, brief=self.brief, program=self.program)

    def run(self) -> int:
        from bloomberry_cli.review.context import gather

        queue = self._queue()
        if not queue:
            self._empty()
            return 0
        index = 0
        message = ""
        while queue:
            index = max(0, min(index, len(queue) - 1))
            item = queue[index]
            context = gather(self.workspace, item.status, item.stage, self.linter, self.today)
            self.console.clear()
            self.console.print(render_screen(context, index, len(queue), message))
            message = ""
            key = self.io.read_key().lower()
            if key == "q":
                break
            if key == "n":
                index = (index + 1) % len(queue)
            elif key == "p":
                index = (index - 1) % len(queue)
            elif key == "a":
                if context.errors:
                    message = f"Approve is not offered: {len(context.errors)} lint error(s)."
                    continue
                message = self._decide(context, "approve")
            elif key in ("r", "c"):
                verdict = "reject" if key == "r" else "request-changes"
                reason = self.io.read_line(f"Reason to {verdict.replace('-', ' ')}: ").strip()
                message = self._decide(context, verdict, reason) if reason else \
                    "No reason given; nothing recorded."
            elif key == "e":
                self.io.edit(self.workspace.root / context.post.path)
                message = "Edited; lint ran again."
            elif key == "i" and context.post.meta.program == "advocacy":
                intro = self.io.read_line("Your one-line intro: ").strip()
                if intro:
                    add_intro(self.workspace.root / context.post.path, intro)
                    message = "Intro added."
            else:
                message = "Keys: a approve, r reject, c request changes, e edit, i intro, " \
                          "n next, p previous, q quit."
            queue = self._queue() if key in ("a", "r", "c") else queue
            if not queue:
                self.console.print(message)
                self.console.print("Your queue is empty.")
        self.console.print(f"{self.decided} decision(s) recorded. `bb status` shows where "
                           "everything stands.")
        return 0

    def _decide(self, context: Any, verdict: str, reason: str | None = None) -> str:
        from bloomberry_cli.approvals.decide import decide

        [result] = decide(self.workspace, [self.workspace.root / context.post.path],
                          verdict, stage=context.stage, reason=reason,  # type: ignore[arg-type]
                          today=self.today)
        if result.refused:
            return f"Refused: {result.refused}"
        self.decided += 1
        return f"{verdict} recorded ({result.stage}) as {result.commit[:10]}."

    def _empty(self) -> None:
        person = self.policy.people[self.email]
        roles = ", ".join(sorted(person.roles)) or "no reviewer role"
        self.console.print(f"Nothing waits for you ({self.email}: {roles}"
                           f"{', participant ' + person.participant if person.participant else ''}"
                           ").")
        self.console.print("Posts reach your queue when a stage you hold is next: marketing "
                           "reviews drafts from `bb draft BRIEF`; each participant approves "
                           "their own posts after marketing. `bb status` shows every post.")


def add_intro(path: Path, intro: str) -> None:
    from bloomberry_cli.posts import split_front_matter
    from bloomberry_cli.textfile import atomic_write

    text = path.read_text(encoding="utf-8")
    parts = split_front_matter(text)
    if parts is None:
        return
    front, body, _ = parts
    atomic_write(path, f"---\n{front}---\n{intro}\n\n{body.lstrip()}")


def _highlighted_body(context: Any) -> Text:
    body = context.post.body.strip("\n")
    lead = len(context.post.body) - len(context.post.body.lstrip("\n"))
    text = Text(body)
    starts = [0]
    for line in body.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    first_line = context.post.body_line + lead
    for finding in context.findings:
        line = finding.line - first_line
        end_line = finding.end_line - first_line
        if 0 <= line < len(starts) - 1 and 0 <= end_line < len(starts) - 1:
            start = starts[line] + finding.column - 1
            end = starts[end_line] + finding.end_column - 1
            text.stylize(f"underline {_SEVERITY_STYLE[finding.severity]}", start, end)
    return text


def render_screen(context: Any, index: int, total: int, message: str = "") -> Group:
    status = context.status
    campaign = context.campaign
    window = f"  campaign {campaign.id} {campaign.start}→{campaign.end}" if campaign else ""
    header = Text.from_markup(
        f"[bold]{escape(context.title)}[/]{escape(window)}\n"
        f"{escape(status.participant)} · {status.program} · stage [bold]{context.stage}[/]"
        f"  [dim]({index + 1}/{total})[/]")
    parts: list[Any] = [header]
    for violation in status.violations[:3]:
        parts.append(Text(f"trail: {violation.rule} in {violation.commit[:10]}: "
                          f"{violation.message} (bb audit; no decision can be recorded on "
                          "this post until it is resolved)", style="bold red"))
    parts.append(Panel(_highlighted_body(context), padding=(0, 1)))
    for finding in context.findings[:5]:
        hint = f" → {finding.suggestion}" if finding.suggestion else ""
        parts.append(Text.from_markup(
            f"[{_SEVERITY_STYLE[finding.severity]}]{finding.severity}[/] {finding.line}:"
            f"{finding.column} {escape(finding.message)}[dim]{escape(hint)}[/]"))
    if len(context.findings) > 5:
        parts.append(Text(f"… and {len(context.findings) - 5} more (bb lint)", style="dim"))
    info = []
    if context.channel:
        fold = f", fold {context.channel.fold}" if context.channel.fold else ""
        info.append(f"{context.length:,}/{context.channel.max_length:,} chars{fold}")
    if context.claims:
        info.append("claims: " + "; ".join(context.claims))
    if context.voice_score is not None:
        info.append(f"voice {context.voice_score}/100")
    info.append("stages: " + " ".join(f"{s}:{v}" for s, v in status.stages.items()))
    parts.append(Text(" · ".join(info), style="dim"))
    if context.other_campaigns:
        names = ", ".join(f"{c.id} (owner {c.owner})" for c in context.other_campaigns)
        parts.append(Text(f"calendar: also active on these topics: {names}", style="yellow"))
    if context.diff:
        parts.append(Text("edited since drafted:", style="dim"))
        for line in context.diff[:6]:
            parts.append(Text(line, style="green" if line.startswith("+") else
                              "red" if line.startswith("-") else "dim"))
    keys = "[a]pprove " if not context.errors else ""
    keys += "[r]eject [c]hanges [e]dit "
    if status.program == "advocacy":
        keys += "[i]ntro "
    keys += "[n]ext [p]rev [q]uit"
    if context.errors:
        keys += f"   approve blocked: {len(context.errors)} lint error(s)"
    parts.append(Text(keys, style="bold"))
    if message:
        parts.append(Text(message, style="cyan"))
    return Group(*parts)


