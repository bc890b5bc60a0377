"""The LLM's messages for one draft, from the overridable ``prompt.md.j2``.

The template writes the system message, then a line ``=== user ===``, then the user message
(a template without that line is sent as the user message alone). The output contract is
appended by bb, not the template, so an override cannot break the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2

from bloomberry_cli.drafting.briefing import briefing_for
from bloomberry_cli.drafting.output_contract import INSTRUCTION
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.drafting.template_engine import render, template_context
from bloomberry_cli.workspace import Workspace

USER_MARKER = re.compile(r"^=== user ===[ \t]*$", re.M)

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class Prompt:
    messages: Messages
    max_tokens: int | None


def max_tokens_for(max_length: int | None) -> int | None:
    """Room for the longest post the channel allows (a token is 3–4 characters of English;
    emoji and other scripts take more) plus the delimiters, and no more: a runaway reply
    stops early and costs little."""
    return max_length // 2 + 100 if max_length else None


def prompt_context(workspace: Workspace, job: DraftJob) -> dict[str, Any]:
    context = template_context(workspace, job)
    voice = workspace.voices[job.participant]
    section = context["section"]
    approved = workspace.approved_claims
    context.update(
        samples=voice.samples[:3],
        memory_summary=voice.memory.summary if voice.memory else None,
        approved=[approved[c] for c in getattr(section, "claims", []) or [] if c in approved],
        blocked=list(workspace.claims.blocked),
        briefing=briefing_for(workspace, job),
    )
    return context


def build_prompt(workspace: Workspace, environment: jinja2.Environment, job: DraftJob) -> Prompt:
    text = render(environment, ["prompt.md.j2"], prompt_context(workspace, job))
    text = re.sub(r"\n{3,}", "\n\n", text)
    parts = USER_MARKER.split(text, maxsplit=1)
    system, user = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ("", text.strip())
    messages: Messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": f"{user}\n\n{INSTRUCTION}"})
    brief = workspace.briefs[job.brief_id]
    channel = workspace.config.channel(brief.channel)
    return Prompt(messages, max_tokens_for(channel.max_length if channel else None))


def reask_messages(prompt: Prompt, reply: str, problems: list[str], openers: list[str]) -> Messages:
    """The conversation so far, plus what to fix."""
    lines = ["That draft has problems. Write it again, fixing all of them:"]
    lines += [f"- {problem}" for problem in problems]
    if openers:
        lines.append(
            "Other people's drafts for this brief already open like this; do not "
            "open like any of them:"
        )
        lines += [f"- {opener}" for opener in openers]
    lines += ["", INSTRUCTION]
    return [
        *prompt.messages,
        {"role": "assistant", "content": reply},
        {"role": "user", "content": "\n".join(lines)},
    ]
