"""The sentences of a draft: a line of the person's made to stand as a sentence, an opener
used as a sentence frame, and the first of several candidates that fits the channel."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bloomberry_cli.workspace import Workspace

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
#: Where a first word ends: "Acme's staging" → "Acme".
_WORD_END = re.compile(r"[\s'’]")
#: A capitalised word inside a sentence (not after its end): a name wherever it stands.
_MID_SENTENCE_NAME = re.compile(r"(?<![.!?:]) ([A-Z][\w'’-]*)")


def as_sentence(text: str) -> str:
    """Ends in terminal punctuation, once: '…right."' stays as it is."""
    text = text.strip()
    return text if _SENTENCE_END.search(text) else text + "."


def lower_first(text: str, names: frozenset[str] = frozenset()) -> str:
    """'How the audit…' → 'how the audit…', leaving acronyms ('SOC 2 taught…'), words with a
    capital inside ('GitHub') and ``names`` ('Acme Security's staging…') alone."""
    if not (len(text) > 1 and text[0].isupper() and text[1].islower()):
        return text
    first = _WORD_END.split(text, maxsplit=1)[0]
    if first in names or any(c.isupper() for c in first[1:]):
        return text
    return text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    """A capital first, unless the first word is written as it must be: a link
    ('https://…', 'www.…'), an address ('alice@example.com') or a word with a capital inside
    ('iPhone', 'eBay')."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if "://" in first or "@" in first or first.lower().startswith("www."):
        return text
    if any(c.isupper() for c in first[1:]):
        return text
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """A line of the person's that stands as a sentence of its own: a capital first, a stop
    last ('made prod access expire by default' → 'Made prod access expire by default.')."""
    return upper_first(as_sentence(text))


def known_names(workspace: Workspace, texts: Sequence[str]) -> frozenset[str]:
    """Words that are names, so a frame does not lower them: the company's, any word
    ``texts`` capitalise inside a sentence, and a first word that names someone in the
    workspace ('Alice caught it first.')."""
    found = set(workspace.config.company.name.split())
    people = _people(workspace)
    for text in texts:
        found.update(_MID_SENTENCE_NAME.findall(text))
        first = _WORD_END.split(text, maxsplit=1)[0]
        if first in people:
            found.add(first)
    return frozenset(found)


_PEOPLE: list[tuple[object, frozenset[str]]] = []


def _people(workspace: Workspace) -> frozenset[str]:
    """The words of everyone's name, once per workspace: asked for every draft."""
    voices = workspace.voices
    if _PEOPLE and _PEOPLE[0][0] is voices:
        return _PEOPLE[0][1]
    names = frozenset(word for voice in voices.values() for word in voice.name.split())
    _PEOPLE[:] = [(voices, names)]
    return names


def framed(opener: str, line: str, names: frozenset[str] = frozenset()) -> str:
    """The opener as a sentence frame: 'Unpopular opinion: most access reviews…'."""
    if not opener:
        return line
    if opener.endswith(":"):
        return f"{opener} {lower_first(line, names)}"
    return f"{as_sentence(opener)} {line}"


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
