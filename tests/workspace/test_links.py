"""``outside_workspace``: a link that leaves the workspace is refused however the path is
written (absolute, relative, through a linked folder, with ``..``); links inside are fine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bloomberry_cli.limits import forget_folders, outside_workspace


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "posts" / "b").mkdir(parents=True)
    (root / "posts" / "b" / "own.md").write_text("x")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.md").write_text("s")
    (root / "posts" / "out").symlink_to(secret)  # a folder linked out
    (root / "posts" / "b" / "leak.md").symlink_to(secret / "key.md")  # a file linked out
    (root / "posts" / "in").symlink_to(root / "posts" / "b")  # a folder linked inside
    forget_folders()
    return root


def _refused(root: Path | str, path: Path | str) -> bool:
    return outside_workspace(root, path, "p") is not None


def test_links_out_are_refused_however_written(
    layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = layout
    assert _refused(root, root / "posts" / "out" / "key.md")
    assert _refused(root, root / "posts" / "b" / "leak.md")
    assert _refused(root, f"{root}/posts/b/../out/key.md")
    monkeypatch.chdir(root / "posts")
    assert _refused(root, "out/key.md")
    assert _refused("..", "b/leak.md")
    assert _refused("..", "out/../out/key.md")


def test_own_files_and_links_inside_are_read(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = layout
    assert not _refused(root, root / "posts" / "b" / "own.md")
    assert not _refused(root, root / "posts" / "in" / "own.md")
    assert not _refused(root, root / "posts" / "b" / "..")
    monkeypatch.chdir(root)
    assert not _refused(".", "posts/in/own.md")
    assert not _refused(root, os.path.join("posts", "b", "own.md"))
    # a file outside the workspace named on the command line is not the workspace's business
    assert not _refused(root, layout.parent / "secret" / "key.md")


def test_a_link_made_after_a_first_look_is_seen_in_a_new_run(layout: Path) -> None:
    root = layout
    assert not _refused(root, root / "posts" / "b" / "own.md")
    (root / "posts" / "b").rename(root / "posts" / "b-old")
    (root / "posts" / "b").symlink_to(layout.parent / "secret")
    forget_folders()  # what every bb command does first
    assert _refused(root, root / "posts" / "b" / "key.md")


def test_posts_are_named_from_the_root_however_the_root_is_written(
    layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bloomberry_cli.posts import find_posts

    monkeypatch.chdir(layout)
    expected = ["posts/b/leak.md", "posts/b/own.md"]
    assert find_posts(Path("."), [Path("posts/b")]) == expected
    assert find_posts(layout, [layout / "posts" / "b"]) == expected
    monkeypatch.chdir(layout / "posts")
    assert find_posts(Path(".."), [Path("b")]) == expected
