"""Property tests: folding keeps offsets, and lint of any Unicode text neither crashes nor
points outside the post. The longer run is bench/fuzz_parsers.py."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bloomberry_cli.governance.disguises import disguise_view
from bloomberry_cli.governance.lint import Linter
from bloomberry_cli.governance.normalize import fold_plain
from bloomberry_cli.posts import PostError, parse_post
from bloomberry_cli.workspace import load_workspace
from conftest import copy_example
from support.fuzz import prose_text

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FRONT = "---\nbrief: soc2-type2\nparticipant: alice\nprogram: {program}\nchannel: linkedin\n---\n"


@pytest.fixture(scope="module")
def linter(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    root = copy_example(tmp_path_factory.mktemp("fuzz") / "ws")
    return Linter(load_workspace(root), dt.date(2026, 12, 3))


def _slice(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The text between two 1-based (line, column) positions; lines end at '\\n', columns
    count code points, the end column is exclusive."""
    lines = text.split("\n")
    starts = [0]
    for one in lines:
        starts.append(starts[-1] + len(one) + 1)
    return text[starts[line - 1] + column - 1 : starts[end_line - 1] + end_column - 1]


@FUZZ
@given(st.one_of(prose_text, st.text()))
def test_folding_maps_every_character_back_into_the_original(text: str) -> None:
    folded = fold_plain(text)
    offsets = folded.offsets
    assert len(offsets) == len(folded.text)
    assert all(0 <= o < len(text) for o in offsets)
    assert offsets == sorted(offsets)
    if folded.text:
        start, end = folded.span(0, len(folded.text))
        assert 0 <= start < end <= len(text)
    # The disguise view: a right-to-left override reverses a run, so offsets need not be in
    # order, but each points into the original and every view span is an original span.
    view = disguise_view(text)
    assert len(view.offsets) == len(view.marks) == len(view.gaps) == len(view.text)
    assert all(0 <= o < len(text) for o in view.offsets)
    if view.text:
        start, end = view.span(0, len(view.text))
        assert 0 <= start < end <= len(text)


@FUZZ
@given(
    prose_text, st.sampled_from(["advocacy", "thought-leadership"]), st.sampled_from(["\n", "\r\n"])
)
def test_lint_of_any_text_points_inside_the_post(
    linter: Linter, body: str, program: str, newline: str
) -> None:
    text = FRONT.format(program=program).replace("\n", newline) + body
    try:
        post = parse_post(text, "posts/soc2-type2/alice--advocacy.md")
        result = linter.check(post)
    except PostError:
        return  # a refused post (e.g. an unknown rule in bb-disable) is an answer, not a crash
    # positions count lines as bb reads them: CRLF and a lone CR each end a line
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    line_count = text.count("\n") + 1
    for finding in result.findings:
        assert 1 <= finding.line <= finding.end_line <= line_count, finding
        assert finding.column >= 1 and finding.end_column >= 1, finding
        if finding.match is not None:
            assert (
                _slice(text, finding.line, finding.column, finding.end_line, finding.end_column)
                == finding.match
            ), finding


@FUZZ
@given(prose_text, prose_text)
def test_a_blocked_claim_is_found_whatever_surrounds_it(
    linter: Linter, before: str, after: str
) -> None:
    body = f"{before}\n\nWe offer guaranteed ROI.\n\n{after}"
    post = parse_post(FRONT.format(program="advocacy") + body, "posts/x/alice--advocacy.md")
    try:
        findings = linter.check(post).findings
    except PostError:
        return
    if "```" in before or "<!--" in before:
        return  # hidden inside an unclosed code fence or comment: not prose
    assert any(f.rule == "claims.blocked" and f.match == "guaranteed ROI" for f in findings)


@FUZZ
@given(
    prose_text,
    prose_text,
    st.sampled_from(
        [
            "unh4ckable",
            "u n h a c k a b l e",
            "un**hack**able",
            "unhack-\nable",
            "\uff55nhackable",
            "un\u200bhackable",
        ]
    ),
)
def test_a_disguised_claim_is_found_at_its_place_whatever_surrounds_it(
    linter: Linter, before: str, after: str, disguised: str
) -> None:
    head = FRONT.format(program="advocacy") + f"{before}\n\nOur vault is "
    text = head + f"{disguised}.\n\n{after}"
    try:
        findings = linter.check(parse_post(text, "posts/x/alice--advocacy.md")).findings
    except PostError:
        return
    if "```" in before or "<!--" in before or "\r" in before:
        return  # an unclosed fence or comment hides it; a CR moves the offsets we compute
    hits = [f for f in findings if f.rule == "claims.obfuscated" and f.match == disguised]
    assert hits, [f for f in findings if f.rule.startswith("claims")]
    line = head.count("\n") + 1
    assert (hits[0].line, hits[0].column) == (line, len(head) - head.rfind("\n"))


# channel.hashtags once spanned from the first extra tag to the last while `match` was only the
# first: the finding now points at the first tag over the limit, the one to cut.
def test_hashtag_finding_match_is_the_text_at_its_position(linter: Linter) -> None:
    text = FRONT.format(program="thought-leadership") + "Notes. #one #two #three #four #five\n"
    findings = linter.check(parse_post(text, "posts/x/alice--thought-leadership.md")).findings
    [tags] = [f for f in findings if f.rule == "channel.hashtags"]
    assert _slice(text, tags.line, tags.column, tags.end_line, tags.end_column) == tags.match
