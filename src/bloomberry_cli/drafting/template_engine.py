"""The template engine: Jinja2, offline and deterministic. The workspace's ``templates/``
overrides the bundled templates file by file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from bloomberry_cli.drafting import pools, sandbox, shaping
from bloomberry_cli.drafting.engine import Drafted, Progress
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.drafting.selection import brief_participants
from bloomberry_cli.drafting.variants import TOO_ALIKE, WordingPlan, message_for, wording_in
from bloomberry_cli.errors import BBError
from bloomberry_cli.models import Brief, Voice
from bloomberry_cli.workspace import Workspace

_NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_WH_WORD = re.compile(r"^(how|what|why|when|where|which|who)\b", re.I)


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


def render(environment: jinja2.Environment, names: Sequence[str], context: dict[str, Any]) -> str:
    try:
        template = environment.select_template(list(names))
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
    memory = voice.memory
    openers = style.openers or [o for o in (memory.openers if memory else []) if o.endswith(":")]
    sign_offs = style.sign_offs or list(memory.sign_offs if memory else [])
    emoji = style.emoji or (list(memory.emoji) if memory and memory.habits.emoji.mean else [])
    avoid = [*style.avoid, *(memory.removed_phrases if memory else [])]
    return PersonView(
        voice.name,
        voice.name.split()[0],
        voice.role,
        style.pronoun,
        style.tone,
        style.intro,
        openers,
        sign_offs,
        style.audience,
        emoji,
        avoid,
    )


def hashtags_for(workspace: Workspace, job: DraftJob) -> tuple[list[str], int | None]:
    """The brief's hashtags, then the person's own that are about the brief's topics."""
    brief = workspace.briefs[job.brief_id]
    voice = workspace.voices[job.participant]
    channel = workspace.config.channel(brief.channel)
    limits = [n for n in (channel.max_hashtags if channel else None, voice.style.max_hashtags) if n]
    limit = min(limits) if limits else None
    wanted = brief.advocacy.hashtags if job.program == "advocacy" and brief.advocacy else []
    own = voice.style.hashtags or list(voice.memory.hashtags if voice.memory else [])
    topic_keys = pools.brief_topic_keys(brief)
    if topic_keys:  # a brief without topics cannot say which of them are off topic
        own = [tag for tag in own if pools.on_topic(tag, topic_keys)]
    tags: list[str] = []
    for tag in [*wanted, *own]:
        tag = tag if tag.startswith("#") else f"#{tag}"
        if tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return (tags[:limit] if limit else tags), limit


def disclosure_for(workspace: Workspace, job: DraftJob) -> str | None:
    rules = workspace.config.disclosure
    if job.program not in rules.programs:
        return None
    return rules.text.format(company=workspace.config.company.name)


def _sentence(text: str) -> str:
    """Ends in terminal punctuation, once: '…right."' stays as it is."""
    text = text.strip()
    return text if _SENTENCE_END.search(text) else text + "."


def _lower_first(text: str) -> str:
    """'How the audit…' → 'how the audit…', leaving acronyms ('SOC 2 taught…') alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _framed(opener: str, sentence: str) -> str:
    """The opener as a sentence frame: 'Unpopular opinion: most access reviews…'."""
    if not opener:
        return sentence
    if opener.endswith(":"):
        return f"{opener} {_lower_first(sentence)}"
    return f"{_sentence(opener)} {sentence}"


def first_fitting(candidates: Sequence[str | Sequence[str]], limit: int | None) -> str:
    """The first candidate within the channel's limit (a list among them counts as its items);
    the last one otherwise, and the draft's length finding says why."""
    flat = [
        c for item in candidates for c in ([item] if isinstance(item, str) else list(item or []))
    ]
    usable = [c.strip() for c in flat if c and c.strip()]
    if not usable:
        return ""
    for candidate in usable:
        if limit is None or len(candidate) <= limit:
            return candidate
    return usable[-1]


