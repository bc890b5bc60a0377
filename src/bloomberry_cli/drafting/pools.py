"""The personal lines of a draft: chosen per brief from pools, fitted to the brief's topics,
never repeating what the person already posted.

A person's intro or sign-off recycled on every campaign reads as a template ("Grateful to the
team that made it real" on a job post). So each line is picked from a pool (the person's own
style and Voice Memory first, then lines framed by their role), leaving out any the person's
other posts already carry, and audience lines and hashtags only where the brief's topics are
about that audience.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence

from bloomberry_cli.models import Brief, Voice
from bloomberry_cli.voice import fidelity

_WORD = re.compile(r"[a-z0-9]+")

#: Words that go with a campaign topic: an audience or hashtag naming one of them is on topic.
TOPIC_WORDS: dict[str, str] = {
    "hiring": "hiring hire hires candidates careers jobs talent recruiting roles engineers "
    "designers interview join",
    "careers": "careers jobs candidates hiring talent",
    "culture": "culture people values workplace team",
    "security": "security infosec ciso risk threats vendors buyers trust privacy",
    "soc2": "soc2 audit compliance security trust vendors buyers customers",
    "compliance": "compliance audit auditors regulation risk governance vendors buyers",
    "privacy": "privacy data protection gdpr security",
    "product": "product customers users launch features",
    "launch": "launch product customers users",
    "customers": "customers customer users onboarding success support",
    "funding": "funding investors founders growth",
    "engineering": "engineering engineers developers platform backend infrastructure",
    "ai": "ai ml machine learning data",
}

#: Role kinds, by words in the person's role, team or tags; the first that matches wins.
ROLE_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("talent", ("recruit", "talent", "people", "hr")),
    ("customer", ("customer", "success", "support", "account", "sales", "solution")),
    ("security", ("security", "ciso", "compliance", "risk", "trust")),
    ("engineering", ("engineer", "developer", "platform", "sre", "devops", "architect", "cto")),
    ("marketing", ("marketing", "brand", "content", "communications")),
    ("leadership", ("ceo", "founder", "chief", "president", "vp", "head", "director")),
]

#: Lines that frame a share from where the person sits, the ones for a brief about hiring, and
#: lines for the person's audience. They live in voice/fidelity.py, which must know them as
#: bb's words when it scores a post.
FRAMING = fidelity.FRAMING_LINES
HIRING_LINES = fidelity.HIRING_LINES
AUDIENCE_LINES = fidelity.AUDIENCE_LINES
#: Topics that make a brief a call for people rather than news of something done.
HIRING_TOPICS = frozenset({"hiring", "careers", "recruiting", "jobs", "talent"})


def stable_pick(seed: str, options: Sequence[str]) -> str:
    """A deterministic choice per person and post, so voices differ but reruns do not."""
    if not options:
        return ""
    digest = hashlib.sha256(f"{seed}/{'|'.join(options)}".encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def spread_pick(seed: str, options: Sequence[str], taken: set[str]) -> str:
    """Like ``stable_pick``, but skipping options others already took while any is left."""
    free = [option for option in options if option not in taken]
    return stable_pick(seed, free or options)


def _key(word: str) -> str:
    """A crude stem: 'engineers' and 'engineering', 'designers' and 'design' share one."""
    return word[:5]


_TOPIC_KEYS: dict[int, tuple[Brief, frozenset[str]]] = {}


def brief_topic_keys(brief: Brief) -> frozenset[str]:
    """The brief's topics and the words that go with them, computed once per brief."""
    cached = _TOPIC_KEYS.get(id(brief))
    if cached is not None and cached[0] is brief:
        return cached[1]
    words: set[str] = set()
    for topic in brief.topics:
        lowered = topic.lower()
        words.update(_WORD.findall(lowered))
        words.add(lowered.replace(" ", "").replace("-", ""))
        words.update(TOPIC_WORDS.get(lowered, "").split())
    keys = frozenset(_key(word) for word in words if len(word) > 1)
    _TOPIC_KEYS[id(brief)] = (brief, keys)
    return keys


# Asked the same question for every wording a person might get: a brief's wording plan tries
# several. (Short texts only: an audience or a hashtag against the brief's topics.)
@functools.lru_cache(maxsize=8192)
def on_topic(text: str, topic_keys: frozenset[str]) -> bool:
    """Whether ``text`` (an audience, a hashtag) names something the brief is about."""
    lowered = text.lower().lstrip("#")
    if any(_key(word) in topic_keys for word in _WORD.findall(lowered) if len(word) > 1):
        return True
    # '#engineeringjobs': a hashtag glues its words together.
    return any(len(key) >= 4 and key in lowered for key in topic_keys)


