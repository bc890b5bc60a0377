"""The template engine: Jinja2, offline and deterministic. The workspace's ``templates/``
overrides the bundled templates file by file."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from bloomberry_cli.drafting import parts, pools, sandbox, sentences, shaping
from bloomberry_cli.drafting.engine import Drafted, Progress
from bloomberry_cli.drafting.history import History, Stays, post_body
from bloomberry_cli.drafting.selection import DraftJob, brief_participants
from bloomberry_cli.drafting.variants import TOO_ALIKE, WordingPlan, message_for, wording_in
from bloomberry_cli.errors import BBError
from bloomberry_cli.models import Brief
from bloomberry_cli.workspace import Workspace


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


# The template each list of names resolved to, per environment: a run asks thousands of times
# for the channel's template first, and Jinja2 caches templates it finds, not names it does
# not (each miss a file lookup in two loaders and an exception). Templates do not change
# during a run (the environment does not auto-reload either).
_SELECTED: weakref.WeakKeyDictionary[jinja2.Environment, dict[tuple[str, ...], jinja2.Template]]
_SELECTED = weakref.WeakKeyDictionary()


def _select(environment: jinja2.Environment, names: Sequence[str]) -> jinja2.Template:
    chosen = _SELECTED.setdefault(environment, {})
    key = tuple(names)
    if key not in chosen:
        chosen[key] = environment.select_template(list(names))
    return chosen[key]


def render(environment: jinja2.Environment, names: Sequence[str], context: dict[str, Any]) -> str:
    try:
        template = _select(environment, names)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template {exc.filename or exc.name}, line {exc.lineno}: {exc.message}"
        ) from None
    except jinja2.TemplatesNotFound:
        raise TemplateError(f"no template named {' or '.join(names)}") from None
    try:
        return template.render(context)
    except SecurityError as exc:
        raise sandbox.refused(exc, template) from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_line(exc)
        raise TemplateError(
            f"template {filename or template.name}, line {line}: {exc.message}",
            hint="check the variable's spelling; `bb draft --help` lists them",
        ) from None
    except jinja2.TemplateError as exc:  # pragma: no cover - other runtime template errors
        filename, line = _template_line(exc)
        raise TemplateError(
            f"template {filename or template.name}, line {line}: {exc}",
        ) from None


_SECTIONS: dict[tuple[int, str | None], tuple[Brief, Any]] = {}


def _section_with(brief: Brief, message: str | None) -> Any:
    """The brief's advocacy section with one wording as its message: one copy per wording,
    not one per draft."""
    key = (id(brief), message)
    cached = _SECTIONS.get(key)
    if cached is None or cached[0] is not brief:
        assert brief.advocacy is not None
        cached = _SECTIONS[key] = (brief, brief.advocacy.model_copy(update={"message": message}))
    return cached[1]


def template_context(
    workspace: Workspace,
    job: DraftJob,
    history: str = "",
    taken: dict[str, set[str]] | None = None,
    plan: WordingPlan | None = None,
    wording: str | None = None,
    previous: str = "",
) -> dict[str, Any]:
    """Everything a template (or the LLM prompt) sees. ``history`` is the person's other posts,
    flattened: lines they already used are not offered again. ``taken``: per wording of the
    message, the lines this run already gave to others of the brief who share it. ``plan``:
    the brief's balanced wordings (variants.WordingPlan); without one, the hashed wording.
    ``wording``: the wording to draft with, chosen by the caller. ``previous``: the person's
    thought-leadership draft on disk (advocacy drafts are read back by ``plan``)."""
    brief = workspace.briefs[job.brief_id]
    voice = workspace.voices[job.participant]
    person = parts.person_view(voice, brief)
    seed = f"{job.brief_id}/{job.participant}/{job.program}"
    channel = workspace.config.channel(brief.channel)
    section: Any = brief.section(job.program)
    message: str | None = None
    around: parts.LinesAround | None = None
    if job.program == "advocacy" and brief.advocacy is not None:
        # Worked out once: the plan weighs every wording with it, the draft then uses it.
        lines = around = parts.LinesAround(workspace, job, person, seed, history)
        opened = parts.opening_line(workspace, job, person, seed, history, plan)

        def own_for(wording: str) -> int:
            """What the person would add to ``wording``: their line and the lines around."""
            said = (opened[0], wording)
            line, _, sign_off, _ = lines((taken or {}).get(wording, set()), "", said)
            return len(opened[0]) + len(line) + len(sign_off)

        if wording is not None:
            message = wording
        elif plan is not None:
            message = plan.choose(job.participant, parts.plan_key(*opened), own_for)
        else:
            message = message_for(brief, job.brief_id, job.participant)
        # Overrides that say {{ section.message }} get this person's wording too.
        section = _section_with(brief, message)

    def pick(options: Sequence[str]) -> str:
        return pools.stable_pick(seed, list(options))

    hashtags, limit = parts.hashtags_for(workspace, job)
    notes = [sentences.as_sentence(note) for note in job.notes]
    angle = getattr(section, "angle", "") or ""
    questions = list(getattr(section, "questions", []) or []) or [
        f"what have you seen first-hand about {angle[:1].lower() + angle[1:]}?"
    ]
    we = "we" if person.pronoun == "we" else "I"
    count = parts.NUMBER_WORDS.get(len(notes))
    lead_in = f"{count} things {we} noticed:" if count else f"What {we} noticed:" if notes else ""
    memory = voice.memory
    as_list = memory is None or memory.habits.lists.mean >= 0.4
    # Voice Memory's length habit: terse writers get no filler lines from the template.
    terse = memory is not None and memory.habits.post_words.mean < 45
    context: dict[str, Any] = {
        "as_list": as_list,
        "terse": terse,
        "company": workspace.config.company,
        "brief": brief,
        "section": section,
        "program": job.program,
        "person": person,
        "pick": pick,
        "take": job.take,
        "notes": notes,
        "questions": questions,
        "lead_in": lead_in,
        "angle_sentence": sentences.as_sentence(angle),
        "angle_sentence_lower": sentences.as_sentence(sentences.lower_first(angle)),
        "hashtags": hashtags,
        # The brief's own hashtags among them: the rest are the person's.
        "brief_tags": [
            t if t.startswith("#") else f"#{t}"
            for t in (
                brief.advocacy.hashtags if job.program == "advocacy" and brief.advocacy else []
            )
        ],
        "hashtag_limit": limit,
        # Layout (drafting/shaping.py picks it from the person's Voice Memory).
        "one_paragraph": False,
        "emoji_inline": False,
        "disclosure": parts.disclosure_for(workspace, job),
        "channel_name": brief.channel,
        "channel": channel,
        "limit": channel.max_length if channel else None,
        "first_fitting": lambda candidates: sentences.first_fitting(
            candidates, channel.max_length if channel else None
        ),
        "wrap_each": lambda items, before, after: [f"{before}{item}{after}" for item in items],
    }
    if job.program == "advocacy":
        context.update(
            parts.advocacy_parts(
                workspace, job, person, seed, history, taken, message, plan, around
            )
        )
    else:
        context.update(
            parts.thought_leadership_parts(
                workspace, job, person, seed, history, as_list, terse, previous
            )
        )
    return context


#: Briefs with up to this many participants get each wording measured against the drafts of
#: those already holding it (a handful of difflib comparisons a person); larger ones, where
#: that would cost seconds, go by the lengths of what each post adds (WordingPlan.choose).
MEASURED_UP_TO = 40

#: How many more people a wording may have than the least held one, where that makes a draft
#: read less like the others': evenness gives way to difference, but only this far.
SLACK = 2


class TemplateEngine:
    name = "template"
    model = None

    def __init__(self, workspace: Workspace, stays: Stays | None = None) -> None:
        """``stays``: which posts on disk this run will not replace (draft.py knows)."""
        self.workspace = workspace
        self.environment = make_environment(workspace)
        self.history = History(workspace.root, stays)
        #: brief → wording → the context lines given with it so far in this run.
        self.taken: dict[str, dict[str, set[str]]] = {}
        #: brief → who holds which wording of its message (drafts on disk, then this run).
        self.plans: dict[str, WordingPlan] = {}

    def draft(
        self, jobs: Sequence[DraftJob], workers: int = 1, on_progress: Progress | None = None
    ) -> Drafted:
        """Every job rendered in turn: offline and deterministic, nothing to fail but a
        template (which raises, naming it)."""
        result = Drafted()
        for done, job in enumerate(jobs, 1):
            result.texts[job] = self.render(job)
            result.origins[job] = (self.name, None)
            if on_progress:
                on_progress(done, len(jobs))
        return result

    def _plan(self, job: DraftJob) -> WordingPlan:
        plan = self.plans.get(job.brief_id)
        if plan is None:
            brief = self.workspace.briefs[job.brief_id]
            variants = brief.advocacy.variants if brief.advocacy else []
            drafts = {
                who: post_body(text)
                for who, text in self.history.drafts(job.brief_id, "advocacy").items()
            }
            held = {who: wording_in(text, variants) for who, text in drafts.items()}
            tags = brief.advocacy.hashtags if brief.advocacy else []
            link = brief.advocacy.link if brief.advocacy else None
            tail = len(link or "") + len(parts.disclosure_for(self.workspace, job) or "")
            tail += sum(len(t) + 1 for t in tags) + parts.PARAGRAPH_BREAKS
            plan = self.plans[job.brief_id] = WordingPlan(job.brief_id, variants, held, tail)
            people = len(brief_participants(brief, self.workspace.voices))
            plan.measured = len(variants) > 1 and people <= MEASURED_UP_TO
            plan.on_disk = drafts
            taken = self.taken.setdefault(job.brief_id, {})
            for who, text in drafts.items():
                plan.texts.setdefault(held[who], {})[who] = text
                # What the drafts on disk already say around each wording is taken, so a
                # newcomer does not make anyone else's lines change on the next run.
                voice = self.workspace.voices.get(who)
                if voice is not None:
                    taken.setdefault(held[who] or "", set()).update(parts.lines_in(voice, text))
        return plan

    def _measured_wording(
        self,
        job: DraftJob,
        names: list[str],
        history: str,
        taken: dict[str, set[str]],
        plan: WordingPlan,
    ) -> str | None:
        """In a brief of a few dozen people: among the wordings nobody holds beside the same
        first line and none held by two more than the least held, the one whose draft is least
        like the drafts of those already holding it (difflib, as bench/draft_quality.py
        measures), the least held first among equals. On a short channel only wordings nobody
        has, or none. None: the person keeps the wording their draft has, or the brief is too
        large to compare."""
        if plan.sticky(job.participant):
            return None
        if parts.short_channel(self.workspace, job) and plan.without_one(job.participant):
            return ""  # their draft posts their line and the link: it stays so
        if not plan.measured:
            return None
        order = plan.preference(job.participant)
        short = parts.short_channel(self.workspace, job)
        if short:  # a wording somebody has is no choice there; none is: their line and the link
            order = [w for w in order if not plan.load(w, job.participant)] + [""]
        least = min(plan.load(w, job.participant) for w in order if w) if any(order) else 0
        ranked = []
        layout: shaping.Layout | None = None  # the person's, found once: it is their habit
        for index, wording in enumerate(order):
            context = template_context(self.workspace, job, history, taken, plan, wording)
            text, _, layout = shaping.best(
                self.workspace,
                job,
                context,
                lambda c: render(self.environment, names, c),
                layout,
            )
            used = wording_in(text, plan.variants)
            key = parts.plan_key(context["opening"], context["asks_for_line"])
            alike = plan.likeness(used, text, job.participant)
            load = plan.load(wording, job.participant) if wording else 1
            ranked.append(
                (
                    plan.paired(wording, key),
                    # Even enough: never more than SLACK above the least held.
                    max(0, load - least - SLACK),
                    max(0.0, alike - TOO_ALIKE),
                    load,
                    index,
                    wording,
                )
            )
        return min(ranked)[-1]

    def render(self, job: DraftJob) -> str:
        brief = self.workspace.briefs[job.brief_id]
        names = [f"{job.program}.{brief.channel}.md.j2", f"{job.program}.md.j2"]
        # Their other post on the same brief goes out beside this one: its sign-off is not
        # this one's too (a line this draft has on disk it keeps: parts._kept).
        history = self.history.other_posts(job.participant, job.brief_id)
        history += "\n" + self.history.beside(job.participant, job.brief_id, job.program)
        taken = self.taken.setdefault(job.brief_id, {})
        plan = self._plan(job) if job.program == "advocacy" else None
        wording = self._measured_wording(job, names, history, taken, plan) if plan else None
        previous = (
            ""
            if plan is not None
            else post_body(self.history.draft_of(job.participant, job.brief_id, job.program))
        )
        base = template_context(self.workspace, job, history, taken, plan, wording, previous)
        text, context, _ = shaping.best(
            self.workspace, job, base, lambda c: render(self.environment, names, c)
        )
        if plan is not None:  # the wording the template fitted, not always the chosen one
            key = parts.plan_key(base["opening"], base["asks_for_line"])
            own = sum(len(context[k] or "") for k in ("opening", "context_line", "sign_off"))
            plan.record(job.participant, wording_in(text, plan.variants), key, own, text)
            if context["asks_for_line"]:
                plan.asked.update(a for a in pools.ASK_LINES if a[:30] in base["opening"])
        if "taken_as" in context:
            # Two people sharing one wording (or one first line) never share the lines around.
            said = context["message"] if context["message"] in text else ""
            taken.setdefault(said, set()).update(context["taken_as"])
            same = parts.same_opening(base["opening"])
            taken.setdefault(same, set()).update(context["taken_as"])
        self.history.record(job.participant, job.brief_id, job.program, text)
        return text