def _opening(
    workspace: Workspace,
    job: DraftJob,
    person: PersonView,
    seed: str,
    history: str,
    plan: WordingPlan | None = None,
) -> tuple[str, bool]:
    """The person's first line and whether it is a placeholder asking for their words. An
    intro someone else of the brief already opens with (a voice file copied from a
    colleague's) is not theirs to post a second time."""
    if job.take:
        return _sentence(job.take), False
    intro = pools.stable_pick(seed, pools.fresh([person.intro or ""], history))
    if intro and not (plan and plan.opened_by_others(intro, job.participant)):
        return intro, False
    # Neither a take nor an unused intro: ask the person, and lint blocks it until then.
    role = workspace.voices[job.participant].role
    asked = plan.asked if plan else set()
    return pools.spread_pick(seed + "/ask", pools.ASK_LINES, asked).format(role=role), True


def _plan_key(opening: str, asks: bool) -> str:
    """What makes two first lines alike for spreading wordings: requests for the person's
    line all read alike, whatever they ask."""
    return "[asks for a line]" if asks else opening


#: The blank lines every advocacy post has between its parts (two characters each): shared.
PARAGRAPH_BREAKS = 2 * 5



#: Channels this short have room for the person's line and one wording, rarely more: there a
#: wording is drafted for one person of the brief only, and the others post their own line and
#: the link (whose preview carries the news), or two posts would be one wording and a line.
SHORT_CHANNEL = 300


def _lines_around(
    workspace: Workspace,
    job: DraftJob,
    person: PersonView,
    seed: str,
    history: str,
    others: set[str],
) -> tuple[str, str, str, str | None]:
    """(context line, its pool line, sign-off, the audience named) for a person whose
    wording others of the brief share with the lines in ``others``."""
    brief = workspace.briefs[job.brief_id]
    voice = workspace.voices[job.participant]
    topic_keys = pools.brief_topic_keys(brief)
    audience = person.audience or ""
    on_topic = audience and (not topic_keys or pools.on_topic(audience, topic_keys))
    # Two people sharing a wording and an audience (one voice file copied from the other's)
    # get lines framed by their roles instead.
    mine = audience if on_topic and f"audience:{audience}" not in others else None
    groups = [
        [(pool, line) for pool, line in group if pools.fresh([line], history)]
        for group in pools.context_lines(voice, mine)
    ]
    # Two people who share a wording never share the line around it too; the line is bb's
    # framing (from their role or audience), so it counts nothing towards their voice.
    context_line = pools.spread_line(seed + "/line", groups, others)
    context_pool = next(
        (pool for group in groups for pool, line in group if line == context_line), ""
    )
    # Their sign-off, unless everyone sharing their wording already signs off with it (a
    # voice file copied from a colleague's): a post without one reads fine, a copy does not.
    sign_offs = [line for line in pools.fresh(person.sign_offs, history) if line not in others]
    sign_off = pools.stable_pick(seed + "/sign-off", sign_offs)
    return context_line, context_pool, sign_off, mine if mine and mine in context_line else None


def _short_channel_wording(
    workspace: Workspace, job: DraftJob, opening: str, message: str, plan: WordingPlan
) -> str:
    """On a short channel: the person's wording if it fits beside their line, the link and
    the disclosure and nobody else of the brief has it (where the engine measured the
    wordings, it already weighed who has which); else a shorter one nobody has that fits;
    else none."""
    brief = workspace.briefs[job.brief_id]
    channel = workspace.config.channel(brief.channel)
    limit = channel.max_length if channel else 0
    link = brief.advocacy.link if brief.advocacy else None
    tail = len(link or "") + 1 + len(disclosure_for(workspace, job) or "")
    variants = brief.advocacy.variants if brief.advocacy else []
    shorter = plan.by_load(job.participant, [v for v in variants if len(v) < len(message)])
    for wording in [message, *shorter]:
        fits = len(opening) + len(wording) + tail + 4 <= limit
        free = plan.measured and wording == message or not plan.load(wording, job.participant)
        if wording and fits and free:
            return wording
    return ""


