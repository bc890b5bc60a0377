"""Attacks on the disguise pre-check (``may_be_disguised``): a disguise the full view undoes
must never be skipped because the post looked ordinary. Before links, hashtags and '2' stopped
sending posts through the full view, a hashtag anywhere in the post hid the pre-check's gaps;
these disguises were caught then and must still be."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lint import lint, only, write_post

from bloomberry_cli.governance.disguises import disguise_view, may_be_disguised

IMPENETRABLE = "  - {id: impenetrable, phrases: [impenetrable], reason: nothing is}\n"

# (text in the post, what claims.obfuscated must match)
DISGUISES = [
    ("We are un%hackable now.", "un%hackable"),  # a symbol the pre-check did not list
    ("We are un`hackable now.", "un`hackable"),
    ("Our platform is **100**% secure.", "100**% secure"),  # emphasis next to digits
    ("We offer g. u. a. r. a. n. t. e. e. d ROI now.", "g. u. a. r. a. n. t. e. e. d ROI"),
    ("We offer guaranteed R. O. I. now.", "guaranteed R. O. I"),
    ("Our vault is !mpenetrable.", "!mpenetrable"),  # "!" read as "i" at a word's start
    ("Our platform is 10+0% secure.", "10+0% secure"),  # a symbol inside a number
    ("Our platform is 1$00% secure.", "1$00% secure"),
]
# What sent every post through the full view before: a hashtag, a link, a "2" by a letter.
CONTEXTS = ["{} #security", "{} See https://acme.example.com/blog", "{} For SOC2 teams.", "{}"]

# A disguise glued to a link by punctuation is prose, not part of the link.
GLUED_TO_LINKS = [
    ("Read https://acme.example.com/x,un/hackable now.", "un/hackable"),
    ("Read https://acme.example.com/x,un%hackable now.", "un%hackable"),
    ("Read (https://acme.example.com/x)un#hackable now.", "un#hackable"),
    ("See [our docs](https://acme.example.com/x)--un/hackable!", "un/hackable"),
]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize(("text", "match"), DISGUISES)
def test_a_disguise_is_caught_next_to_hashtags_links_and_2(
    workspace: Path, text: str, match: str, context: str
) -> None:
    claims = workspace / "claims.yaml"
    claims.write_text(claims.read_text() + IMPENETRABLE)
    write_post(workspace, context.format(text) + "\n")
    assert [f.match for f in only(lint(workspace), "claims.obfuscated")] == [match]


_ALPHABET = st.sampled_from(
    [*"abcdeuhkROI ", *string.digits, *string.punctuation, "\n", "\t", "\x7f", "\x01"]
)


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(_ALPHABET, max_size=16))
def test_the_pre_check_says_maybe_wherever_the_view_undoes_anything(
    text: str,
) -> None:
    """``may_be_disguised`` is False only where no stage undoes anything (links aside: their
    punctuation is read as spaces on purpose, and they are not generated here)."""
    if "://" in text or "www." in text.lower() or may_be_disguised(text):
        return
    view = disguise_view(text)
    changed = [i for i in range(len(view.text)) if view.marks[i] or view.gaps[i]]
    assert not changed, (text, view.text)


@pytest.mark.parametrize(
    "text",
    [
        "02I",
        "a!@",
        "0#a",
        "0/*#a",
        "0/0",
        "1$0",
        "!I",
        "u. n. h",
        "un%h",
        "**1",
        ":0 0 @",
        "(R O I)",
    ],
)
def test_small_texts_the_pre_check_once_missed(text: str) -> None:
    assert may_be_disguised(text)


@pytest.mark.parametrize(("text", "match"), GLUED_TO_LINKS)
def test_a_disguise_glued_to_a_link_is_caught(workspace: Path, text: str, match: str) -> None:
    write_post(workspace, text + "\n")
    assert [f.match for f in only(lint(workspace), "claims.obfuscated")] == [match]
