"""A decision as a commit: bb's message, the post as git stores it, a signature, and the
commit read back; anything else is refused with the index put back (DESIGN.md, Trail
model 2 and 11)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from bloomberry_cli.approvals.state import PostStatus
from bloomberry_cli.approvals.trailers import (
    DecisionRecord,
    MalformedMessage,
    format_message,
    parse_decision,
)
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import config_value, git, git_bytes
from bloomberry_cli.workspace import Workspace


def _as_read(record: DecisionRecord) -> DecisionRecord:
    """What the trail will read, the reason compared by its words (git keeps it verbatim, the
    parser joins its paragraphs)."""
    reason = " ".join(record.reason.split()) if record.reason else None
    return dataclasses.replace(record, reason=reason or None)


def decision_message(record: DecisionRecord) -> str:
    """The commit message for ``record``, refused (exit 2) unless the trail will read it back
    as this very decision: a reason with a line like ``Bb-Source: legal`` or a URL holding a
    line break would make a decision that never counts, a reject that silently is not one."""
    message = format_message(record)
    why = ""
    try:
        read = parse_decision(message)
    except MalformedMessage as exc:
        read, why = None, str(exc)
    if read is None or _as_read(read) != _as_read(record):
        raise BBError(
            f"this {record.decision} cannot be recorded as written: the trail would not read "
            f"it back ({why if read is None else 'its fields change'})",
            hint="reword the reason without lines that start like a bb trailer ('Bb-…:'), "
            "and give the URL on one line",
        )
    return message


def commit_decision(workspace: Workspace, status: PostStatus, record: DecisionRecord) -> str:
    """Commit the post as it is (with any edit the reviewer made) and the decision trailers,
    bound to the commit it is made on (``Bb-Parent``). If anything fails or is interrupted, the
    index is put back: no half-made decision."""
    root = workspace.root
    path = status.path
    if (root / path).is_symlink():
        raise BBError(f"{path} is a symbolic link; bb decides only on post files themselves")
    head = git(root, "rev-parse", "HEAD").stdout.strip()
    record = dataclasses.replace(record, parent=head)
    message = decision_message(record)
    # Signed unless the workspace allows unsigned decisions and no signing key is set up.
    signed = not workspace.config.approvals.allow_unsigned or bool(
        config_value(root, "user.signingkey")
    )
    committed = False
    try:
        git(root, "add", "--", path)
        _check_staged(root, path, record)
        sign = ["-S"] if signed else ["--no-gpg-sign"]
        # Usually nothing but the decision changes: the commit is empty apart from its message.
        # The message is bb's format, not a person's: no commit-msg hook (a Change-Id line
        # would make it malformed) and no cleanup (commit.cleanup=strip drops '#' lines).
        result = git(
            root,
            "commit",
            "--quiet",
            "--allow-empty",
            "--no-verify",
            "--cleanup=verbatim",
            *sign,
            "-F",
            "-",
            "--",
            path,
            input=message,
            check=False,
        )
        if not result.ok:
            text = f"{result.stderr}\n{result.stdout}".lower()
            signing = any(word in text for word in ("sign", "gpg", "ssh-keygen", "key"))
            raise BBError(
                f"git could not make the {'signed ' if signed else ''}commit: {result.message}",
                hint="run `bb keys setup` to create and configure a signing key"
                if signing
                else None,
            )
        _check_committed(root, record)
        committed = True
    finally:
        if not committed:
            git(root, "reset", "--quiet", "--", path, check=False)
    return git(root, "rev-parse", "HEAD").stdout.strip()


def _check_staged(root: Path, path: str, record: DecisionRecord) -> None:
    """The trail hashes the blob git stores (DESIGN.md, Trail model 11), and so did status
    (``gitrepo.stored_sha256s``): line ends git converts are fine. Git staging something else
    (a clean filter that is not the same twice, a repository bb could not write to) would make
    a decision that never counts: refused rather than recorded."""
    stored = hashlib.sha256(git_bytes(root, "cat-file", "blob", f":./{path}")).hexdigest()
    if stored != record.post_sha256:
        raise BBError(
            f"git stores {path} otherwise than bb read it (a clean filter in .gitattributes "
            "that gives another result each time?), so a decision on it would never count",
            hint="store posts as they are: no filter attributes on posts/ "
            "(`git check-attr -a -- PATH` lists them)",
        )


def _check_committed(root: Path, record: DecisionRecord) -> None:
    """The commit just made says what was decided; else it is undone (a prepare-commit-msg
    hook or a setting rewrote it: a decision the trail would not count, or another one)."""
    made = git(root, "log", "-1", "--no-show-signature", "--format=%B", "HEAD").stdout
    try:
        same = _as_read(parse_decision(made)) == _as_read(record)
    except MalformedMessage:
        same = False
    if not same:
        git(root, "reset", "--quiet", "--soft", record.parent)
        raise BBError(
            f"git committed another message than bb's {record.decision}, so bb undid the "
            "commit: a git hook (prepare-commit-msg) or setting rewrites commit messages here",
            hint="let bb's decision commits through that hook, then decide again",
        )
