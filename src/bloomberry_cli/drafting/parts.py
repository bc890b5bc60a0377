"""The lines of a template draft: the person's view, their opening, the wording and the
lines around it for advocacy, the claim and notes for thought leadership. What the templates
see (template_engine.template_context puts these together)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bloomberry_cli.drafting import pools, sentences
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.drafting.variants import WordingPlan, message_for
from bloomberry_cli.models import Brief, Voice
from bloomberry_cli.workspace import Workspace

NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_WH_WORD = re.compile(r"^(how|what|why|when|where|which|who)\b", re.I)


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


def person_view(voice: Voice, brief: Brief | None = None) -> PersonView:
    """The style fields, filled in from Voice Memory where the person left them empty. For a
    ``brief``: only the intro, openers and sign-offs that suit it (``pools.fits_brief``)."""
    style = voice.style
    memory = voice.memory
    openers = style.openers or [o for o in (memory.openers if memory else []) if o.endswith(":")]
    sign_offs = style.sign_offs or list(memory.sign_offs if memory else [])
    intro = style.intro
    if brief is not None:
        openers = [line for line in openers if pools.fits_brief(line, brief)]
        sign_offs = [line for line in sign_offs if pools.fits_brief(line, brief)]
        intro = intro if intro and pools.fits_brief(intro, brief) else None
    emoji = style.emoji or (list(memory.emoji) if memory and memory.habits.emoji.mean else [])
    avoid = [*style.avoid, *(memory.removed_phrases if memory else [])]
    return PersonView(
        voice.name,
        voice.first_name,
        voice.role,
        style.pronoun,
        style.tone,
        intro,
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
    seen: set[str] = set()  # not rebuilt per tag: quadratic on a voice file of 30,000
    for tag in [*wanted, *own]:
        tag = tag if tag.startswith("#") else f"#{tag}"
        if tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return (tags[:limit] if limit else tags), limit


def disclosure_for(workspace: Workspace, job: DraftJob) -> str | None:
    rules = workspace.config.disclosure
    if job.program not in rules.programs:
        return None
    return rules.text.format(company=workspace.config.company.name)


def opening_line(
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
        return sentences.sentence(job.take), False
    intro = pools.stable_pick(seed, pools.fresh([person.intro or ""], history))
    if intro and not (plan and plan.opened_by_others(intro, job.participant)):
        return intro, False
    # Neither a take nor an unused intro: ask the person, and lint blocks it until then.
    role = pools.as_role(workspace.voices[job.participant].role)
    asked = plan.asked if plan else set()
    previous = plan.on_disk.get(job.participant, "") if plan else ""
    kept = [ask for ask in pools.ASK_LINES if ask.format(role=role) in previous]
    ask = kept[0] if kept else pools.spread_pick(seed + "/ask", pools.ASK_LINES, asked)
    return ask.format(role=role), True


def plan_key(opening: str, asks: bool) -> str:
    """What makes two first lines alike for spreading wordings: requests for the person's
    line all read alike, whatever they ask."""
    return "[asks for a line]" if asks else opening


#: The blank lines every advocacy post has between its parts (two characters each): shared.
PARAGRAPH_BREAKS = 2 * 5


#: Channels this short have room for the person's line and one wording, rarely more: there a
#: wording is drafted for one person of the brief only, and the others post their own line and
#: the link (whose preview carries the news), or two posts would be one wording and a line.
SHORT_CHANNEL = 300


def same_opening(opening: str) -> str:
    """The key under which ``taken`` keeps the lines of people with this first line."""
    return "opening:" + " ".join(opening.lower().split())


def short_channel(workspace: Workspace, job: DraftJob) -> bool:
    channel = workspace.config.channel(workspace.briefs[job.brief_id].channel)
    return channel is not None and channel.max_length <= SHORT_CHANNEL


def lines_in(voice: Voice, text: str) -> set[str]:
    """What of a person's pools a draft of theirs carries, as ``taken`` records it."""
    person = person_view(voice)
    audience = person.audience or ""
    found = {
        pool
        for hiring in (False, True)
        for group in pools.context_lines(voice, audience or None, hiring)
        for pool, line in group
        if line in text
    }
    found.update(line for line in person.sign_offs if line and line in text)
    if audience and audience in text:
        found.add(f"audience:{audience}")
    return found


