"""The LLM's output contract: the post between ``<post>`` and ``</post>`` (or a JSON object with
one ``post`` field), and nothing outside it reaches the draft.

Models wrap answers in chatter ("Here is your post:", "Let me know if…"), quotes and code
fences. Only the delimited text is taken; inside it, wrapping quotes, a fence and a stray
preamble line are stripped. A reply that breaks the contract raises ``ContractBreak``.
"""

from __future__ import annotations

import json
import re

OPEN, CLOSE = "<post>", "</post>"

INSTRUCTION = (
    "Output format: write the post between a line containing only <post> and a line "
    "containing only </post>. Put nothing else inside: no title, no notes, no quotes around "
    "it, no Markdown code fence. Anything outside the tags is thrown away."
)

_DELIMITED = re.compile(r"<post>[ \t]*\n?(.*?)\n?[ \t]*</post>", re.S | re.I)
_FENCE = re.compile(r"\A```[\w-]*[ \t]*\n(.*?)\n?```\Z", re.S)
_QUOTES = [('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"), ("«", "»")]
_PREAMBLE = re.compile(
    r"\A(?:sure|certainly|of course|okay|ok|here(?:'s| is| are)|below is)"
    r"\b[^\n]{0,120}:[ \t]*\n+",
    re.I,
)


class ContractBreak(ValueError):
    """The reply did not keep the output contract; the message says how."""


def _clean(text: str) -> str:
    text = text.strip()
    for _ in range(3):  # a fence inside quotes inside a fence is rare, but cheap to undo
        before = text
        fenced = _FENCE.match(text)
        if fenced:
            text = fenced.group(1).strip()
        text = _PREAMBLE.sub("", text, count=1).strip()
        for left, right in _QUOTES:
            if (
                len(text) > 1
                and text.startswith(left)
                and text.endswith(right)
                and left not in text[1:-1]
                and right not in text[1:-1]
            ):
                text = text[1:-1].strip()
        if text == before:
            break
    return text


def _from_json(reply: str) -> str | None:
    body = reply.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1).strip()
    if not body.startswith("{"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    post = data.get("post") if isinstance(data, dict) else None
    return post if isinstance(post, str) else None


def extract_post(reply: str, finish_reason: str | None = None) -> str:
    """The post inside ``reply``; raises ``ContractBreak`` when there is none, or two."""
    found = _DELIMITED.findall(reply)
    if len(found) > 1:
        raise ContractBreak("the reply held more than one <post> block")
    if found:
        post = _clean(found[0])
    else:
        from_json = _from_json(reply)
        if from_json is None:
            if OPEN in reply.lower() and finish_reason == "length":
                raise ContractBreak("the reply was cut off before </post> (max_tokens)")
            raise ContractBreak("the reply did not put the post between <post> and </post>")
        post = _clean(from_json)
    if not post:
        raise ContractBreak("the <post> block was empty")
    return post