def role_kind(voice: Voice) -> str:
    haystack = " ".join([voice.role, voice.team or "", *voice.tags]).lower()
    words = _WORD.findall(haystack)
    for kind, stems in ROLE_KINDS:
        if any(word.startswith(stem) for word in words for stem in stems):
            return kind
    return "other"


def framing_lines(voice: Voice) -> list[str]:
    return [line for _, line in context_lines(voice, None)[0]]


def about_hiring(brief: Brief) -> bool:
    return any(topic.lower() in HIRING_TOPICS for topic in brief.topics)


# A person's own intro, opener or sign-off is written for some kind of post: one celebrating
# something done ("Grateful to the team that made it real.") or asking peers how they work
# ("Curious how others handle this.") reads wrong on a job post, one speaking to candidates
# ("Recruiter hat on.") reads wrong on anything else.
_NEWS_LINE = re.compile(
    r"\b(made (it|this) (real|happen)|milestones?|shipped|launched|proud|congrat\w*|"
    r"celebrat\w*|achiev\w*|earned|took (real )?work|pulled (it|this) off|finally|"
    r"(the )?team (that|behind|who))\b",
    re.IGNORECASE,
)
_PEERS_LINE = re.compile(
    r"\b(how (do )?others|others (handle|do|solve|approach)|(your|other) teams? (is |are )?"
    r"(seeing|doing|handling)|how (do|does|would) (you|your team) (handle|approach|solve)|"
    r"what['’]?s working (for you|on your)|what are you seeing)\b",
    re.IGNORECASE,
)
_HIRING_LINE = re.compile(
    r"\b(hiring|hires?|hired|candidates?|recruit\w*|to join(?!\s*\w)|join (the|our) team|"
    r"open roles?|apply|applicants?|jobs?|careers?|interview\w*)\b",
    re.IGNORECASE,
)


def fits_brief(line: str, brief: Brief) -> bool:
    """Whether a line of the person's own suits a post on this brief: on a brief about hiring,
    no line celebrating something done or asking peers how they work (unless it speaks of
    hiring too); on any other brief, no line speaking to candidates. A brief without topics
    cannot say what it is about: every line fits."""
    if not brief.topics:
        return True
    kind = _line_kind(line)
    return kind not in ("news", "peers") if about_hiring(brief) else kind != "hiring"


@functools.lru_cache(maxsize=4096)  # a person's lines, asked about for each of their drafts
def _line_kind(line: str) -> str:
    """'hiring' for a line speaking to candidates, 'news' for one celebrating something
    done, 'peers' for one asking peers how they work, '' for any other."""
    if _HIRING_LINE.search(line):
        return "hiring"
    if _NEWS_LINE.search(line):
        return "news"
    return "peers" if _PEERS_LINE.search(line) else ""


ContextLines = tuple[tuple[tuple[str, str], ...], ...]
_CONTEXT_LINES: dict[tuple[int, str | None, bool], tuple[Voice, ContextLines]] = {}


def context_lines(voice: Voice, audience: str | None, hiring: bool = False) -> ContextLines:
    """(pool line, as filled in) for the person, in the order they are offered: lines for
    their audience where one is given, lines framed by their role and team, then the
    role-neutral ones (so many people of one role still get lines of their own); on a brief
    about hiring, lines for a job post instead of the role's. Computed once per person,
    audience and kind of brief: a brief's wording plan asks several times a draft."""
    key = (id(voice), audience, hiring)
    cached = _CONTEXT_LINES.get(key)
    if cached is not None and cached[0] is voice:
        return cached[1]
    groups = tuple(tuple(group) for group in _context_lines(voice, audience, hiring))
    _CONTEXT_LINES[key] = (voice, groups)
    return groups


#: Titles written without an article: 'as VP Security', 'as Founder & CEO', 'as Head of
#: Design'. Any other role takes one: 'as a Staff Engineer', 'as an Account Executive'.
_TITLE_WORDS = frozenset(
    "vp svp evp avp head chief founder co-founder cofounder ceo cto cfo coo cio ciso cmo cpo "
    "cro president director managing general a an the".split()
)
#: Letters whose name starts with a vowel sound: 'an SRE', 'an HR partner', 'a UX designer'.
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")


