"""Hypothesis strategies shared by tests/test_fuzz_*.py and bench/fuzz_parsers.py.

Each strategy mixes arbitrary Unicode with the syntax its parser cares about, so that
examples reach the parser's interesting branches instead of failing on the first character.
"""

from __future__ import annotations

import base64
import struct

from hypothesis import strategies as st

# Characters that break naive parsers: line ends of every kind, BOM, bidi controls, zero-width
# joiners, combining marks, surrogate-free astral characters, look-alikes and NUL.
TRICKY = [
    "\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\u0301",
    "\U0001f600",
    "\u0430",
    "\u0131",
    "\u0130",
    "ß",
    "ﬁ",
    "\t",
    " ",
    "\x00",
    "#",
    ":",
    "-",
    "---",
    "...",
    "'",
    '"',
    "&a",
    "*a",
    "!!",
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    ">",
    "%",
    "@",
    "`",
    "\\",
]

text = st.text(st.characters(codec="utf-8"), max_size=200)
tricky_text = st.lists(st.one_of(text, st.sampled_from(TRICKY)), max_size=30).map("".join)

FRONT_KEYS = [
    "brief",
    "participant",
    "program",
    "channel",
    "scheduled",
    "claims",
    "topics",
    "engine",
    "generated",
    "generated_sha256",
]
FRONT_VALUES = [
    "soc2-type2",
    "alice",
    "advocacy",
    "thought-leadership",
    "linkedin",
    "x",
    "2026-12-03",
    "2026-02-30",
    "[soc2-type2, open-roles]",
    "[",
    "'quoted'",
    "yes",
    "~",
    "12",
    "1e3",
    "&anchor x",
    "*anchor",
    "{a: b}",
    "",
]


@st.composite
def front_matter_text(draw: st.DrawFn) -> str:
    """A post file: an opening fence, key lines (valid and not), a closing fence, a body."""
    lines = [draw(st.sampled_from(["---", "--- ", "---\r", "", "+++"]))]
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.one_of(st.sampled_from(FRONT_KEYS), text))
        value = draw(st.one_of(st.sampled_from(FRONT_VALUES), text))
        sep = draw(st.sampled_from([": ", ":", ":\t", " : ", ": #"]))
        lines.append(f"{key}{sep}{value}")
    lines.append(draw(st.sampled_from(["---", "...", "--- ", "", "---x"])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline + draw(tricky_text)


YAML_PIECES = [
    "a: 1",
    "- x",
    "  - y",
    "b:",
    "  c: d",
    "? k",
    ": v",
    "&a [1, 2]",
    "*a",
    "<<: *a",
    "!!python/object:os.system",
    "!!binary AAAA",
    "2026-02-30",
    "'unterminated",
    '"esc \\x',
    "{a: [b, {c: d}]}",
    "|",
    ">-",
    "--- ",
    "...",
    "%YAML 1.1",
    "\t- tab",
    "key: value # comment",
    "a: &x b",
    "c: *x",
    "[[[[",
    "]]]]",
    "? [a, b]\n: c",
    "null: ~",
    "1: one",
    "true: yes",
]


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(YAML_PIECES), tricky_text), max_size=12))
    indent = draw(st.lists(st.integers(0, 4), min_size=len(lines), max_size=len(lines)))
    return "\n".join(" " * i + line for i, line in zip(indent, lines, strict=True))


TRAILER_KEYS = [
    "Bb-Decision",
    "Bb-Stage",
    "Bb-Post",
    "Bb-Post-Sha256",
    "Bb-Reviewer",
    "Bb-Url",
    "Bb-Published-At",
    "Bb-Parent",
    "Bb-",
    "bb-decision",
    "Bb-X",
]
DECISIONS = ["approve", "reject", "request-changes", "publish", "Approve", "", "approve "]


@st.composite
def commit_message(draw: st.DrawFn) -> str:
    subject = draw(st.one_of(text, st.just("bb: approve posts/a/b--advocacy.md (marketing)")))
    body = draw(st.lists(tricky_text, max_size=3))
    spaces = st.sampled_from([" ", "", "\t"])
    values = st.one_of(st.sampled_from(DECISIONS), text)
    trailers = [
        draw(st.sampled_from(TRAILER_KEYS)) + ":" + draw(spaces) + draw(values)
        for _ in range(draw(st.integers(0, 8)))
    ]
    return "\n\n".join([subject, *body, "\n".join(trailers)])


