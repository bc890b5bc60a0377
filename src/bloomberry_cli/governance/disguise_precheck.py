"""Whether a post could hold a blocked claim in disguise at all: the cheap test that spares
most posts the disguise view (disguises.py), about 100 us a post.

It must say "maybe" wherever the view could read a letter differently (a property test holds
it to that); links, hashtags and "SOC2" alone, which are in most posts, are no reason.
"""

from __future__ import annotations

import re
import string

# Cheap tests first: bytes.translate over a 256-byte table runs in C at memory speed (ten
# times str.translate's per-character dict lookups; a regex scan costs more again), and most
# ASCII posts are letters, spaces and prose punctuation only.
_ORDINARY = string.ascii_letters.encode() + b" \n\t.,;:?!'\"()-"


def _classes() -> bytes:
    """A translate table naming what each ASCII character can be in a disguise: ``a`` a letter,
    ``1`` a character the view reads as a letter (digits but 2, ``@ $ |``), ``2`` itself
    ("SOC2", "B2B" stay as they are), ``*`` an emphasis mark, ``#`` a hash, ``%`` any other
    symbol the symbol stage removes from inside a word (``<>`` too), `` `` the rest."""
    table = bytearray(b" " * 256)
    for code in range(128):
        char = chr(code)
        if char.isalpha():
            table[code] = ord("a")
        elif char in "013456789@$|":
            table[code] = ord("1")
        elif char in "2#":
            table[code] = code
        elif char in "*_~":
            table[code] = ord("*")
        elif not (char.isspace() or char.isdigit() or char in "'.,;:!?\"()[]{}-"):
            table[code] = ord("%")  # "un%hackable", "un`hackable", a control character
    return bytes(table)


_CLASSES = _classes()
# Each substring test costs about as much whatever it looks for (letters are everywhere):
# the classes that change a letter next to them from either side are merged into "x" and
# tested together; the rarer cases only where their characters are.
_NEXT_TO_LETTER = bytes.maketrans(b"1%*", b"xxx")
_EMPHASIS_BY_DIGIT = re.compile(rb"[12]\*|\*[12]")  # "**100**% secure"
# A digit read as a letter apart from the letters by a 2 ("02i" is read "o2i").
_THROUGH_TWOS = (re.compile(rb"a22*1"), re.compile(rb"12*2a"))
_HASH_BEFORE_LETTER = re.compile(rb"#a")
# Digits and symbols: a symbol inside a number ("10+0% secure", "1$00%" are read "100%").
_DIGITS_AND_SYMBOLS = bytes(
    ord("d") if chr(c).isdigit() else ord("s") if _CLASSES[c] in b"%#*" or chr(c) in "@$|" else 32
    for c in range(256)
)
_SYMBOL_IN_NUMBER = re.compile(rb"ds+d")


def _symbol_next_to_letter(raw: bytes) -> bool:
    """Whether the view may read a letter differently for a digit or symbol next to it. A hash
    counts only after a letter or digit ("un#hackable"): before a word it is a hashtag, whose one
    disguise (words run together) find_disguised sees in the plain text."""
    classes = raw.translate(_CLASSES)
    merged = classes.translate(_NEXT_TO_LETTER)
    if b"ax" in merged or b"xa" in merged or b"a#" in merged:
        return True
    if b"*" in classes and _EMPHASIS_BY_DIGIT.search(classes):
        return True
    if b"2" in classes and any(pattern.search(classes) for pattern in _THROUGH_TWOS):
        return True
    numbers = raw.translate(_DIGITS_AND_SYMBOLS)
    if b"ds" in numbers and b"sd" in numbers and _SYMBOL_IN_NUMBER.search(numbers):
        return True
    if b"#a" not in classes or not any(pair in classes for pair in (b"1#", b"2#", b"%#", b"*#")):
        return False
    for found in _HASH_BEFORE_LETTER.finditer(classes):  # a symbol run ending in "#" after a digit
        if classes[: found.start()].rstrip(b"%#*").endswith((b"1", b"2")):
            return True
    return False


_SHAPE = bytes.maketrans(
    (string.ascii_letters + string.digits + "@$\t\n").encode(), b"a" * 64 + b"  "
)  # every letter, digit, "@" or "$" (letters spaced apart may be them) an "a", every space a " "
_LINE_BREAK_ANY = re.compile(rb"-[ \t]*\n")
_LETTERS_ONLY = bytes(c if c == ord("a") else ord(" ") for c in range(256))
# "!" read as "i": anywhere in a word but at its end ("h!ck", "!mpenetrable", "a!@").
_BANG_IN_WORD = re.compile(rb"![a-z0-9@$|]", re.I)


# A link's own punctuation (scheme, dots, slashes, query) is next to letters in every link:
# judged as prose, every post with a link would need the full view. Read as spaces, a link
# still shows what could be a disguise in it: spaced or dotted letters, digits or symbols
# inside its words (`un_hackable`, `h4ck`).
# A link ends at a space or at prose punctuation: "(https://x.example)un/hackable" and
# "https://x.example/a,un%hackable" keep the disguise glued to them outside the link.
_LINK = re.compile(rb"(?i:https?://|www\.)[A-Za-z0-9\-._~:/?#@$&*+=%]+")
_LINK_PUNCTUATION = bytes.maketrans(b"/:.?=&%#", b"        ")


def _plain_links(raw: bytes) -> bytes:
    if b"://" not in raw and b"www." not in raw.lower():
        return raw
    return _LINK.sub(lambda link: link.group().translate(_LINK_PUNCTUATION), raw)


def may_be_disguised(text: str) -> bool:
    """False when none of the stages could change a letter of ``text``."""
    if not text.isascii():
        return True
    raw = _plain_links(text.encode("ascii"))
    if raw.translate(None, _ORDINARY) and _symbol_next_to_letter(raw):
        return True
    shape = b" " + raw.translate(_SHAPE)
    if b"a.a" in shape or b" a a a" in shape.translate(_LETTERS_ONLY):  # "e.g.", "(R O I)"
        return True  # letters dotted, or spaced apart after a space or any symbol
    if b"a. a. a" in shape:  # letters dotted and spaced: "g. u. a. r. a. n. t. e. e. d"
        return True
    if b"-" in raw and (b"a-a-a" in shape or _LINE_BREAK_ANY.search(raw)):
        return True
    return b"!" in raw and _BANG_IN_WORD.search(raw) is not None  # "h!ck", "!mpenetrable"
