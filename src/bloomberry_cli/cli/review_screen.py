"""One review screen that fits the terminal: the header and the keys stay on screen, the post
scrolls between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from bloomberry_cli.wording import plural

if TYPE_CHECKING:
    from bloomberry_cli.review.session import ScreenModel

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}
#: Rows the panel's borders take, and columns its borders and padding take.
_PANEL_ROWS = 2
_PANEL_COLUMNS = 4


@dataclass
class Screen:
    renderable: Group
    offset: int  # first body line shown, clamped
    page: int  # body lines that fit
    hidden: int  # body lines not on screen


def highlighted_body(context: Any) -> Text:
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


def header_parts(context: Any, index: int, total: int, notices: list[str]) -> list[Any]:
    status = context.status
    campaign = context.campaign
    window = f"  campaign {campaign.id} {campaign.start}→{campaign.end}" if campaign else ""
    parts: list[Any] = [Text(notice, style="yellow") for notice in notices]
    parts.append(
        Text.from_markup(
            f"[bold]{escape(context.title)}[/]{escape(window)}\n"
            f"{escape(status.participant)} · {status.program} · "
            f"stage [bold]{escape(context.stage)}[/]"
            f"  [dim]({index + 1}/{total})[/]"
        )
    )
    parts += briefing_parts(context.post.meta.briefing)
    for violation in status.violations[:3]:
        parts.append(
            Text(
                f"trail: {violation.rule} in {violation.commit[:10]}: "
                f"{violation.message} (bb audit; no decision can be recorded on "
                "this post until it is resolved)",
                style="bold red",
            )
        )
    return parts


def briefing_parts(briefing: list[Any]) -> list[Any]:
    """What the company says while the post goes out (``briefing:`` front matter), above the
    post: the author reads it before writing, the reviewer checks the post against it."""
    parts: list[Any] = []
    for campaign in briefing:
        parts.append(
            Text(
                f"briefing: {campaign.campaign} runs {campaign.start}→{campaign.end} on "
                f"{', '.join(campaign.topics)} (owner {campaign.owner}); you may disagree, but not "
                "contradict its claims without saying so",
                style="magenta",
            )
        )
        for message in campaign.messages[:1]:
            parts.append(Text(f"  company says: {message}", style="magenta"))
        if campaign.claims:
            parts.append(
                Text("  claims: " + "; ".join(c.text for c in campaign.claims), style="magenta")
            )
    return parts


def footer_parts(context: Any, message: str, *, scrolls: bool, diff_lines: int = 6) -> list[Any]:
    status = context.status
    parts: list[Any] = []
    for finding in context.findings[:5]:
        hint = f" → {finding.suggestion}" if finding.suggestion else ""
        parts.append(
            Text.from_markup(
                f"[{_SEVERITY_STYLE[finding.severity]}]{finding.severity}[/] {finding.line}:"
                f"{finding.column} {escape(finding.message)}[dim]{escape(hint)}[/]"
            )
        )
    if len(context.findings) > 5:
        parts.append(Text(f"… and {len(context.findings) - 5} more (bb lint)", style="dim"))
    info = []
    if context.channel:
        fold = f", fold {context.channel.fold}" if context.channel.fold else ""
        info.append(f"{context.length:,}/{context.channel.max_length:,} chars{fold}")
    if context.claims:
        info.append("claims: " + "; ".join(context.claims))
    if context.voice_score is not None:
        info.append(
            f"voice {context.voice_score}/100"
            + ("" if context.voice_judged else " (too short to judge)")
        )
    info.append("stages: " + " ".join(f"{s}:{v}" for s, v in status.stages.items()))
    parts.append(Text(" · ".join(info), style="dim"))
    if context.other_campaigns:
        names = ", ".join(f"{c.id} (owner {c.owner})" for c in context.other_campaigns)
        parts.append(Text(f"calendar: also active on these topics: {names}", style="yellow"))
    if context.diff and diff_lines:
        parts.append(Text("edited since drafted:", style="dim"))
        for line in context.diff[:diff_lines]:
            parts.append(
                Text(
                    line,
                    style="green"
                    if line.startswith("+")
                    else "red"
                    if line.startswith("-")
                    else "dim",
                )
            )
    keys = "[a]pprove " if not context.errors else ""
    keys += "[r]eject [c]hanges [e]dit "
    if status.program == "advocacy":
        keys += "[i]ntro "
    keys += "[n]ext [p]rev [q]uit"
    if scrolls:
        keys += " · j/k ↓/↑ line, space/b page"
    if context.errors:
        keys += f"   approve blocked: {plural(len(context.errors), 'lint error')}"
    parts.append(Text(keys, style="bold"))
    if message:
        parts.append(Text(message, style="cyan"))
    return parts


def _rows(console: Console, parts: list[Any], width: int) -> int:
    if not parts:
        return 0
    return len(console.render_lines(Group(*parts), console.options.update(width=width), pad=False))


def fit_screen(console: Console, model: ScreenModel) -> Screen:
    """The screen for ``console``'s size, the post shown from body line ``model.offset``.

    One row stays free: printing the last line's newline must not scroll the header away."""
    context, message, offset = model.context, model.message, model.offset
    width, height = console.size
    lines = highlighted_body(context).wrap(console, max(10, width - _PANEL_COLUMNS))
    head = header_parts(context, model.index, model.total, model.notices)
    foot = footer_parts(context, message, scrolls=False)
    room = height - 1 - _rows(console, head, width) - _rows(console, foot, width) - _PANEL_ROWS
    scrolls = len(lines) > room
    if scrolls:  # the key help grows by the scroll keys; the diff gives way first
        foot = footer_parts(context, message, scrolls=True, diff_lines=0)
        room = height - 1 - _rows(console, head, width) - _rows(console, foot, width) - _PANEL_ROWS
    page = max(3, room)
    offset = max(0, min(offset, len(lines) - page)) if scrolls else 0
    shown = lines[offset : offset + page]
    subtitle = None
    if scrolls:
        below = len(lines) - offset - len(shown)
        subtitle = f"lines {offset + 1}–{offset + len(shown)} of {len(lines)}" + (
            f" · ↓ {below} more" if below else " · end"
        )
    panel = Panel(Text("\n").join(shown), padding=(0, 1), subtitle=subtitle, subtitle_align="right")
    return Screen(Group(*head, panel, *foot), offset, page, len(lines) - len(shown))