class LinesAround:
    """(context line, its pool line, sign-off, the audience named) for one draft, called with
    the lines others sharing its wording have (``others``), their draft on disk
    (``previous``: a line it has they keep, so a rerun changes nothing that need not change)
    and the lines before the sign-off (``said``: their line, the wording; where one ends on a
    question, a sign-off that is a question too is left out). What does not depend on
    them (the person's pools, less what their other posts carry) is worked out once, since a
    brief's wording plan asks again for every wording it weighs."""

    def __init__(
        self, workspace: Workspace, job: DraftJob, person: PersonView, seed: str, history: str
    ) -> None:
        brief = workspace.briefs[job.brief_id]
        self.voice = workspace.voices[job.participant]
        self.person = person
        self.seed = seed
        self.history = history
        topic_keys = pools.brief_topic_keys(brief)
        self.audience = person.audience or ""
        self.on_topic = bool(self.audience) and (
            not topic_keys or pools.on_topic(self.audience, topic_keys)
        )
        self._fresh: dict[tuple[str | None, str], list[list[tuple[str, str]]]] = {}
        self._usable = pools.fresh(person.sign_offs, history)
        self.hiring = pools.about_hiring(brief)

    def _fresh_groups(self, mine: str | None, start: str) -> list[list[tuple[str, str]]]:
        """The pool lines the person's other posts do not carry, less those opening on
        ``start``: the word the person's own line opens on ('Sharing because…' and 'Sharing
        this with…' in one post read as a form)."""
        key = (mine, start)
        groups = self._fresh.get(key)
        if groups is None:
            groups = self._fresh[key] = [
                [
                    (pool, line)
                    for pool, line in group
                    if pools.fresh([line], self.history)
                    and not (start and pools.first_word(line) == start)
                ]
                for group in pools.context_lines(self.voice, mine, self.hiring)
            ]
        return groups

    def __call__(
        self, others: set[str], previous: str = "", said: Sequence[str] = ()
    ) -> tuple[str, str, str, str | None]:
        audience = self.audience
        # Two people sharing a wording and an audience (one voice file copied from the
        # other's) get lines framed by their roles instead.
        ours = f"audience:{audience}" not in others or (previous and audience in previous)
        mine = audience if self.on_topic and ours else None
        groups = self._fresh_groups(mine, pools.first_word(said[0]) if said else "")
        # Two people who share a wording never share the line around it too; the line is bb's
        # framing (from their role or audience), so it counts nothing towards their voice.
        # A line their draft on disk has they keep, though another post of theirs has it too
        # by now (a draft asking for their line does not use its lines up, so the next
        # brief's draft may take them).
        every = pools.context_lines(self.voice, mine, self.hiring)
        kept = [line for group in every for _, line in group if previous and line in previous]
        context_line = kept[0] if kept else pools.spread_line(self.seed + "/line", groups, others)
        context_pool = next(
            (pool for group in every for pool, line in group if line == context_line), ""
        )
        # Their sign-off, unless everyone sharing their wording already signs off with it (a
        # voice file copied from a colleague's): a post without one reads fine, a copy does
        # not. Where their line or the wording ends on a question, no sign-off that is one.
        asking = any(pools.ends_asking(line) for line in said)
        own = [s for s in self.person.sign_offs if not (asking and pools.ends_asking(s))]
        usable = [s for s in self._usable if not (asking and pools.ends_asking(s))]
        sign_offs = _kept(own, previous) or [line for line in usable if line not in others]
        sign_off = pools.stable_pick(self.seed + "/sign-off", sign_offs)
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
        free = (plan.measured and wording == message) or not plan.load(wording, job.participant)
        if wording and fits and free:
            return wording
    return ""


