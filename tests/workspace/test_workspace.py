"""Loading, validating and reporting workspace files: what marketing ops see when a file is
wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bloomberry_cli.errors import WorkspaceError
from bloomberry_cli.workspace import load_workspace
from conftest import BB, git


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def problems(root: Path) -> list[str]:
    with pytest.raises(WorkspaceError) as caught:
        load_workspace(root)
    return [str(p) for p in caught.value.problems]


def test_example_workspace_is_valid(workspace: Path, bb: BB) -> None:
    result = bb("validate", cwd=workspace)
    assert result.code == 0, result.err
    assert "5 participants, 3 briefs" in result.out
    assert "warning" not in result.err  # every pillar is used, every TL participant has some
    loaded = load_workspace(workspace)
    assert loaded.briefs["soc2-type2"].thought_leadership is not None
    assert loaded.voices["priya"].approvals == {"advocacy": ["author"]}


def test_validate_finds_the_root_from_a_subdirectory(workspace: Path, bb: BB) -> None:
    assert bb("validate", cwd=workspace / "briefs").code == 0


def test_directory_option_and_env(
    workspace: Path, tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bb("-C", str(workspace), "validate", cwd=tmp_path).code == 0
    monkeypatch.setenv("BB_WORKSPACE", str(workspace))
    assert bb("validate", cwd=tmp_path).code == 0


def test_missing_config_is_a_usage_error(tmp_path: Path, bb: BB) -> None:
    result = bb("validate", cwd=tmp_path)
    assert result.code == 2
    assert "no bloomberry.yaml" in result.err
    assert "bb init" in result.err
    assert "Traceback" not in result.err


def test_tab_indentation(workspace: Path, bb: BB) -> None:
    (workspace / "voices" / "tab.yaml").write_text("name: A\nrole: r\nstyle:\n\ttone: dry\n")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "voices/tab.yaml:4:1" in result.err
    assert "tab" in result.err


def test_unclosed_quote_points_at_the_quote(workspace: Path) -> None:
    (workspace / "voices" / "q.yaml").write_text('name: "Alice\nrole: r\n')
    [found] = problems(workspace)
    assert found.startswith("voices/q.yaml:1:7: invalid YAML")
    assert "not closed" in found


def test_list_where_a_map_belongs(workspace: Path) -> None:
    replace(
        workspace / "voices" / "alice.yaml",
        "style:\n  tone: direct, technical, dry",
        "style:\n  - tone: direct",
    )
    text = (workspace / "voices" / "alice.yaml").read_text()
    (workspace / "voices" / "alice.yaml").write_text(text.split("  pronoun")[0])
    [found] = problems(workspace)
    assert "voices/alice.yaml:12:3: style: expected keys and values" in found


def test_unknown_key_suggests_the_right_one(workspace: Path) -> None:
    replace(
        workspace / "briefs" / "soc2-type2.yaml", "campaign: soc2-launch", "campain: soc2-launch"
    )
    [found] = problems(workspace)
    assert found == (
        "briefs/soc2-type2.yaml:4:1: campain: unknown key 'campain' (did you mean 'campaign'?)"
    )


def test_a_blank_name_or_role_is_named_like_a_missing_one_and_a_wordless_one_too(
    workspace: Path,
) -> None:
    """Drafts say them ("as {role}", "ask Alice to…"): blank, a draft would read "as "."""
    replace(workspace / "voices" / "alice.yaml", "name: Alice Chen", 'name: "  "')
    replace(workspace / "voices" / "dan.yaml", "role: Founder & CEO", "role: ''")
    replace(workspace / "voices" / "sam.yaml", "role: ", "role: '-' # was: ")
    assert problems(workspace) == [
        "voices/alice.yaml:2:7: name: is empty; write their name, as posts and messages "
        "should show it",
        "voices/dan.yaml:3:7: role: is empty; write their role, as drafts should say it "
        "(e.g. 'Head of Security')",
        "voices/sam.yaml:3:7: role: has no words; write their role, as drafts should say it "
        "(e.g. 'Head of Security')",
    ]


def test_a_blank_company_name_is_refused(workspace: Path) -> None:
    """Every disclosure says it: blank, advocacy posts would say "(I work at .)"."""
    replace(workspace / "bloomberry.yaml", "name: Acme Security", 'name: ""')
    [found] = problems(workspace)
    assert found.startswith("bloomberry.yaml:")
    assert "company → name: is empty; write the company's name as people write it" in found


def test_unknown_nested_key_names_the_path(workspace: Path) -> None:
    replace(workspace / "bloomberry.yaml", "  jobs: 4", "  jobz: 4")
    [found] = problems(workspace)
    assert "bloomberry.yaml:39:3: drafting → jobz: unknown key 'jobz'" in found
    assert "did you mean 'jobs'" in found


def test_wrong_type(workspace: Path) -> None:
    replace(workspace / "bloomberry.yaml", "  jobs: 4", "  jobs: many")
    [found] = problems(workspace)
    assert "bloomberry.yaml:39:9: drafting → jobs:" in found
    assert "'many' is not a whole number" in found


def test_wrong_literal_lists_the_choices(workspace: Path) -> None:
    replace(
        workspace / "voices" / "sam.yaml",
        "programs: [thought-leadership]",
        "programs: [thought-leader]",
    )
    [found] = problems(workspace)
    assert "voices/sam.yaml:8:12: programs → 0: 'thought-leader' is not allowed" in found
    assert "'advocacy' or 'thought-leadership'" in found


def test_duplicate_id_across_two_files(workspace: Path) -> None:
    (workspace / "voices" / "alice-chen.yaml").write_text("id: alice\nname: A\nrole: r\n")
    [found] = problems(workspace)
    assert found.startswith(
        "voices/alice-chen.yaml:1:5: id 'alice' is already used by voices/alice.yaml"
    )


def test_duplicate_key_in_one_file(workspace: Path) -> None:
    (workspace / "voices" / "x.yaml").write_text("name: A\nrole: r\nname: B\n")
    [found] = problems(workspace)
    assert "voices/x.yaml:3:1" in found and "appears twice (first on line 1)" in found


def test_empty_file(workspace: Path) -> None:
    (workspace / "claims.yaml").write_text("# nothing yet\n")
    [found] = problems(workspace)
    assert found.startswith("claims.yaml:1:1: file is empty")


def test_binary_and_non_utf8_files(workspace: Path) -> None:
    (workspace / "voices" / "latin1.yaml").write_bytes("name: Jos\xe9\nrole: r\n".encode("latin-1"))
    (workspace / "voices" / "blob.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    found = problems(workspace)
    assert (
        "voices/latin1.yaml:1:10: is not valid UTF-8 (byte 0xe9) (save the file as UTF-8 "
        "in your editor)" in found
    )
    assert any(f.startswith("voices/blob.yaml:3: looks like a binary file") for f in found)


def test_huge_file_is_refused_without_reading_it(workspace: Path) -> None:
    with (workspace / "voices" / "big.yaml").open("w") as handle:
        handle.write("name: A\nrole: r\nsamples:\n")
        handle.write("  - lorem ipsum dolor sit amet\n" * 100_000)
    [found] = problems(workspace)
    assert "voices/big.yaml: file is 3.0 MB" in found


def test_unknown_references_say_which_ids_exist(workspace: Path) -> None:
    brief = workspace / "briefs" / "soc2-type2.yaml"
    replace(brief, "  - id: marcus", "  - id: marcos")
    replace(brief, "claims: [soc2-type2]", "claims: [soc2, unhackable]")
    replace(brief, "campaign: soc2-launch", "campaign: soc2-lunch")
    replace(brief, "role: Staff Engineer", "role: Staff Engneer")
    found = problems(workspace)
    assert (
        "briefs/soc2-type2.yaml:4:11: campaign: unknown campaign 'soc2-lunch' "
        "(did you mean 'soc2-launch'?)" in found
    )
    assert any(
        "advocacy → claims → 0: unknown approved claim 'soc2' (did you mean 'soc2-type2'?)" in f
        for f in found
    )
    assert any("advocacy → claims → 1: 'unhackable' is a blocked claim" in f for f in found)
    assert any(
        "participants → 1 → id: unknown participant 'marcos' (did you mean 'marcus'?)" in f
        for f in found
    )
    assert any(
        "no participant has role 'Staff Engneer' (did you mean 'Staff Engineer'?)" in f
        for f in found
    )
    assert len(found) == 5


def test_date_that_is_not_a_date(workspace: Path) -> None:
    replace(workspace / "calendar.yaml", "start: 2027-01-11", "start: 2027-02-30")
    replace(
        workspace / "briefs" / "soc2-type2.yaml", "scheduled: 2026-12-02", "scheduled: next tuesday"
    )
    found = problems(workspace)
    assert (
        "calendar.yaml:15:12: campaigns → 1 → start: '2027-02-30' is not a valid date "
        "(day is out of range for month) (write dates as YYYY-MM-DD)" in found
    )
    assert (
        "briefs/soc2-type2.yaml:7:12: scheduled: 'next tuesday' is not a date "
        "(write dates as YYYY-MM-DD)" in found
    )
    # The broken calendar does not cascade into "unknown campaign" errors in the briefs.
    assert len(found) == 2


def test_campaign_ending_before_it_starts(workspace: Path) -> None:
    replace(workspace / "calendar.yaml", "end: 2026-12-14", "end: 2026-11-14")
    [found] = problems(workspace)
    assert found == (
        "calendar.yaml:8:10: campaigns → 0 → end: ends on 2026-11-14, "
        "before it starts on 2026-12-01"
    )


def test_invalid_blocked_pattern_names_the_claim(workspace: Path) -> None:
    replace(workspace / "claims.yaml", '"guarantee[sd]? (?:results|savings)"', '"guarantee[sd"')
    replace(workspace / "claims.yaml", "[unhackable, ", "['', unhackable, ")
    found = problems(workspace)
    assert any(
        "blocked → 0 → patterns → 0: pattern 'guarantee[sd' is not accepted: missing ]" in f
        for f in found
    )
    assert any("blocked → 1 → phrases: an empty phrase would match every post" in f for f in found)


def test_every_problem_is_reported_in_one_run(workspace: Path, bb: BB) -> None:
    replace(workspace / "bloomberry.yaml", "  jobs: 4", "  jobz: 4")
    (workspace / "voices" / "empty.yaml").write_text("")
    replace(workspace / "calendar.yaml", "end: 2026-12-14", "end: 2026-11-14")
    before = {
        p: p.read_bytes() for p in workspace.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "3 problems in the workspace" in result.err
    assert "Traceback" not in result.err
    after = {
        p: p.read_bytes() for p in workspace.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert before == after


def test_policy_stage_nobody_holds(workspace: Path) -> None:
    replace(
        workspace / "bloomberry.yaml",
        "thought-leadership: [marketing, author]",
        "thought-leadership: [marketing, legal, author]",
    )
    [found] = problems(workspace)
    assert (
        "approvals → stages → thought-leadership → 1: no reviewer holds the role 'legal'" in found
    )


def test_init_creates_a_committed_workspace(tmp_path: Path, bb: BB) -> None:
    result = bb("init", "acme", cwd=tmp_path)
    assert result.code == 0, result.err
    root = tmp_path / "acme"
    assert (root / "bloomberry.yaml").is_file()
    assert (root / "voices" / "alice.yaml").is_file()
    assert git(root, "log", "--format=%s").strip() == "bb init: example workspace"
    assert git(root, "status", "--porcelain") == ""
    assert bb("validate", cwd=root).code == 0


def test_init_refuses_to_overwrite(workspace: Path, tmp_path: Path, bb: BB) -> None:
    (workspace / "bloomberry.yaml").write_text("company: {name: Mine}\n")
    result = bb("init", str(workspace), cwd=tmp_path)
    assert result.code == 2
    assert "already a bb workspace" in result.err
    assert (workspace / "bloomberry.yaml").read_text() == "company: {name: Mine}\n"

    partial = tmp_path / "partial"
    (partial / "briefs").mkdir(parents=True)
    (partial / "briefs" / "soc2-type2.yaml").write_text("mine")
    result = bb("init", str(partial), cwd=tmp_path)
    assert result.code == 2
    assert "briefs/soc2-type2.yaml" in result.err
    assert sorted(p.name for p in partial.rglob("*")) == ["briefs", "soc2-type2.yaml"]


def test_init_inside_an_existing_repository_does_not_commit(tmp_path: Path, bb: BB) -> None:
    git(tmp_path, "init", "-q")
    assert bb("init", "sub", cwd=tmp_path).code == 0
    assert not (tmp_path / "sub" / ".git").exists()
    assert "?? sub/" in git(tmp_path, "status", "--porcelain")


def test_init_says_to_commit_in_a_repository_without_commits(tmp_path: Path, bb: BB) -> None:
    git(tmp_path, "init", "-q")
    result = bb("init", "my program", cwd=tmp_path)
    assert result.code == 0
    assert "has no commits yet" in result.err
    assert "git add -A && git commit -m 'bb init'" in result.err
    assert "next: cd 'my program' && bb draft" in result.err


def test_init_without_git_identity_still_creates_files(
    tmp_path: Path, bb: BB, isolated_env: Path
) -> None:
    (isolated_env / ".gitconfig").write_text("")
    result = bb("init", "anon", cwd=tmp_path)
    assert result.code == 0
    assert "no first commit" in result.err
    assert (tmp_path / "anon" / "bloomberry.yaml").is_file()


def test_schema_for_every_kind(bb: BB, tmp_path: Path) -> None:
    import json

    for kind in ("config", "brief", "voice", "claims", "calendar"):
        result = bb("schema", kind, cwd=tmp_path)
        assert result.code == 0
        schema = json.loads(result.out)
        assert schema["type"] == "object"
    brief = json.loads(bb("schema", "brief", cwd=tmp_path).out)
    assert "thought-leadership" in brief["properties"]
    assert brief["additionalProperties"] is False
    assert bb("schema", "nonsense", cwd=tmp_path).code == 2


def test_validate_checks_posts_too(workspace: Path, bb: BB) -> None:
    post = workspace / "posts" / "soc2-type2" / "alice--advocacy.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\nbrief: soc2-typ2\nparticipant: alice\nprogram: advocacy\n"
        "channel: linkdin\n---\nHello.\n"
    )
    (post.parent / "broken.md").write_text("No front matter here.\n")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert (
        "alice--advocacy.md:2:8: brief: unknown brief 'soc2-typ2' (did you mean "
        "'soc2-type2'?)" in result.err
    )
    assert (
        "alice--advocacy.md:5:10: channel: unknown channel 'linkdin' (did you mean "
        "'linkedin'?)" in result.err
    )
    assert "broken.md:1:1: no front matter" in result.err
    post.write_text(
        post.read_text().replace("soc2-typ2", "soc2-type2").replace("linkdin", "linkedin")
    )
    (post.parent / "broken.md").unlink()
    result = bb("validate", cwd=workspace)
    assert result.code == 0 and "1 post\n" in result.out


def test_files_bb_writes_follow_the_umask(tmp_path: Path, bb: BB) -> None:
    import os
    import stat

    from bloomberry_cli import textfile

    textfile._new_file_mode.cache_clear()
    old = os.umask(0o022)
    try:
        assert bb("init", "acme", cwd=tmp_path).code == 0
        made = tmp_path / "acme" / "bloomberry.yaml"
        assert stat.S_IMODE(made.stat().st_mode) == 0o644
        made.chmod(0o640)
        textfile.atomic_write(made, made.read_text() + "\n")
        assert stat.S_IMODE(made.stat().st_mode) == 0o640  # an existing file keeps its mode
    finally:
        os.umask(old)
        textfile._new_file_mode.cache_clear()


@pytest.mark.parametrize("note", ['""', '"   "'])
def test_a_blank_note_is_refused_naming_the_line(workspace: Path, bb: BB, note: str) -> None:
    """A blank note drafted 'Something I keep hearing on calls: .' (a blank take was
    already refused)."""
    brief = workspace / "briefs" / "soc2-type2.yaml"
    text = brief.read_text()
    notes = text.index("    notes:", text.index("- id: marcus"))
    end = text.index("  - id: dan", notes)
    brief.write_text(text[:notes] + f"    notes: [{note}]\n" + text[end:])
    lines = text[:notes].count("\n") + 1
    result = bb("draft", "soc2-type2", cwd=workspace)
    assert result.code == 2, result.out
    assert f"briefs/soc2-type2.yaml:{lines}:" in result.err, result.err
    assert "a note is one of the person's own observations" in result.err
    assert not (workspace / "posts").exists()
