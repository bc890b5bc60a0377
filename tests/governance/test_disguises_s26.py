"""Attacks on `bb lint` (round s26): a blocked claim a reader still reads must be an error, lint
must read exactly what is published, and ordinary posts must pass. Each case failed before its
fix; the strict xfails are known misses with the fix they need."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_lint import lint, write_post

from bloomberry_cli.posts import load_post, published_text

CLAIM_RULES = ("claims.blocked", "claims.obfuscated")


def _claims(workspace: Path, body: str) -> list[tuple[str, str]]:
    write_post(workspace, f"Hello team. {body}\n")
    return [
        (f.rule, f.match or "")
        for f in lint(workspace).findings
        if f.rule in CLAIM_RULES and f.severity == "error"
    ]


# --- lint reads what is published (issue 15) ------------------------------------------------

# bb's control comments are removed from the published text; lint read them as spaces, so a
# comment inside a word split the word for lint and joined it again for readers.
CONTROL_COMMENT_SPLITS = [
    ("We are unhack<!-- bb-disable text.bidi: ok -->able.", "unhackable"),
    ("We are un<!-- bb-disable claims.blocked: ok -->hackable.", "unhackable"),
    (
        "We are u<!-- bb-disable text.bidi: a -->n<!-- bb-disable text.bidi: b -->hackable.",
        "unhackable",
    ),
    ("We are unh4ck<!-- bb-disable text.bidi: ok -->able.", "unh4ckable"),
    ("We are un\u200d<!-- bb-disable text.bidi: ok -->hackable.", "un\u200dhackable"),
    ("We are unhack-\n<!-- bb-disable text.bidi: ok -->\nable.", "unhack-\nable"),
]


@pytest.mark.parametrize(("body", "published"), CONTROL_COMMENT_SPLITS)
def test_a_control_comment_inside_a_word_does_not_hide_the_claim(
    workspace: Path, body: str, published: str
) -> None:
    path = write_post(workspace, f"Hello team. {body}\n")
    post = load_post(workspace, str(path.relative_to(workspace)))
    assert published in published_text(post)  # what readers get
    assert _claims(workspace, body), "the published text makes the claim; lint must say so"


def test_a_claim_found_through_a_control_comment_points_at_the_file(workspace: Path) -> None:
    write_post(workspace, "Hi.\nWe are unhack<!-- bb-disable text.bidi: ok -->able now.\n")
    [finding] = [f for f in lint(workspace).findings if f.rule in CLAIM_RULES]
    assert (finding.line, finding.column) == (8, 8)  # the "u" of "unhack" in the file
    assert finding.match is not None and finding.match.startswith("unhack")


# --- look-alike letters the tables lacked ---------------------------------------------------

LETTER_FORMS = [
    "We are \u03c5\u03b7\u043d\u03b1\u00a2\u03ba\u03b1\u0432\u2113\u0454.",  # faux Greek/Cyrillic
    "We are ⒰⒩⒣⒜⒞⒦⒜⒝⒧⒠.",  # parenthesized letters
]


@pytest.mark.parametrize("body", LETTER_FORMS)
def test_letter_forms_the_tables_lacked(workspace: Path, body: str) -> None:
    assert [rule for rule, _ in _claims(workspace, body)] == ["claims.obfuscated"]


# --- the same claim spelled another way --------------------------------------------------------

SPELLINGS = [
    "We are un-hackable.",
    "We are un hackable.",
    "We are unhack\nable.",  # a bare line break inside the word
    "It has bullet-proof security.",
    "It has bullet proof security.",
    "It is hackproof.",
    "Simply the Bestplacetowork.",
    "Our platform is 100 % secure.",
    "Our platform is 100%secure.",
    "Our platform is 100 percent secure.",
    "Our platform is 100 per cent secure.",
    "Our platform is one hundred percent secure.",
    "We are H.I.P.A.A. certified.",
]


@pytest.mark.parametrize("body", SPELLINGS)
def test_the_claim_spelled_another_way(workspace: Path, body: str) -> None:
    assert _claims(workspace, body)


# --- near misses: ordinary posts stay clean ---------------------------------------------------

NEAR_MISSES = [
    "We ran a hack day and an uptime dashboard review.",
    "Hack-a-thon winners: the able team. Un-hack your week.",
    "Cert ified? No: certified engineers on our U.S. team.",
    "We are 100 percent committed; security is never 100 percent done.",
    "Guaranteed delivery dates, measured ROI.",
    "Our best people place their work first.",
    "υπέροχη ομάδα, отличная команда.",  # Greek and Russian prose
    "Steps ⑴ and ⑵ come first.",
]


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_ordinary_posts_are_not_blocked(workspace: Path, body: str) -> None:
    assert _claims(workspace, body) == []


# --- known misses ----------------------------------------------------------------------------

MARKUP_IN_A_WORD = [
    # Markdown or HTML inside the word: channels that render it (a blog, a scheduler that takes
    # HTML) show the claim whole; LinkedIn shows the markup, which readers read past, as with
    # un**hack**able. Fix: a stage in disguise_view that deletes, between letters, an HTML tag
    # (`</?[a-z][a-z0-9]{0,10}[^<>\n]{0,200}>`), a bounded comment (`<!--[^\n]{0,200}?-->`), a
    # link's `](url)` part, and decodes `&#N;`/`&#xH;`/`&name;` entities (html.unescape on the
    # match, then fold_char), each marked as a new Disguise.MARKUP; disguise_precheck says
    # "maybe" for `&…;`, `](` and a `<` next to a letter. All bounded, so linear.
    "We are un<b>hack</b>able.",
    "We are un<!-- x -->hackable.",
    "We are [unhack](https://x.example)able.",
    "We are un&#104;ackable.",
    "We are &#117;nhackable.",
    "We are un&shy;hackable.",
]


@pytest.mark.xfail(strict=True, reason="markup inside a word is not undone (see the list)")
@pytest.mark.parametrize("body", MARKUP_IN_A_WORD)
def test_markup_inside_a_word(workspace: Path, body: str) -> None:
    assert _claims(workspace, body)


@pytest.mark.xfail(
    strict=True,
    reason="one word split in two places (un-hack-able): only one split per word is spelled "
    "out; fix: a view stage that deletes a hyphen between two letters when the pre-check sees "
    "`a-a` (costs a full view for every hyphenated post: measure with bench/lint_corpus.py)",
)
def test_a_word_split_twice(workspace: Path) -> None:
    assert _claims(workspace, "We are Un-Hack-Able.")


@pytest.mark.xfail(
    strict=True,
    reason="misspellings ('HIPAA certifed') are read as the claim but matched by no table; fix: "
    "an edit-distance-1 pass on words near a phrase's first word (a Levenshtein automaton over "
    "the phrase words) reported as claims.obfuscated 'misspelled'",
)
def test_a_misspelled_claim(workspace: Path) -> None:
    assert _claims(workspace, "We are HIPAA certifed.")


@pytest.mark.xfail(
    strict=True,
    reason="false block: every phrase also matches with -s/-es/'s on its last word, so the "
    "adjective 'hack-proof' blocks 'hack proofs of concept'; fix: a phrase option (or a rule "
    "for phrases whose last word is an adjective, e.g. ends in -proof/-able/-ed) without plurals",
)
def test_a_plural_that_is_not_the_claim(workspace: Path) -> None:
    assert _claims(workspace, "Our hack proofs of concept ship weekly.") == []


# --- paraphrases the synonym table lacks ---------------------------------------------------

UNHACKABLE_EXAMPLES = "examples: [our vault cannot be hacked, there is no risk in trying it]\n    "


@pytest.mark.xfail(
    strict=True,
    reason="claim_features' synonyms map breach/crack/penetrate/compromise to 'hack' but not "
    "'break into', 'get into', 'attack(er)', 'impervious', 'resist'; fix: add them (and the "
    "two-word 'break into'/'get into' as pairs) to the synonym table, then re-measure the "
    "README's precision/recall",
)
@pytest.mark.parametrize(
    "sentence",
    [
        "Nobody can break into our vault.",
        "Our vault is impervious to attack.",
        "Attackers will never get into our vault.",
        "Our vault resists every hacker.",
    ],
)
def test_paraphrase_with_synonyms_the_table_lacks(workspace: Path, sentence: str) -> None:
    claims = workspace / "claims.yaml"
    text = claims.read_text().replace(
        "phrases: [unhackable,", UNHACKABLE_EXAMPLES + "phrases: [unhackable,"
    )
    claims.write_text(text)
    write_post(workspace, sentence + "\n")
    assert [f.rule for f in lint(workspace).findings if f.rule == "claims.paraphrase"]
