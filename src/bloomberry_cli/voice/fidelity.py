"""The part of a post that is the person's own words, and its score.

One definition serves calibration and scoring alike, so a profile is learned from exactly the
words it is later asked to judge: links, the disclosure, the company's message (every variant),
the brief's hashtags and angle, and the drafting templates' own stock lines are not the
person's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bloomberry_cli.models.voice import Voice
from bloomberry_cli.posts import Post
from bloomberry_cli.voice.score import VoiceScore, score_text
from bloomberry_cli.workspace import Workspace

_URL = re.compile(r"(?:https?://|www\.)\S+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
# The lines bb's drafting writes around a person's words. drafting/pools.py picks from these
# pools; they live here, below drafting, so that scoring and calibration (which never import
# drafting) know them as bb's words, not the person's. {team}, {role} and {audience} are
# filled from the voice file ({role} with its article, 'a Staff Engineer'; lines naming {team}
# only for people who have one). tests/test_voice_ownwords.py renders every one and checks that
# none survives in a person's own words.
FRAMING_LINES: dict[str, tuple[str, ...]] = {
    "talent": (
        "I talk to candidates every day, and this is the kind of news they ask about.",
        "From the {team} side: this is the sort of thing I'd want to hear as a candidate.",
        "Passing this on from the {team} team, because people ask me about it.",
    ),
    "customer": (
        "Passing this on from the {team} side, because it comes up on my calls.",
        "I'll be pointing the people I work with to this one.",
        "From where I sit in {team}, this is news worth passing on.",
    ),
    "security": (
        "From the {team} side, this is the part of the work I'm proudest of.",
        "Speaking as someone in {team}: this took real, unglamorous work.",
        "I work in {team}, so I know what went into this one.",
    ),
    "engineering": (
        "As an engineer, I care about how this was done, not just that it was.",
        "From the {team} side: this was built with care.",
        "Speaking as {role}: the details here matter.",
    ),
    "marketing": (
        "I get to tell a lot of our stories; this is one I'm glad to share myself.",
        "From the {team} side: this is one I'm proud to pass on.",
    ),
    "leadership": (
        "Building this company, this is the kind of moment I keep coming back to.",
        "Speaking as {role}: moments like this are why we do the work.",
        "As {role}, I'm proud of the team behind this one.",
    ),
    "other": (
        "Speaking as {role}: this one is worth passing on.",
        "From the {team} side, this is news I'm glad to share.",
        "I'm sharing this as {role}, because it matters to the work I do.",
        # Lines naming neither: many people of one role without a team (whose team lines are
        # left out) still get lines of their own.
        "This one is worth your time, and I don't say that about every announcement.",
        "Passing this on because I think people in my network should see it.",
    ),
}
#: In place of the role's lines above on a brief about hiring (most presume news of something
#: done: "this took real, unglamorous work" on a job post reads as a template). A recruiter
#: keeps their "talent" lines, which are about candidates, and everyone the "other" ones.
HIRING_LINES: tuple[str, ...] = (
    "From the {team} side: these are the people I'd get to work with.",
    "Speaking as someone in {team}: this is a team worth joining.",
    "I work in {team}, and I'd tell a friend to apply.",
    "From where I sit in {team}, good people make all the difference.",
    "If you'd like to work alongside the {team} team, this is your chance.",
    "I'd love more good people around me in {team}.",
    "Speaking as {role}: I'd be glad to work with whoever fills these roles.",
    "As {role}, I know how much the next few hires will shape this place.",
)
AUDIENCE_LINES: tuple[str, ...] = (
    "If you're one of the {audience}, this is worth knowing.",
    "For {audience}: this one matters.",
    "Worth a look if you're among the {audience}.",
    "Sharing this with the {audience} in mind.",
)
#: Stock lines of the templates themselves (templates/*.md.j2 and template_engine.py).
_TEMPLATE_LINES = (
    r"Sharing this one\.",
    r"Worth a look\.",
    r"(?:Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d+) (?:more )?things (?:I|we) noticed"
    r"(?: about [^\n]*?)?:",
    r"What (?:I|we) noticed:",
)
_FIELD = re.compile(r"\{\w+\}")


def _stock_pattern(line: str) -> str:
    """A pool line as a pattern: its words exactly, any text where a field goes."""
    return "[^\n]*?".join(re.escape(part) for part in _FIELD.split(line))


_STOCK = [_stock_pattern(line) for lines in FRAMING_LINES.values() for line in lines]
_STOCK += [_stock_pattern(line) for line in HIRING_LINES]
_STOCK += [_stock_pattern(line) for line in AUDIENCE_LINES]
TEMPLATE_FILLER = (
    # A stock line is bb's wherever it starts a line (an emoji after it stays the person's).
    re.compile(r"^[ \t]*(?:" + "|".join([*_TEMPLATE_LINES, *_STOCK]) + ")", re.I | re.M),
    # Placeholders asking the person for their own words: not theirs yet.
    re.compile(r"\[Add your own [^\]\n]*\]", re.I),
)


@dataclass(frozen=True)
class CompanyWords:
    """What a brief puts into a post that is not the person's: matched ignoring case and
    line breaks, removed wherever it appears."""

    messages: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    disclosure: str | None = None
    angle: str | None = None
    questions: tuple[str, ...] = ()


def _phrase_pattern(text: str) -> re.Pattern[str] | None:
    """``text`` matched word for word, any run of spaces or line breaks between words."""
    words = text.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.I)


def _remove(text: str, phrases: Iterable[str]) -> str:
    # Longest first: a variant that contains another must go whole.
    for phrase in sorted({p for p in phrases if p and p.strip()}, key=len, reverse=True):
        pattern = _phrase_pattern(phrase)
        if pattern is not None:
            text = pattern.sub(" ", text)
    return text


def own_words(text: str, company: CompanyWords = CompanyWords()) -> str:
    """``text`` without what is not the person's own: paragraphs and lines are kept, since
    how someone lays a post out is part of their voice."""
    text = _URL.sub(" ", text)
    for filler in TEMPLATE_FILLER:
        text = filler.sub(" ", text)
    angle = [company.angle, company.angle.rstrip(".") + "."] if company.angle else []
    disclosure = [company.disclosure] if company.disclosure else []
    text = _remove(text, [*company.messages, *disclosure, *angle, *company.questions])
    for tag in company.hashtags:
        bare = tag.lstrip("#")
        if bare:
            text = re.sub(rf"(?<![\w#])#{re.escape(bare)}\b", " ", text, flags=re.I)
    lines = [line.strip() for line in text.split("\n")]
    # A line left with nothing but punctuation (the colon after a removed angle) goes too.
    lines = ["" if not re.search(r"[^\W_]", line) else line for line in lines]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def brief_messages(advocacy: object) -> list[str]:
    """The company message and its variants (``message:`` and, where briefs have it,
    ``messages:``)."""
    found: list[str] = []
    for name in ("message", "messages"):
        value = getattr(advocacy, name, None)
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list | tuple):
            found += [v if isinstance(v, str) else str(getattr(v, "text", "") or "") for v in value]
    return [m for m in found if m.strip()]


def company_words(workspace: Workspace, post: Post) -> CompanyWords:
    config = workspace.config
    disclosure = config.disclosure.text.format(company=config.company.name)
    brief = workspace.briefs.get(post.meta.brief)
    if brief is None:
        return CompanyWords(disclosure=disclosure)
    advocacy, thought = brief.advocacy, brief.thought_leadership
    return CompanyWords(
        messages=tuple(brief_messages(advocacy)) if advocacy else (),
        hashtags=tuple(advocacy.hashtags) if advocacy else (),
        disclosure=disclosure,
        angle=thought.angle if thought else None,
        questions=tuple(thought.questions) if thought else (),
    )


def post_own_words(workspace: Workspace, post: Post) -> str:
    """The words of a post that should sound like its participant."""
    return own_words(post.body, company_words(workspace, post))


def score_post(workspace: Workspace, post: Post) -> VoiceScore | None:
    """None when the participant has no Voice Memory yet."""
    voice = workspace.voices.get(post.meta.participant)
    return None if voice is None else score_as(post_own_words(workspace, post), voice)


@dataclass(frozen=True)
class VoiceFit:
    """A score and what the workspace's policy makes of it. Below ``min_words`` of the
    person's own words the score is shown but not judged. On the development sets
    (`bench/voice_eval.py --short`), runs of a person's own sentences fall under the
    threshold one time in three at 10–14 words and one in four to three at 15–19, against
    one in five at 20–24 and one in twenty-five for whole posts; a colleague's pass about
    one time in fifteen at any length. A warning that fires on a third of the person's own
    texts teaches reviewers to ignore it."""

    score: VoiceScore
    threshold: int
    min_words: int

    @property
    def judged(self) -> bool:
        return self.score.words >= self.min_words

    @property
    def below(self) -> bool:
        return self.judged and self.score.score < self.threshold


def fit_post(workspace: Workspace, post: Post) -> VoiceFit | None:
    """The post's score judged by ``lint.voice_threshold`` and ``lint.voice_min_words``;
    None when the participant has no Voice Memory yet."""
    scored = score_post(workspace, post)
    if scored is None:
        return None
    lint = workspace.config.lint
    return VoiceFit(scored, lint.voice_threshold, lint.voice_min_words)


def score_as(text: str, voice: Voice) -> VoiceScore | None:
    """``text`` against the person's Voice Memory as `bb lint` scores it: with the lines their
    style: declares as theirs. None when they have no Voice Memory yet."""
    if voice.memory is None:
        return None
    return score_text(text, voice.memory, voice.name, declared_lines(voice))


def declared_lines(voice: Voice) -> list[str]:
    """The lines a voice file's style: gives as the person's own: intro, openers, sign-offs."""
    style = voice.style
    return [line for line in (style.intro, *style.openers, *style.sign_offs) if line]