def _ssh_string(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


@st.composite
def sshsig_armored(draw: st.DrawFn) -> str:
    """Armored SSH signatures: well-formed, truncated, with lying lengths, or noise."""
    key = _ssh_string(b"ssh-ed25519") + _ssh_string(draw(st.binary(min_size=0, max_size=40)))
    fields = [
        _ssh_string(key),
        _ssh_string(draw(st.sampled_from([b"git", b"file", b"\xff"]))),
        _ssh_string(b""),
        _ssh_string(draw(st.sampled_from([b"sha512", b"sha256", b""]))),
        _ssh_string(_ssh_string(b"ssh-ed25519") + _ssh_string(draw(st.binary(max_size=70)))),
    ]
    version = struct.pack(">I", draw(st.sampled_from([1, 1, 2, 0xFFFFFFFF])))
    blob = b"SSHSIG" + version + b"".join(fields)
    blob = draw(
        st.one_of(
            st.just(blob),
            st.integers(0, len(blob)).map(lambda n: blob[:n]),
            st.binary(max_size=200),
            st.binary(max_size=50).map(lambda b: b"SSHSIG" + b),
            st.tuples(st.integers(0, len(blob)), st.binary(min_size=1, max_size=8)).map(
                lambda cut: blob[: cut[0]] + cut[1] + blob[cut[0] + len(cut[1]) :]
            ),
        )
    )
    encoded = base64.b64encode(blob).decode()
    encoded = draw(
        st.one_of(st.just(encoded), tricky_text, st.just(encoded).map(lambda e: e[:-1] if e else e))
    )
    width = draw(st.integers(1, 80))
    body = "\n".join(encoded[i : i + width] for i in range(0, len(encoded), width))
    begin = draw(st.sampled_from(["-----BEGIN SSH SIGNATURE-----", "-----BEGIN SSH SIGNATURE", ""]))
    return f"{begin}\n{body}\n-----END SSH SIGNATURE-----"


CSV_CELLS = [
    "posts/soc2-type2/alice--advocacy.md",
    "https://example.com/p/1",
    "2026-12-03",
    "2026-12-03T10:00:00",
    "2026-02-30",
    "1,234",
    "$5",
    "€7",
    "nan",
    "-inf",
    "1e999",
    "",
    " ",
    "abc",
    '"quoted, comma"',
    '"unterminated',
    "x" * 300,
    "١٢",
]
CSV_HEADERS = [
    "post",
    "date",
    "impressions",
    "reactions",
    "comments",
    "reposts",
    "clicks",
    "inbound",
    "pipeline",
    "likes",
    "shares",
    "url",
    "Views",
    "POST",
]


@st.composite
def metrics_csv(draw: st.DrawFn) -> str:
    header = draw(
        st.one_of(
            st.permutations(CSV_HEADERS[:9]).map(list),
            st.lists(st.sampled_from(CSV_HEADERS), max_size=12),
        )
    )
    rows = [header]
    for _ in range(draw(st.integers(0, 6))):
        rows.append(
            draw(st.lists(st.one_of(st.sampled_from(CSV_CELLS), text), max_size=len(header) + 2))
        )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(",".join(row) for row in rows) + draw(st.sampled_from(["", newline]))


PROSE = [
    "guaranteed ROI",
    "GUARANTEED   roi",
    "guarantees results",
    "gu\u200baranteed ROI",
    "guаranteed ROI",
    "SOC 2 Type II certified",
    "99.9% uptime",
    "the best",
    "Acme Security",
    "#security",
    "TODO",
    "[placeholder]",
    "<!-- bb-disable voice.avoid: x -->",
    "```\ncode\n",
    "<!--",
    "-->",
    "<!-- bb-disable ",
    "{{",
    "}}",
    "{%",
    "[add ",
    "400+ ",
    "12,000 customers",
    "45% faster",
    " ",
    "\n\n",
    "é",
    "e\u0301",
    "ﬁ",
    "\u202e",
    "İ",
    "ß",
]

prose_text = st.lists(
    st.one_of(st.sampled_from(PROSE), text, st.sampled_from(TRICKY)), max_size=25
).map("".join)


def ten_kb(parts: list[str]) -> str:
    return ("\n\n".join(parts) * 10_000)[:10_000]


#: 10 kB bodies: mixed prose, and a few tokens repeated (what makes a lazy or nested regex
#: rescan the rest of the post from every position).
ten_kb_text = st.one_of(
    st.lists(prose_text, min_size=1, max_size=8).map(ten_kb),
    st.lists(st.sampled_from(PROSE + TRICKY), min_size=1, max_size=3).map(
        lambda tokens: ("".join(tokens) * 10_000)[:10_000]
    ),
)
