"""Unit tests of the trail's pure parts: the strict message parser, the policy projection's
merges, and the one state machine."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bloomberry_cli.approvals.projection import (
    projection_hash,
    removed_grants,
    strictest,
    three_way,
)
from bloomberry_cli.approvals.state import overall_state, stage_statuses
from bloomberry_cli.approvals.trail import Decision
from bloomberry_cli.approvals.trailers import (
    DecisionRecord,
    MalformedMessage,
    format_message,
    parse_decision,
)

PARENT = "a" * 40
RECORD = DecisionRecord(
    "approve",
    "marketing",
    "posts/b/alice--advocacy.md",
    "f" * 64,
    "maria@example.com",
    parent=PARENT,
)


def test_a_decision_message_round_trips() -> None:
    assert parse_decision(format_message(RECORD)) == RECORD
    with_reason = dataclasses.replace(RECORD, decision="reject", reason="Say what you measured")
    assert parse_decision(format_message(with_reason)) == with_reason


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.replace("Bb-Parent: " + PARENT + "\n", ""),  # unbound
        lambda m: m + "Bb-Stage: author\n",  # key twice
        lambda m: m.replace("(marketing)", "(author)"),  # subject lies
        lambda m: m.replace("Bb-Reviewer", "Bb-Reviewer: x@example.com\nBb-Extra"),  # extra key
        lambda m: m.replace("\n\nBb-Decision", "\nBb-Decision"),  # no block
        lambda m: m.replace("f" * 64, "f" * 63),  # short hash
        lambda m: m.replace("\n\nBb-Decision", "\n\nBb-Decision: approve\n\nBb-Decision", 1),
    ],
)
def test_anything_but_bbs_own_message_is_malformed(change: object) -> None:
    assert callable(change)
    with pytest.raises(MalformedMessage):
        parse_decision(change(format_message(RECORD)))


def _reviewer(roles: list[str], keys: list[str]) -> dict[str, list[str]]:
    return {"roles": roles, "keys": keys}


BASE = {
    "approvals": {"stages": {"advocacy": ["marketing", "author"]}, "allow_unsigned": False},
    "reviewer:maria@example.com": _reviewer(["admin", "marketing"], ["k1"]),
    "reviewer:jordan@example.com": _reviewer(["marketing"], ["k2"]),
}


def test_three_way_merges_changes_to_different_fields_and_refuses_a_conflict() -> None:
    ours = {**BASE, "reviewer:jordan@example.com": _reviewer(["marketing", "legal"], ["k2"])}
    theirs = {**BASE, "reviewer:tom@example.com": _reviewer(["marketing"], ["k3"])}
    merged = three_way([ours, theirs], [BASE])
    assert merged == {**ours, "reviewer:tom@example.com": _reviewer(["marketing"], ["k3"])}
    other = {**BASE, "reviewer:jordan@example.com": _reviewer([], ["k2"])}
    assert three_way([ours, other], [BASE]) is None
    assert three_way([ours, theirs], []) is None  # no merge base: nothing to merge against


def test_strictest_intersects_grants_and_unites_requirements() -> None:
    one = {
        **BASE,
        "approvals": {
            "stages": {"advocacy": ["marketing", "legal", "author"]},
            "allow_unsigned": False,
        },
    }
    two = {
        **BASE,
        "reviewer:jordan@example.com": _reviewer(["marketing", "admin"], ["k2"]),
        "reviewer:eve@example.com": _reviewer(["admin"], ["k9"]),
    }
    combined = strictest([one, two])
    assert combined["approvals"]["stages"]["advocacy"] == ["marketing", "legal", "author"]
    assert combined["reviewer:jordan@example.com"]["roles"] == ["marketing"]
    assert "reviewer:eve@example.com" not in combined


def test_a_rotation_removes_nothing_unless_the_key_was_compromised() -> None:
    rotated = {**BASE, "reviewer:jordan@example.com": _reviewer(["marketing"], ["k4"])}
    assert removed_grants(BASE, rotated, compromised=False) == set()
    assert removed_grants(BASE, rotated, compromised=True) == {("key", "jordan@example.com", "k2")}
    demoted = {**BASE, "reviewer:jordan@example.com": _reviewer([], ["k2"])}
    assert removed_grants(BASE, demoted, compromised=False) == {
        ("role", "jordan@example.com", "marketing")
    }
    assert projection_hash(BASE) == projection_hash(dict(reversed(list(BASE.items()))))


def _decision(sha: str, verdict: str, stage: str, content: str = "c") -> Decision:
    record = DecisionRecord(
        verdict,
        stage,
        "p.md",
        content * 64,
        "x@example.com",  # type: ignore[arg-type]
        parent=PARENT,
    )
    return Decision(sha, PARENT, dt.datetime(2026, 12, 1), record, "p.md", valid=True)


def test_withdrawals_win_and_order_is_by_ancestry() -> None:
    # a → b → c in a line; d is on a branch beside b and c
    ancestors = {"a": {"a"}, "b": {"a", "b"}, "c": {"a", "b", "c"}, "d": {"a", "d"}}

    def is_ancestor(older: str, newer: str) -> bool:
        return older in ancestors[newer]

    stages = ["marketing", "author"]
    approved = [_decision("a", "approve", "marketing"), _decision("b", "approve", "author")]
    assert stage_statuses(approved, "c" * 64, stages, is_ancestor) == {
        "marketing": "approved",
        "author": "approved",
    }
    withdrawn = [*approved, _decision("c", "reject", "marketing")]
    statuses = stage_statuses(withdrawn, "c" * 64, stages, is_ancestor)
    assert statuses == {"marketing": "rejected", "author": "pending"}
    assert overall_state(statuses, published=False) == "rejected"
    # an approval concurrent with the reject does not erase it
    concurrent = [*withdrawn, _decision("d", "approve", "marketing")]
    assert stage_statuses(concurrent, "c" * 64, stages, is_ancestor)["marketing"] == "rejected"
    # an approval of other content leaves the stage stale
    edited = stage_statuses(approved, "e" * 64, stages, is_ancestor)
    assert edited == {"marketing": "stale", "author": "stale"}
