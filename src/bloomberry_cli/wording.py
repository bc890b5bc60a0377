"""Small wording helpers shared by the library and the CLI: counts with their nouns."""


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 post', '2 posts', '1,200 posts': a count with its noun in the right form."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def number(value: float) -> str:
    """A figure as people write it: '2,000' for a whole number, '2,000.5' otherwise."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"