def _advocacy_parts(
    workspace: Workspace,
    job: DraftJob,
    person: PersonView,
    seed: str,
    history: str,
    taken: dict[str, set[str]] | None = None,
    message: str | None = None,
    plan: WordingPlan | None = None,
) -> dict[str, Any]:
    """``taken``: wording → the lines others sharing that wording got in this run.
    ``message``: the wording chosen for the person (by default their hashed one). ``plan``:
    who holds which wording, so a shorter one for a short channel is the least held."""
    brief = workspace.briefs[job.brief_id]
    opening, asks = _opening(workspace, job, person, seed, history, plan)
    if message is None:
        message = message_for(brief, job.brief_id, job.participant) or ""
    variants = brief.advocacy.variants if brief.advocacy else []
    channel = workspace.config.channel(brief.channel)
    short = channel is not None and channel.max_length <= SHORT_CHANNEL
    shorter = [v for v in variants if len(v) < len(message)]
    if short and plan is not None:
        message = _short_channel_wording(workspace, job, opening, message, plan)
        shorter = []
    others = taken.get(message, set()) if taken is not None else set()
    context_line, context_pool, sign_off, mine = _lines_around(
        workspace, job, person, seed, history, others
    )
    # At most the person's emoji habit, never doubled: one, and none if a line already has one.
    emoji = ""
    if person.emoji and not _EMOJI.search(opening + context_line):
        emoji = pools.stable_pick(seed + "/emoji", person.emoji)
    return {
        "message": message,
        "variants": variants,
        # For a short channel: the wordings fewest others hold first, then the shortest.
        "shorter_variants": (
            plan.by_load(job.participant, shorter) if plan else sorted(shorter, key=len)
        ),
        "opening": opening,
        "asks_for_line": asks,
        "context_line": context_line,
        "context_pool": context_pool,
        "emoji": emoji,
        "sign_off": sign_off,
        "taken_as": {context_pool, sign_off, *([f"audience:{mine}"] if mine else [])} - {""},
    }