def as_role(role: str) -> str:
    """The role as it reads after 'as': with its article, unless it is a title."""
    role = role.strip()
    first = role.split()[0] if role else ""
    # 'CEO/Founder', 'Co-Founder/CEO': titles too.
    if not first or first.lower().rstrip(",").split("/")[0] in _TITLE_WORDS:
        return role
    # An acronym is read letter by letter, typed in capitals ('SRE') or, without a vowel, not
    # ('hr': 'an hr', not 'a hr').
    if first.isupper() or (first.isalpha() and not set(first.lower()) & set("aeiouy")):
        vowel = first[0].upper() in _VOWEL_LETTERS
    else:
        lowered = first.lower()
        vowel = (
            (lowered[0] in "aeio" and not lowered.startswith(("eu", "one")))  # 'a European'
            or (lowered[0] == "u" and not lowered.startswith(("uni", "use", "usu", "uti", "ur")))
            or lowered.startswith(("hour", "honest", "honor", "honour", "heir"))  # silent h
        )
    return f"{'an' if vowel else 'a'} {role}"


def _context_lines(voice: Voice, audience: str | None, hiring: bool) -> list[list[tuple[str, str]]]:
    # 'customer-success' reads 'customer success'; a team of dashes is no team ('I work in  ,').
    team = " ".join((voice.team or "").replace("-", " ").replace("_", " ").split())
    role = as_role(voice.role)
    kind = role_kind(voice)
    if hiring:
        sources = [HIRING_LINES, FRAMING["other"]]  # the role-neutral lines fit a job post too
        if kind == "talent":
            sources.insert(0, FRAMING["talent"])
    else:
        sources = [FRAMING[each] for each in ([kind] if kind == "other" else [kind, "other"])]
    # Without a team, a line naming one would name the role instead ('Speaking as someone in
    # Founder & CEO'): only the lines that need no team.
    groups = [
        [(line, line.format(team=team, role=role)) for line in pool if team or "{team}" not in line]
        for pool in sources
    ]
    if audience:
        groups.insert(0, [(line, line.format(audience=audience)) for line in AUDIENCE_LINES])
    return groups


def ends_asking(line: str) -> bool:
    r"""Whether a line ends asking readers something ('Who should we meet? 👇'): a sign-off
    that is a question too would close the post on a second one. A question mark among the
    characters after the last word (a scan, not a pattern: r'\?\W*$' takes quadratic time
    on a take of question marks, and briefs come from pull requests)."""
    end = len(line)
    while end and not (line[end - 1].isalnum() or line[end - 1] == "_"):
        end -= 1
    return "?" in line[end:]


@functools.lru_cache(maxsize=4096)  # the pool lines, asked about once per draft each
def first_word(line: str) -> str:
    """The first word of a line, where it is long enough for a repeat to show."""
    found = re.match(r"[^\W\d_]+", line.strip())
    return found.group().lower() if found and len(found.group()) >= 4 else ""


def spread_line(seed: str, groups: Sequence[Sequence[tuple[str, str]]], taken: set[str]) -> str:
    """A filled-in line whose pool line nobody in ``taken`` has (two people with different
    audiences still must not both get 'Worth a look if you're among the …'), from the first
    group with one free; none when every one is taken, since a repeated line makes two posts
    more alike, not less."""
    for group in groups:
        free = [filled for pool, filled in group if pool not in taken]
        if free:
            return stable_pick(seed, free)
    return ""


def flat(text: str) -> str:
    """Lower case, one space between words: how drafts are compared with lines and wordings."""
    return " ".join(text.lower().split())


def fresh(options: Sequence[str], history: str) -> list[str]:
    """The options the person's other posts do not already carry."""
    return [option for option in options if option.strip() and flat(option) not in history]


#: What a draft asks where the person gave neither a take nor an unused intro: varied, so the
#: requests of people sharing a wording do not make their drafts alike.
ASK_LINES = (
    "[Add your own line: why this matters to you as {role}]",
    "[Add your own line: what you saw of this first-hand as {role}]",
    "[Add your own line: who you work with that should see this, and why]",
    "[Add your own line: one thing this changes in your work as {role}]",
)

#: A draft still asking for the person's words (templates write "[Add your own …]").
ASKING = "[add your own"
