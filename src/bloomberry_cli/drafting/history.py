"""What each participant already posts, so a draft does not repeat their lines: their posts
on disk, with this run's drafts in place of the files the run replaces."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bloomberry_cli.drafting.pools import ASKING, flat
from bloomberry_cli.limits import MAX_POST_BYTES
from bloomberry_cli.posts import find_posts, split_front_matter
from bloomberry_cli.textfile import TextFileError, read_text

#: Whether a post on disk stays as it is though this run redrafts it (approved, edited by a
#: person, not a readable post), given its path and text (None: bb cannot read it as a post):
#: what goes out is then that file, not the new draft.
Stays = Callable[[str, str | None], bool]

#: A person's post: (brief id, program).
Key = tuple[str, str]


def read_post(root: Path, rel: str) -> str | None:
    """A post file's text, or None where bb would not read it as a post: a link out of the
    workspace, over the post size limit, binary or not UTF-8 (a pull request's file is nobody's
    history). `bb draft` decides whether to replace a file from this same reading, so the
    history and the write agree on what a run replaces (or the next run drafts differently)."""
    try:
        return read_text(root / rel, rel, max_bytes=MAX_POST_BYTES, within=root)
    except (TextFileError, OSError):
        return None


def post_body(text: str) -> str:
    """A post file's body: what follows its front matter (the whole text where it has none),
    as drafts' bodies are compared with it."""
    split = split_front_matter(text)
    return (split[1] if split else text).strip()


class History:
    """What each participant posts: their drafts and approved posts on disk, and this run's
    drafts in place of the files they replace (a file that stays keeps its text: the draft
    made for it is never written). Read lazily, once per person.

    A run's drafts replace, not join, the text on disk: both together would use up lines the
    next run no longer sees as used, and it would draft something else."""

    def __init__(self, root: Path, stays: Stays | None = None) -> None:
        self.root = root
        self.stays = stays or (lambda rel, text: False)
        self.paths: dict[str, dict[Key, str]] = {}  # participant → their post → its path
        for rel in find_posts(root):
            parts = rel.split("/")
            if len(parts) == 3 and parts[0] == "posts" and "--" in parts[2]:
                # At the last '--': an id may end in '-' or hold '--' ('marcus-' posts
                # 'marcus---advocacy.md'), a program never does.
                participant, program = parts[2].removesuffix(".md").rsplit("--", 1)
                self.paths.setdefault(participant, {})[(parts[1], program)] = rel
        # participant → their post → its flat text, and whether it still asks for their words
        self.texts: dict[str, dict[Key, tuple[str, bool]]] = {}
        self.bodies: dict[tuple[str, Key], str] = {}  # the body of each post read from disk
        self._read: dict[str, str | None] = {}

    def read(self, rel: str) -> str | None:
        """A post's text, or None where bb would not read it as a post (``read_post``). Read
        once: the person's history, the brief's wording plan and their previous draft all ask
        for the same files, which do not change while a run renders."""
        if rel not in self._read:
            self._read[rel] = read_post(self.root, rel)
        return self._read[rel]

    def _posts(self, participant: str) -> dict[Key, tuple[str, bool]]:
        texts = self.texts.get(participant)
        if texts is None:
            texts = self.texts[participant] = {}
            for key, rel in self.paths.get(participant, {}).items():
                text = self.read(rel)
                if text is not None:
                    # The body only, as this run's drafts count: a short line of theirs must
                    # not be "used" by a word of the front matter ('topics: [security]').
                    body = self.bodies[(participant, key)] = post_body(text)
                    folded = flat(body)
                    texts[key] = (folded, ASKING in folded)
        return texts

    def drafts(self, brief_id: str, program: str) -> dict[str, str]:
        """Participant → the text of their post of ``program`` for this brief, on disk."""
        found: dict[str, str] = {}
        for participant, rels in self.paths.items():
            rel = rels.get((brief_id, program))
            if rel is not None:
                text = self.read(rel)
                if text is not None:
                    found[participant] = text
        return found

    def draft_of(self, participant: str, brief_id: str, program: str) -> str:
        """The text of the person's post of ``program`` for this brief on disk ('' if none)."""
        rel = self.paths.get(participant, {}).get((brief_id, program))
        return (self.read(rel) or "") if rel is not None else ""

    def other_posts(self, participant: str, brief_id: str) -> str:
        """Everything the person posts outside this brief, lower-cased, one space a gap (a
        draft still asking for their words is not posted yet: its lines are not used up)."""
        posts = self._posts(participant)
        return "\n".join(
            text for (brief, _), (text, asks) in posts.items() if brief != brief_id and not asks
        )

    def beside(self, participant: str, brief_id: str, program: str) -> str:
        """The person's other post on this brief (the other program's): it goes out on the
        same moment, once they fill it in if it asks for their words, so its lines are used
        up for this one."""
        posts = self._posts(participant)
        return "\n".join(
            text
            for (brief, other), (text, _) in posts.items()
            if brief == brief_id and other != program
        )

    def record(self, participant: str, brief_id: str, program: str, text: str) -> None:
        """A draft of this run: later drafts in the same run do not repeat its lines. It takes
        the place of the person's post on disk, unless that one stays."""
        key = (brief_id, program)
        posts = self._posts(participant)
        rel = self.paths.get(participant, {}).get(key)
        # The same body as on disk (a rerun) has the same lines whichever counts: only a
        # changed one needs to know whether the file stays.
        same = self.bodies.get((participant, key)) == post_body(text)
        if rel is not None and not same and self.stays(rel, self.read(rel)):
            return
        folded = flat(text)
        posts[key] = (folded, ASKING in folded)