def _thought_leadership_parts(
    workspace: Workspace,
    job: DraftJob,
    person: PersonView,
    seed: str,
    history: str,
    as_list: bool,
    terse: bool,
) -> dict[str, Any]:
    brief = workspace.briefs[job.brief_id]
    section = brief.thought_leadership
    angle = section.angle.strip().rstrip(".") if section else ""
    notes = [_sentence(note) for note in job.notes]
    openers = pools.fresh(person.openers, history)
    if notes and ":" in notes[0][:60]:  # 'Opener: favourite question: …' reads badly
        openers = [o for o in openers if not o.endswith(":")]
    opener = pools.stable_pick(seed + "/opener", openers)
    claim = _framed(opener, notes[0]) if notes else ""
    rest = notes[1:]
    we = "we" if person.pronoun == "we" else "I"
    about = f" about {_lower_first(angle)}" if _WH_WORD.match(angle) else ""
    rest_as_list = as_list and len(rest) >= 2
    if terse or not rest:
        rest_lead_in = ""
    elif rest_as_list:
        count = _NUMBER_WORDS.get(len(rest), str(len(rest)))
        rest_lead_in = f"{count} more things {we} noticed{about}:"
    else:  # prose: the person's own paragraphs, no template sentence in between
        rest_lead_in = ""
    questions = list(section.questions) if section else []
    question = (
        pools.stable_pick(seed + "/question", questions)
        if questions
        else (f"What have you seen first-hand{about or ' about this'}?")
    )
    question = question.strip()
    if not question.endswith("?"):
        question = _sentence(question)
    sign_offs = [s for s in pools.fresh(person.sign_offs, history) if not s.strip().endswith("?")]
    # No notes yet: the draft asks for them, the first after the person's own opener, so even
    # the request reads as theirs.
    asks = [f"[Add your own observation: {q.strip()}]" for q in questions or [question]]
    asks[0] = _framed(opener, asks[0])
    return {
        "opener": opener,
        "asks": asks,
        "claim": claim,
        "rest_notes": rest,
        "rest_as_list": rest_as_list,
        "rest_lead_in": rest_lead_in,
        "question": _upper_first(question),
        "sign_off": pools.stable_pick(seed + "/sign-off", sign_offs),
    }


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
) -> dict[str, Any]:
    """Everything a template (or the LLM prompt) sees. ``history`` is the person's other posts,
    flattened: lines they already used are not offered again. ``taken``: per wording of the
    message, the lines this run already gave to others of the brief who share it. ``plan``:
    the brief's balanced wordings (variants.WordingPlan); without one, the hashed wording.
    ``wording``: the wording to draft with, chosen by the caller."""
    brief = workspace.briefs[job.brief_id]
    voice = workspace.voices[job.participant]
    person = person_view(voice)
    seed = f"{job.brief_id}/{job.participant}/{job.program}"
    channel = workspace.config.channel(brief.channel)
    section: Any = brief.section(job.program)
    message: str | None = None
    if job.program == "advocacy" and brief.advocacy is not None:
        opened = _opening(workspace, job, person, seed, history, plan)

        def own_for(wording: str) -> int:
            """What the person would add to ``wording``: their line and the lines around."""
            others = (taken or {}).get(wording, set())
            line, _, sign_off, _ = _lines_around(workspace, job, person, seed, history, others)
            return len(opened[0]) + len(line) + len(sign_off)

        if wording is not None:
            message = wording
        elif plan is not None:
            message = plan.choose(job.participant, _plan_key(*opened), own_for)
        else:
            message = message_for(brief, job.brief_id, job.participant)
        # Overrides that say {{ section.message }} get this person's wording too.
        section = _section_with(brief, message)

    def pick(options: Sequence[str]) -> str:
        return pools.stable_pick(seed, list(options))

    hashtags, limit = hashtags_for(workspace, job)
    notes = [_sentence(note) for note in job.notes]
    angle = getattr(section, "angle", "") or ""
    questions = list(getattr(section, "questions", []) or []) or [
        f"what have you seen first-hand about {angle[:1].lower() + angle[1:]}?"
    ]
    we = "we" if person.pronoun == "we" else "I"
    count = _NUMBER_WORDS.get(len(notes))
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
        "angle_sentence": _sentence(angle),
        "angle_sentence_lower": _sentence(_lower_first(angle)),
        "hashtags": hashtags,
        # The brief's own hashtags among them: the rest are the person's.
        "brief_tags": [
            t if t.startswith("#") else f"#{t}"
            for t in (brief.advocacy.hashtags if job.program == "advocacy" and brief.advocacy else [])
        ],
        "hashtag_limit": limit,
        # Layout (drafting/shaping.py picks it from the person's Voice Memory).
        "one_paragraph": False,
        "emoji_inline": False,
        "disclosure": disclosure_for(workspace, job),
        "channel_name": brief.channel,
        "channel": channel,
        "limit": channel.max_length if channel else None,
        "first_fitting": lambda candidates: first_fitting(
            candidates, channel.max_length if channel else None
        ),
        "wrap_each": lambda items, before, after: [f"{before}{item}{after}" for item in items],
    }
    if job.program == "advocacy":
        context.update(
            _advocacy_parts(workspace, job, person, seed, history, taken, message, plan)
        )
    else:
        context.update(
            _thought_leadership_parts(workspace, job, person, seed, history, as_list, terse)
        )
    return context


#: Briefs with up to this many participants get each wording measured against the drafts of
#: those already holding it (a handful of difflib comparisons a person); larger ones, where
#: that would cost seconds, go by the lengths of what each post adds (WordingPlan.choose).
MEASURED_UP_TO = 100


