"""Rules about the words on the page: disclosure, placeholders, channel limits, avoid lists."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding, clip
from bloomberry_cli.textfile import CONFLICT_MARKER_LINE
from bloomberry_cli.voice.features import HASHTAG

_PLACEHOLDER = re.compile(
    r"\[(?:add|insert|your|company|link|todo|tbd|name|placeholder|url|date)\b[^\]\n]*\](?!\()"
    # template leftovers: bounded to one line and no nested braces, so a line of thousands of
    # '{{' is matched in linear time (a lazy .*? rescans the line from every opener)
    r"|\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}|\blorem ipsum\b",
    re.I,
)
_PLACEHOLDER_WORD = re.compile(r"\b(?:TODO|TBD|FIXME|XXX)\b")
# A merge left half done (`git merge`, `git pull`, `git stash pop`): both versions and git's
# marker lines would be published. The '=======' between them only counts inside a conflict.
_CONFLICT_MIDDLE = re.compile(r"^={7}[ \t]*(?=\r?$)", re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_HASHTAG = HASHTAG


def _may_hold_placeholder(text: str) -> bool:
    """Every placeholder holds one of these; substring tests in C, without a generator's cost
    per hint on every post."""
    return (
        "[" in text
        or "{" in text
        or "lorem" in text
        or "Lorem" in text
        or "TODO" in text
        or "TBD" in text
        or "FIXME" in text
        or "XXX" in text
    )


def placeholder(ctx: PostContext) -> Iterator[Finding]:
    text = ctx.prose.text
    if "<<<<<<<" in text or ">>>>>>>" in text:
        yield from _conflict_markers(ctx, text)
    if not _may_hold_placeholder(text):
        return
    for pattern in (_PLACEHOLDER, _PLACEHOLDER_WORD):
        for found in pattern.finditer(text):
            # the match is the file's own text (a control comment inside it is blanked here)
            original = ctx.post.body[found.start() : found.end()]
            yield ctx.finding(
                "text.placeholder",
                found.start(),
                found.end(),
                f"unfinished text: '{clip(found.group(), 60)}'",
                match=original,
                suggestion="replace it with the real content before review",
            )


def _conflict_markers(ctx: PostContext, text: str) -> Iterator[Finding]:
    edges = list(CONFLICT_MARKER_LINE.finditer(text))
    if not edges:
        return
    middles = [m for m in _CONFLICT_MIDDLE.finditer(text) if edges[0].start() < m.start()]
    for found in sorted([*edges, *middles], key=lambda m: m.start()):
        yield ctx.finding(
            "text.placeholder",
            found.start(),
            found.end(),
            f"a git conflict marker: '{clip(found.group(), 60)}'",
            match=ctx.post.body[found.start() : found.end()],
            suggestion="resolve the merge: keep the version meant for readers and delete "
            "the marker lines (<<<<<<<, =======, >>>>>>>)",
        )


def disclosure(ctx: PostContext) -> Iterator[Finding]:
    rules = ctx.linter.workspace.config.disclosure
    if ctx.post.meta.program not in rules.programs:
        return
    mentions = list(ctx.linter.company_names.find(ctx.plain))
    mention = min(mentions, key=lambda m: (m.start, -m.end)) if mentions else None
    if rules.when == "mentions-company" and mention is None:
        return
    if any(marker in ctx.plain.text for marker in ctx.linter.disclosure_markers):
        return
    company = ctx.linter.workspace.config.company.name
    start, end = (mention.start, mention.end) if mention else (0, 1)
    yield ctx.finding(
        "disclosure.missing",
        start,
        end,
        f"this {ctx.post.meta.program} post mentions {company} but does not disclose that the "
        "author works there",
        match=mention.text if mention else None,
        suggestion=f"add '{rules.text.format(company=company)}' or another disclosure "
        f"({', '.join(rules.markers[:3])}, …)",
    )


def empty(ctx: PostContext) -> Iterator[Finding]:
    if ctx.publication.text:
        return
    post = ctx.post
    # Nothing after the front matter: point at its closing line, the last line of the file.
    line = post.body_line if post.body else post.body_line - 1
    yield Finding(
        post.path,
        line,
        1,
        line,
        2,
        "text.empty",
        "error",  # never lower: a floor
        "nothing to publish: the post has no text after its front matter",
        suggestion="write the post, or delete the file",
    )


_FENCE_LINE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*", re.M)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def markup(ctx: PostContext) -> Iterator[Finding]:
    """Markdown fences and HTML comments: published as typed, since LinkedIn and X render
    neither. (bb's own control comments are not published, so not here.)"""
    text = ctx.prose.text
    if "```" in text or "~~~" in text:
        fences = list(_FENCE_LINE.finditer(text))
        for opening in fences[::2]:  # one finding per block, at its opening line
            yield ctx.finding(
                "text.markup",
                opening.start(1),
                opening.end(1),
                f"a Markdown code fence ({opening.group(1)}): {_platforms(ctx)} show the "
                "fence characters and everything between them as typed",
                match=opening.group(1),
                suggestion="remove the fence lines; keep only the text meant for readers",
            )
    if "<!--" in text:
        for comment in _COMMENT.finditer(text):
            yield ctx.finding(
                "text.markup",
                comment.start(),
                comment.end(),
                f"an HTML comment: {_platforms(ctx)} publish it as typed, for everyone to read",
                match=comment.group(),
                suggestion="delete it; a note for reviewers belongs in the review, not the post",
            )


def _platforms(ctx: PostContext) -> str:
    channel = ctx.post.meta.channel
    return {"linkedin": "LinkedIn posts", "x": "posts on X"}.get(channel, f"{channel} posts")


def channel_limits(ctx: PostContext) -> Iterator[Finding]:
    channel = ctx.linter.workspace.config.channel(ctx.post.meta.channel)
    if channel is None:
        return
    publication = ctx.publication
    content = publication.text
    name = ctx.post.meta.channel
    if len(content) > channel.max_length:
        yield ctx.finding(
            "channel.length",
            publication.body_offset(channel.max_length),
            publication.body_offset(len(content) - 1) + 1,
            f"{len(content):,} characters; {name} allows {channel.max_length:,}",
            suggestion=f"cut {len(content) - channel.max_length:,} characters",
        )
    if channel.fold and len(content) > channel.fold:
        paragraph = _PARAGRAPH_BREAK.search(content)
        hook = content[: paragraph.start()] if paragraph else content
        if len(hook) > channel.fold:
            yield ctx.finding(
                "channel.length",
                publication.body_offset(channel.fold),
                publication.body_offset(len(hook) - 1) + 1,
                f"the opening runs {len(hook)} characters, past {name}'s 'see more' fold at "
                f"{channel.fold}; readers see only the first {channel.fold}",
                severity="info",
                suggestion="put the hook in the first line or two",
            )


def hashtags(ctx: PostContext) -> Iterator[Finding]:
    channel = ctx.linter.workspace.config.channel(ctx.post.meta.channel)
    limits = [
        n for n in (channel.max_hashtags if channel else None, ctx.voice.style.max_hashtags) if n
    ]
    if limits and "#" in ctx.prose.text:
        limit = min(limits)
        tags = list(_HASHTAG.finditer(ctx.prose.text))
        if len(tags) > limit:
            extra = tags[limit]
            yield ctx.finding(  # at the first tag over the limit: the one to cut first
                "channel.hashtags",
                extra.start(),
                extra.end(),
                f"{len(tags)} hashtags; at most {limit} here",
                match=extra.group(),
                suggestion="keep the most specific ones",
            )


def voice_avoid(ctx: PostContext) -> Iterator[Finding]:
    matcher = ctx.linter.avoid_matcher(ctx.voice)
    for match in matcher.find(ctx.plain):
        yield ctx.finding(
            "voice.avoid",
            match.start,
            match.end,
            f"{ctx.voice.name} avoids '{match.payload}'",
            match=match.text,
            suggestion="say it the way they would",
        )


def voice_fidelity(ctx: PostContext) -> Iterator[Finding]:
    if not ctx.voice.memory:
        return
    from bloomberry_cli.voice.fidelity import fit_post

    fit = fit_post(ctx.linter.workspace, ctx.post)
    if fit is None or not fit.below:
        return
    result = fit.score
    reasons = "; ".join(f.explanation for f in result.features[:2])
    yield ctx.finding(
        "voice.fidelity",
        0,
        1,
        f"sounds {result.score}/100 like {ctx.voice.name} (below {fit.threshold}): {reasons}",
        suggestion=f"rewrite it the way {ctx.voice.first_name} would; "
        f"`bb voice score {ctx.post.path}` explains the score",
    )