def advocacy_parts(
    workspace: Workspace,
    job: DraftJob,
    person: PersonView,
    seed: str,
    history: str,
    taken: dict[str, set[str]] | None = None,
    message: str | None = None,
    plan: WordingPlan | None = None,
    around: LinesAround | None = None,
) -> dict[str, Any]:
    """``taken``: wording → the lines others sharing that wording got in this run.
    ``message``: the wording chosen for the person (by default their hashed one). ``plan``:
    who holds which wording, so a shorter one for a short channel is the least held.
    ``around``: the person's ``LinesAround`` for this draft, where the caller has one."""
    brief = workspace.briefs[job.brief_id]
    opening, asks = opening_line(workspace, job, person, seed, history, plan)
    if message is None:
        message = message_for(brief, job.brief_id, job.participant) or ""
    variants = brief.advocacy.variants if brief.advocacy else []
    short = short_channel(workspace, job)
    shorter = [v for v in variants if len(v) < len(message)]
    if short and plan is not None:
        message = _short_channel_wording(workspace, job, opening, message, plan)
        shorter = []
    # The lines others have around the same wording, or beside the same first line (two
    # people given one take, or one voice file copied for both): theirs must differ.
    others = (
        (taken.get(message, set()) | taken.get(same_opening(opening), set())) if taken else set()
    )
    previous = plan.on_disk.get(job.participant, "") if plan else ""
    around = around or LinesAround(workspace, job, person, seed, history)
    context_line, context_pool, sign_off, mine = around(others, previous, (opening, message))
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


def _kept(options: list[str], previous: str, *, opening: bool = False) -> list[str]:
    """The options the person's draft on disk carries where it puts them: a sign-off ending a
    line, an opener (``opening``) starting one. Anywhere was too loose: a note of theirs
    saying 'Onward.' mid-line kept that sign-off beside the one the draft had, and the rerun
    picked between the two (a draft that changed with no input changed)."""
    if not previous:
        return []
    lines = "\n" + "\n".join(line.strip() for line in previous.splitlines()) + "\n"
    found = []
    for option in options:
        text = option.strip()
        if text and ((f"\n{text}" if opening else f"{text}\n") in lines):
            found.append(option)
    return found


def thought_leadership_parts(
    workspace: Workspace,
    job: DraftJob,
    person: PersonView,
    seed: str,
    history: str,
    as_list: bool,
    terse: bool,
    previous: str = "",
) -> dict[str, Any]:
    """``previous``: the person's draft of this post on disk. An opener or sign-off it has
    they keep, though another post of theirs has it too by now (a draft asking for their
    notes does not use its lines up, so the next brief's draft may take them): a rerun
    changes nothing that need not change."""
    brief = workspace.briefs[job.brief_id]
    section = brief.thought_leadership
    angle = section.angle.strip().rstrip(".") if section else ""
    notes = [sentences.sentence(note) for note in job.notes]
    openers = _kept(person.openers, previous, opening=True) or pools.fresh(person.openers, history)
    if notes and ":" in notes[0][:60]:  # 'Opener: favourite question: …' reads badly
        openers = [o for o in openers if not o.endswith(":")]
    opener = pools.stable_pick(seed + "/opener", openers)
    names = sentences.known_names(workspace, notes)
    claim = sentences.framed(opener, notes[0], names) if notes else ""
    rest = notes[1:]
    we = "we" if person.pronoun == "we" else "I"
    about = f" about {sentences.lower_first(angle)}" if _WH_WORD.match(angle) else ""
    rest_as_list = as_list and len(rest) >= 2
    if terse or not rest:
        rest_lead_in = ""
    elif rest_as_list:
        count = NUMBER_WORDS.get(len(rest), str(len(rest)))
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
        question = sentences.as_sentence(question)
    sign_offs = _kept(person.sign_offs, previous) or pools.fresh(person.sign_offs, history)
    sign_offs = [s for s in sign_offs if not s.strip().endswith("?")]
    # No notes yet: the draft asks for them, the first after the person's own opener, so even
    # the request reads as theirs.
    asks = [f"[Add your own observation: {q.strip()}]" for q in questions or [question]]
    asks[0] = sentences.framed(opener, asks[0])
    return {
        "opener": opener,
        # The person's notes as sentences (a note typed in lower case still starts a line).
        "notes": notes,
        "asks": asks,
        "claim": claim,
        "rest_notes": rest,
        "rest_as_list": rest_as_list,
        "rest_lead_in": rest_lead_in,
        "question": sentences.upper_first(question),
        "sign_off": pools.stable_pick(seed + "/sign-off", sign_offs),
    }