def post_body(text: str) -> str:
    """A post file's body: what follows its front matter."""
    if text.startswith("---"):
        parts = text.split("\n---", 2)
        if len(parts) == 3:
            return parts[2].lstrip("-").strip()
    return text.strip()


class TemplateEngine:
    name = "template"
    model = None

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.environment = make_environment(workspace)
        self.history = pools.History(workspace.root)
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
            drafts = self.history.drafts(job.brief_id, "advocacy") if len(variants) > 1 else {}
            held = {who: wording_in(text, variants) for who, text in drafts.items()}
            tags = brief.advocacy.hashtags if brief.advocacy else []
            link = brief.advocacy.link if brief.advocacy else None
            tail = len(link or "") + len(disclosure_for(self.workspace, job) or "")
            tail += sum(len(t) + 1 for t in tags) + PARAGRAPH_BREAKS
            plan = self.plans[job.brief_id] = WordingPlan(job.brief_id, variants, held, tail)
            people = len(brief_participants(brief, self.workspace.voices))
            plan.measured = 1 < len(variants) and people <= MEASURED_UP_TO
            for who, text in drafts.items():
                plan.texts.setdefault(held[who], {})[who] = post_body(text)
        return plan

    def _measured_wording(
        self,
        job: DraftJob,
        names: list[str],
        history: str,
        taken: dict[str, set[str]],
        plan: WordingPlan,
    ) -> str | None:
        """In a brief of a few dozen people: the wording whose draft is least like the drafts
        of those already holding it (difflib, as bench/draft_quality.py measures), among those
        nobody holds beside the same first line, the least held first among equals. None: the
        person keeps the wording their draft has, or the brief is too large to compare."""
        if plan.sticky(job.participant) or not plan.measured:
            return None
        order = plan.preference(job.participant)
        brief = self.workspace.briefs[job.brief_id]
        channel = self.workspace.config.channel(brief.channel)
        if channel is not None and channel.max_length <= SHORT_CHANNEL:
            order.append("")  # none: their line and the link, last among equals
        ranked = []
        for index, wording in enumerate(order):
            context = template_context(self.workspace, job, history, taken, plan, wording)
            text, _ = shaping.best(
                self.workspace, job, context, history, lambda c: render(self.environment, names, c)
            )
            used = wording_in(text, plan.variants)
            key = _plan_key(context["opening"], context["asks_for_line"])
            alike = plan.likeness(used, text, job.participant)
            ranked.append(
                (
                    plan.paired(wording, key),
                    max(0.0, alike - TOO_ALIKE),
                    plan.load(wording, job.participant) if wording else 1,
                    index,
                    wording,
                )
            )
        return min(ranked)[-1]

    def render(self, job: DraftJob) -> str:
        brief = self.workspace.briefs[job.brief_id]
        names = [f"{job.program}.{brief.channel}.md.j2", f"{job.program}.md.j2"]
        history = self.history.other_posts(job.participant, job.brief_id)
        taken = self.taken.setdefault(job.brief_id, {})
        plan = self._plan(job) if job.program == "advocacy" else None
        wording = self._measured_wording(job, names, history, taken, plan) if plan else None
        base = template_context(self.workspace, job, history, taken, plan, wording)
        text, context = shaping.best(
            self.workspace, job, base, history, lambda c: render(self.environment, names, c)
        )
        if plan is not None:  # the wording the template fitted, not always the chosen one
            key = _plan_key(base["opening"], base["asks_for_line"])
            own = sum(len(context[k] or "") for k in ("opening", "context_line", "sign_off"))
            plan.record(job.participant, wording_in(text, plan.variants), key, own, text)
            if context["asks_for_line"]:
                plan.asked.update(a for a in pools.ASK_LINES if a[:30] in base["opening"])
        if "taken_as" in context:
            # Two people sharing one wording never share the lines around it too.
            said = context["message"] if context["message"] in text else ""
            taken.setdefault(said, set()).update(context["taken_as"])
        self.history.record(job.participant, job.brief_id, text)
        return text
