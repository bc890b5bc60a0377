"""`bb draft`: render each participant's posts for a brief, lint them, write them safely."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from bloomberry_cli.drafting.briefing import briefing_for, briefing_meta
from bloomberry_cli.drafting.draft_row import DraftRow
from bloomberry_cli.drafting.engine import Engine, Origin
from bloomberry_cli.drafting.history import read_post
from bloomberry_cli.drafting.selection import DraftJob, plan_jobs
from bloomberry_cli.drafting.voicefit import given_words_note, voice_fit
from bloomberry_cli.errors import BBError, Problem, ProblemsError
from bloomberry_cli.forking import map_chunks
from bloomberry_cli.gitrepo import outside_any_repository
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.lint import Linter
from bloomberry_cli.governance.resharing import reshare_record
from bloomberry_cli.limits import outside_workspace
from bloomberry_cli.models import Program
from bloomberry_cli.posts import Post, PostError, body_sha256, parse_post, render_post
from bloomberry_cli.textfile import atomic_write
from bloomberry_cli.workspace import Workspace


@dataclass
class DraftOptions:
    participants: tuple[str, ...] = ()
    program: Program | None = None
    engine: Literal["template", "llm"] | None = None
    model: str | None = None
    jobs: int | None = None
    force: bool = False
    dry_run: bool = False
    use_cache: bool = True
    #: Seconds before the first retry of a rate-limited or timed-out request; doubles each time.
    backoff: float = 1.0


def approved_posts(workspace: Workspace) -> set[str]:
    """Posts with any approval in the history (the one trail reader, one git call)."""
    if outside_any_repository(workspace.root):
        return set()  # no history, and no trail modules to load for it
    from bloomberry_cli.approvals.status import verified_decisions

    return {
        path
        for path, decisions in verified_decisions(workspace).items()
        if any(d.record.decision == "approve" for d in decisions)
    }


def _make_engine(
    workspace: Workspace,
    options: DraftOptions,
    completion: Callable[..., Any] | None,
    approved: set[str],
) -> Engine:
    from bloomberry_cli.drafting.template_engine import TemplateEngine

    engine = options.engine or workspace.config.drafting.engine
    if engine == "template":
        # Which posts on disk this run leaves as they are: what goes out is then their text,
        # and the engine counts their lines as used, not the drafts it makes for them.
        def stays(path: str, text: str | None) -> bool:
            return _kept_as_is(path, _readable(text, path), approved, options.force) is not None

        return TemplateEngine(workspace, stays)
    return _make_llm_engine(workspace, options, completion)


# --- the LLM engine's wiring ---------------------------------------------------------------


def _make_llm_engine(
    workspace: Workspace, options: DraftOptions, completion: Callable[..., Any] | None
) -> Engine:
    from bloomberry_cli import llm_client
    from bloomberry_cli.drafting.cache import ResponseCache
    from bloomberry_cli.drafting.llm_engine import LlmEngine
    from bloomberry_cli.drafting.retry import Backoff
    from bloomberry_cli.userdirs import cache_dir

    model = options.model or os.environ.get("BB_MODEL") or workspace.config.drafting.model
    if not model:
        raise BBError(
            "the llm engine needs a model",
            hint="pass --model, set BB_MODEL, or set drafting.model in bloomberry.yaml",
        )
    if completion is None:
        llm_client.require()
        llm_client.start_loading()
    drafting = workspace.config.drafting
    client = llm_client.LlmClient(
        model, timeout=drafting.timeout, fallbacks=drafting.fallbacks, completion=completion
    )
    linter = Linter(workspace)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def check(job: DraftJob, body: str) -> list[Finding]:
        text = _post_text(workspace, job, body, ("llm", model), stamp)
        return linter.check(parse_post(text, job.path)).findings

    cache = ResponseCache(cache_dir() / "llm", refresh=not options.use_cache)
    return LlmEngine(
        workspace,
        client,
        retries=drafting.retries,
        cache=cache,
        backoff=Backoff(options.backoff),
        check=check,
    )


def draft_briefs(
    workspace: Workspace,
    brief_refs: Iterable[str],
    options: DraftOptions,
    *,
    completion: Callable[..., Any] | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[DraftRow]:
    """Draft every post the briefs ask for. Nothing a person edited or approved is overwritten
    unless ``options.force``."""
    brief_ids = list(dict.fromkeys(workspace.find_brief(ref) for ref in brief_refs))
    jobs = [
        job
        for brief_id in brief_ids
        for job in plan_jobs(
            workspace, brief_id, participants=options.participants, program=options.program
        )
    ]
    if not jobs:
        raise BBError(
            "nothing to draft: no participant of these briefs takes part in "
            f"{options.program or 'any program'}"
        )
    _refuse_what_is_in_the_way(workspace, jobs)
    approved = approved_posts(workspace) if not options.force else set()
    engine = _make_engine(workspace, options, completion, approved)
    drafted = engine.draft(jobs, options.jobs or workspace.config.drafting.jobs, on_progress)
    texts, failures, origins, reasked = (
        drafted.texts,
        drafted.failures,
        drafted.origins,
        drafted.reasked,
    )
    linter = Linter(workspace, today)
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    drafts = [
        (job, _post_text(workspace, job, texts[job], origins[job], stamp))
        for job in jobs
        if job not in failures
    ]
    try:
        written = _write_all(workspace, drafts, linter, approved, options)
        rows = []
        for job in jobs:
            if job in failures:
                rows.append(DraftRow(job, "failed", failures[job]))
                continue
            row = written[job]
            row.reasked = reasked.get(job, [])
            rows.append(row)
        _add_resharing(workspace, rows)
    except KeyboardInterrupt:
        if options.dry_run:
            raise
        raise WritingInterrupted(len(drafts)) from None
    return rows


def _refuse_what_is_in_the_way(workspace: Workspace, jobs: list[DraftJob]) -> None:
    """A folder under posts/ linked out of the workspace (a pull request's) would take the
    drafts out of it, and a folder where a draft file goes would stop the run half way:
    both are refused before anything is drafted or written."""
    folders = {os.path.dirname(job.path) for job in jobs}
    # posts/ first: the link to name is the outermost one.
    for folder in sorted(folders | {os.path.dirname(f) for f in folders} - {""}):
        escaped = outside_workspace(workspace.root, workspace.root / folder, folder)
        if escaped is not None:
            raise BBError(f"{escaped.path}: {escaped.message}", hint=escaped.hint)
    root = workspace.root
    made = {folder for folder in folders if (root / folder).is_dir()}
    in_the_way = [
        Problem(folder, "is a file, where a folder of drafts goes")
        for folder in sorted(folders - made)
        if (root / folder).exists()
    ] or [
        Problem(job.path, "is a folder, where this draft's file goes")
        for job in jobs
        # a folder not made yet holds nothing: no look at each of its drafts
        if os.path.dirname(job.path) in made and (root / job.path).is_dir()
    ]
    if in_the_way:
        raise ProblemsError(
            in_the_way,
            "drafts cannot be written where they go; nothing was drafted",
            hint="move or rename what is in the way, then run bb draft again",
        )


class WritingInterrupted(BBError):
    """Ctrl-C while the drafts were being written: some may be on disk already."""

    exit_code = 130

    def __init__(self, total: int) -> None:
        super().__init__(
            f"interrupted while writing {total} drafts: those written so far are kept; "
            "the same bb draft again leaves them as they are and writes the rest"
        )


# Drafts per run above which checking and writing them uses every core.
PARALLEL_MIN_DRAFTS = 500


def _write_all(
    workspace: Workspace,
    drafts: list[tuple[DraftJob, str]],
    linter: Linter,
    approved: set[str],
    options: DraftOptions,
) -> dict[DraftJob, DraftRow]:
    """Lint, voice-score and write each draft (``_write``), on every core for a large run."""

    def write_chunk(chunk: list[tuple[DraftJob, str]], in_worker: bool) -> list[DraftRow]:
        rows = [_write(workspace, job, text, linter, approved, options) for job, text in chunk]
        if in_worker:
            for row in rows:
                row.parsed = None  # parsed again if needed: faster than unpickling it
        return rows

    parts = map_chunks(
        write_chunk, drafts, min_items=PARALLEL_MIN_DRAFTS, before_fork=linter.build_all
    )
    return {row.job: row for part in parts for row in part}


def _add_resharing(workspace: Workspace, rows: list[DraftRow]) -> None:
    """The cross-post rule: the new advocacy drafts against each other and the brief's posts."""
    from bloomberry_cli.governance.resharing import resharing_findings

    drafted = {row.job.path: row for row in rows}
    shares = [row.share for row in rows if row.share is not None]
    for finding in resharing_findings(workspace, shares, complete=False):
        drafted[finding.path].findings.append(finding)


def _post_text(
    workspace: Workspace, job: DraftJob, body: str, origin: Origin, stamp: dt.datetime
) -> str:
    brief = workspace.briefs[job.brief_id]
    section = brief.section(job.program)
    meta = {
        "brief": job.brief_id,
        "participant": job.participant,
        "program": job.program,
        "channel": brief.channel,
        "scheduled": brief.scheduled,
        "engine": origin[0],
        "model": origin[1],
        "generated": stamp,
        "generated_sha256": body_sha256(body),
        "claims": list(getattr(section, "claims", []) or []) or None,
        "topics": list(brief.topics) or None,
        "briefing": briefing_meta(briefing_for(workspace, job)),
    }
    return render_post(meta, body)


def _write(
    workspace: Workspace,
    job: DraftJob,
    text: str,
    linter: Linter,
    approved: set[str],
    options: DraftOptions,
) -> DraftRow:
    brief = workspace.briefs[job.brief_id]
    post = parse_post(text, job.path)
    checked = linter.check(post)
    channel = workspace.config.channel(brief.channel)
    fit = voice_fit(workspace, post)
    row = DraftRow(
        job,
        "written",
        length=len(post.body.strip()),
        limit=channel.max_length if channel else None,
        findings=checked.findings,
        voice=fit.score.score if fit else None,
        voice_threshold=workspace.config.lint.voice_threshold,
        voice_judged=fit.judged if fit else True,
        voice_note=given_words_note(workspace, job, post, fit) if fit and fit.below else None,
        briefed=[b.campaign for b in post.meta.briefing],
        share=reshare_record(post, checked.prose),
        source=text,
        parsed=post,
    )
    target = workspace.root / job.path
    exists = target.exists()
    if exists:
        # Read as the template engine's history reads it (a BOM dropped; a link out of the
        # workspace or a file over the size limit is no readable post), so what this run
        # replaces is what the history counted as replaced.
        existing = read_post(workspace.root, job.path)
        reason = _protected(workspace, job, existing, post, approved, options.force)
        if reason == "unchanged":
            row.status = "unchanged"
            return row
        if reason:
            row.status, row.reason = "skipped", reason
            return row
        row.status = "updated"
    if options.dry_run:
        row.status = "would write"
        return row
    try:
        atomic_write(target, text, new=not exists)
    except OSError as exc:
        raise _file_error(job.path, "cannot write the draft", exc) from None
    return row


def _file_error(path: str, what: str, exc: OSError) -> BBError:
    reason = exc.strerror or str(exc)
    return BBError(
        f"{path}: {what}: {reason}",
        hint="check that posts/ and its folders are writable by you, and that the "
        "path is a file, not a folder",
    )


def _protected(
    workspace: Workspace,
    job: DraftJob,
    existing: str | None,
    drafted: Post,
    approved: set[str],
    force: bool,
) -> str | None:
    """Why an existing file must not be replaced, 'unchanged' if it need not be, else None.
    A new briefing (a campaign added or changed since) is a change, like a new body."""
    current = _readable(existing, job.path)
    if (
        current is not None
        and current.meta.generated_sha256 == body_sha256(drafted.body)
        and not current.edited
        and current.meta.briefing == drafted.meta.briefing
    ):
        return "unchanged"
    return _kept_as_is(job.path, current, approved, force)


def _readable(text: str | None, path: str) -> Post | None:
    """The post a file's text holds (``read_post``), or None where it is not one."""
    try:
        return parse_post(text, path) if text is not None else None
    except PostError:
        return None


def _kept_as_is(path: str, current: Post | None, approved: set[str], force: bool) -> str | None:
    """Why a post on disk stays as it is whatever is drafted for it (None: it is replaced)."""
    if force:
        return None
    if path in approved:
        return "it has an approval; --force redrafts it (and needs new approvals)"
    if current is None:
        return "the existing file is not a readable post; --force replaces it"
    if current.meta.generated_sha256 is None or current.edited:
        return "a person edited it; --force overwrites their edits"
    return None
