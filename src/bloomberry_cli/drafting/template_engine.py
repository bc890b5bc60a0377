"""The template engine: Jinja2, offline and deterministic. The workspace's ``templates/``
overrides the bundled templates file by file."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from bloomberry_cli.drafting import sandbox
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.errors import BBError
from bloomberry_cli.models import Voice
from bloomberry_cli.workspace import Workspace

_NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}


class TemplateError(BBError):
    """A template that does not parse or render; names the template and line."""


def make_environment(workspace: Workspace) -> jinja2.Environment:
    # Templates come from pull requests: they render in the sandbox (drafting/sandbox.py).
    return sandbox.make_environment(workspace.root)


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """Jinja2 rewrites tracebacks so that template frames carry the template's file and line."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render(environment: jinja2.Environment, names: Sequence[str], context: dict[str, Any]
           ) -> str:
    try:
        template = environment.select_template(list(names))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {exc.filename or exc.name}, line {exc.lineno}: "
                            f"{exc.message}") from None
    except jinja2.TemplatesNotFound:
        raise TemplateError(f"no template named {' or '.join(names)}") from None
    try:
        return template.render(context)
    except jinja2.sandbox.SecurityError as exc:
        raise sandbox.refused(exc, template) from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_line(exc)
        raise TemplateError(f"template {filename or template.name}, line {line}: {exc.message}",
                            hint="check the variable's spelling; `bb draft --help` lists them"
                            ) from None
    except jinja2.TemplateError as exc:  # pragma: no cover - other runtime template errors
        filename, line = _template_line(exc)
        raise TemplateError(f"template {filename or template.name}, line {line}: {exc}",
                            ) from None


@dataclass
class PersonView:
    """What templates see of a participant."""

    name: str
    first_name: str
    role: str
    pronoun: str
    tone: str | None
    intro: str | None
    openers: list[str]
    sign_offs: list[str]
    audience: str | None
    emoji: list[str]
    avoid: list[str]


def person_view(voice: Voice) -> PersonView:
    """The style fields, filled in from Voice Memory where the person left them empty."""
    style = voice.style
    memory = voice.memory or {}
    openers = style.openers or [o for o in memory.get("openers", []) if str(o).endswith(":")]
    sign_offs = style.sign_offs or list(memory.get("sign_offs", []))
    emoji = style.emoji or (list(memory.get("emoji", []))
                            if memory.get("emoji_per_100_words", 0) else [])
    avoid = [*style.avoid, *memory.get("removed_phrases", [])]
    return PersonView(voice.name, voice.name.split()[0], voice.role, style.pronoun, style.tone,
                      style.intro, openers, sign_offs, style.audience, emoji, avoid)


def hashtags_for(workspace: Workspace, job: DraftJob) -> tuple[list[str], int | None]:
    brief = workspace.briefs[job.brief_id]
    voice = workspace.voices[job.participant]
    channel = workspace.config.channel(brief.channel)
    limits = [n for n in (channel.max_hashtags if channel else None, voice.style.max_hashtags)
              if n]
    limit = min(limits) if limits else None
    tags: list[str] = []
    wanted = (brief.advocacy.hashtags if job.program == "advocacy" and brief.advocacy else [])
    own = voice.style.hashtags or list((voice.memory or {}).get("hashtags", []))
    for tag in [*wanted, *own]:
        tag = tag if tag.startswith("#") else f"#{tag}"
        if tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    if not own and not wanted:
        return [], limit
    return tags[:limit] if limit else tags, limit


def disclosure_for(workspace: Workspace, job: DraftJob) -> str | None:
    rules = workspace.config.disclosure
    if job.program not in rules.programs:
        return None
    return rules.text.format(company=workspace.config.company.name)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if re.search(r"[.!?]$", text) else text + "."


def _lower_first(text: str) -> str:
    """'How the audit…' → 'how the audit…', leaving acronyms ('SOC 2 taught…') alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def template_context(workspace: Workspace, job: DraftJob) -> dict[str, Any]:
    brief = workspace.briefs[job.brief_id]
    voice = workspace.voices[job.participant]
    section = brief.advocacy if job.program == "advocacy" else brief.thought_leadership
    person = person_view(voice)
    seed = f"{job.brief_id}/{job.participant}/{job.program}"

    def pick(options: Sequence[str]) -> str:
        """A deterministic choice per person and post, so voices differ but reruns do not."""
        if not options:
            return ""
        digest = hashlib.sha256(f"{seed}/{'|'.join(options)}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]

    hashtags, limit = hashtags_for(workspace, job)
    notes = [_sentence(note) for note in job.notes]
    angle = getattr(section, "angle", "") or ""
    questions = list(getattr(section, "questions", []) or []) or [
        f"what have you seen first-hand about {angle[:1].lower() + angle[1:]}?"]
    we = "we" if person.pronoun == "we" else "I"
    count = _NUMBER_WORDS.get(len(notes))
    lead_in = (f"{count} things {we} noticed:" if count
               else f"What {we} noticed:" if notes else "")
    memory = workspace.voices[job.participant].memory or {}
    usual_words = (memory.get("post_words") or {}).get("mean")
    return {
        "as_list": memory.get("lists", 1.0) >= 0.4 or not memory,
        # Voice Memory's length habit: terse writers get no filler lines from the template.
        "terse": isinstance(usual_words, int | float) and usual_words < 45,
        "company": workspace.config.company,
        "brief": brief,
        "section": section,
        "program": job.program,
        "person": person,
        "pick": pick,
        "notes": notes,
        "questions": questions,
        "lead_in": lead_in,
        "angle_sentence": _sentence(angle),
        "angle_sentence_lower": _sentence(_lower_first(angle)),
        "hashtags": hashtags,
        "hashtag_limit": limit,
        "disclosure": disclosure_for(workspace, job),
        "channel_name": brief.channel,
        "channel": workspace.config.channel(brief.channel),
    }


class TemplateEngine:
    name = "template"
    model = None

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.environment = make_environment(workspace)

    def render(self, job: DraftJob) -> str:
        brief = self.workspace.briefs[job.brief_id]
        names = [f"{job.program}.{brief.channel}.md.j2", f"{job.program}.md.j2"]
        text = render(self.environment, names, template_context(self.workspace, job))
        return re.sub(r"\n{3,}", "\n\n", text).strip()


