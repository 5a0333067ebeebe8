"""Correcting an archive: every page under a folder, in parallel, resumable, never half-written.

Each worker process builds one `Corrector` when it starts (models load once per worker, not per
page) and turns a page path into the corrected text and its edit log. The parent process alone
writes, each file atomically (temporary file, then rename), the text first and the edit log
last: a page counts as finished only when both exist and the log's page record carries the
SHA-256 of the input as it is now, so a run killed at any moment loses no finished page and a
resumed run redoes exactly the unfinished ones. Input files are only ever read.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import Config
from .errors import InputError, KocorrectError
from .io import TEMP_SUFFIX, read_bytes, read_page, sha256_hex, write_text_atomic
from .pipeline import Corrector
from .render import edit_log, parse_edit_log

__all__ = [
    "BatchSummary",
    "PageResult",
    "edit_log_path",
    "find_pages",
    "format_summary",
    "is_finished",
    "process_page",
    "run_batch",
]

SUMMARY_NAME = "summary.json"


def edit_log_path(output: Path) -> Path:
    """Where a page's edit log goes: beside it, the final `.txt` replaced by `.edits.jsonl`.

    >>> edit_log_path(Path("a/page001.ocr.txt")).as_posix()
    'a/page001.ocr.edits.jsonl'
    """
    stem = output.name[: -len(".txt")] if output.name.endswith(".txt") else output.name
    return output.with_name(stem + ".edits.jsonl")


def find_pages(indir: Path, pattern: str = "*.txt") -> list[Path]:
    """Page files under `indir` (recursive) matching `pattern`, as sorted relative paths."""
    found = (p for p in indir.rglob(pattern) if not p.is_dir())
    return sorted(p.relative_to(indir) for p in found)


def _version() -> str:
    from . import __version__

    return __version__


def _logged_sha256(log: Path) -> str | None:
    try:
        with open(log, encoding="utf-8") as f:
            first = f.readline()
        record = json.loads(first)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("type") != "page":
        return None
    sha = record.get("sha256")
    return sha if isinstance(sha, str) else None


def is_finished(source: Path, output: Path) -> bool:
    """True when `output` and its edit log exist and the log was made from `source` as it is now."""
    log = edit_log_path(output)
    if not (output.is_file() and log.is_file()):
        return False
    logged = _logged_sha256(log)
    if logged is None:
        return False
    try:
        return logged == sha256_hex(read_bytes(source))
    except InputError:
        return False


@dataclass(frozen=True, slots=True)
class PageResult:
    """What one page contributed: its counts, or the reason it failed."""

    path: str
    chars: int = 0
    edits_by_kind: dict[str, int] = field(default_factory=dict)
    suggestions: int = 0
    flags: int = 0
    error: str | None = None
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """Totals of a batch run, as written to `summary.json`."""

    pages: int
    corrected: int
    resumed: int
    chars: int
    edits: int
    edits_by_kind: dict[str, int]
    suggestions: int
    flags: int
    failed: list[dict[str, str]]

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "corrected": self.corrected,
            "resumed": self.resumed,
            "chars": self.chars,
            "edits": self.edits,
            "edits_by_kind": self.edits_by_kind,
            "suggestions": self.suggestions,
            "flags": self.flags,
            "failed": self.failed,
        }


def summarize(results: Sequence[PageResult]) -> BatchSummary:
    kinds: Counter[str] = Counter()
    for r in results:
        kinds.update(r.edits_by_kind)
    done = [r for r in results if r.error is None]
    return BatchSummary(
        pages=len(results),
        corrected=sum(1 for r in done if not r.skipped),
        resumed=sum(1 for r in done if r.skipped),
        chars=sum(r.chars for r in done),
        edits=sum(kinds.values()),
        edits_by_kind=dict(sorted(kinds.items())),
        suggestions=sum(r.suggestions for r in done),
        flags=sum(r.flags for r in done),
        failed=[{"path": r.path, "reason": r.error} for r in results if r.error is not None],
    )


def format_summary(summary: BatchSummary) -> str:
    """The short table printed at the end of a batch."""
    rows = [
        ("pages", summary.pages),
        ("  corrected now", summary.corrected),
        ("  finished before (resumed)", summary.resumed),
        ("  failed", len(summary.failed)),
        ("characters", summary.chars),
        ("edits", summary.edits),
        *((f"  {kind}", n) for kind, n in summary.edits_by_kind.items()),
        ("suggestions", summary.suggestions),
        ("flags", summary.flags),
    ]
    lines = [f"{label:<30}{value:>10}" for label, value in rows]
    lines += [f"FAILED {f['path']}: {f['reason']}" for f in summary.failed]
    return "\n".join(lines)


def _counts_from_log(path: str, log_text: str) -> PageResult:
    log = parse_edit_log(log_text, source=path)
    return PageResult(
        path=path,
        chars=int(log.page.get("length", 0)),
        edits_by_kind=dict(Counter(e.kind for e in log.edits)),
        suggestions=len(log.suggestions),
        flags=len(log.flags),
    )


# ------------------------------------------------------------------------------ workers ----

_worker_corrector: Corrector | None = None


def _uses_models(config: Config) -> bool:
    """Whether any stage that needs the language model or lexicons is switched on."""
    return config.layout or config.names or config.correct


def _ready_corrector(config: Config) -> Corrector:
    corrector = Corrector(config=config)
    if _uses_models(config):  # load now, not on the first page (and not at all if unused)
        corrector.warm_up()
    return corrector


def _init_worker(config: Config) -> None:
    """Process-pool initializer: one Corrector per worker, loaded before the first page."""
    global _worker_corrector
    _worker_corrector = _ready_corrector(config)


@dataclass(frozen=True, slots=True)
class _Done:
    rel: str
    text: str
    log: str


def _correct_file(corrector: Corrector, source: str, rel: str, encoding: str | None) -> _Done:
    page = read_page(source, encoding)
    result = corrector.correct_large(page.text)
    log = edit_log(result, path=rel, sha256=page.sha256, version=_version())
    return _Done(rel, result.text, log)


def _work(
    source: str, rel: str, encoding: str | None, corrector: Corrector | None = None
) -> _Done | PageResult:
    """Run in a worker: the corrected page, or a failed `PageResult` (never raises)."""
    corrector = corrector or _worker_corrector
    assert corrector is not None, "worker not initialised"
    try:
        return _correct_file(corrector, source, rel, encoding)
    except KocorrectError as exc:
        return PageResult(path=rel, error=str(exc))
    except Exception as exc:  # a bug on one page must not stop the archive
        return PageResult(path=rel, error=f"internal error ({type(exc).__name__}: {exc})")


def process_page(
    corrector: Corrector, indir: Path, outdir: Path, rel: str, *,
    encoding: str | None = None, resume: bool = False,
) -> PageResult:  # fmt: skip
    """Correct one page `indir/rel` and write `outdir/rel` and its edit log, as the local engine
    does (each file atomically, the log last); other engines call this on their workers.

    With `resume`, a page already finished is only counted. A page that cannot be read or
    corrected comes back as a failed `PageResult`; an `OSError` while writing is raised, so the
    caller can retry the page.
    """
    source, target = indir / rel, outdir / rel
    if resume and is_finished(source, target):
        log_text = edit_log_path(target).read_text(encoding="utf-8")
        return replace(_counts_from_log(rel, log_text), skipped=True)
    outcome = _work(str(source), rel, encoding, corrector=corrector)
    if isinstance(outcome, PageResult):
        return outcome
    _write_page(outdir, outcome)
    return _counts_from_log(rel, outcome.log)


# ---------------------------------------------------------------------------------- run ----


def remove_stale_temporaries(outdir: Path) -> int:
    """Delete temporary files a killed run left under `outdir`; returns how many."""
    removed = 0
    for tmp in outdir.rglob(f"*{TEMP_SUFFIX}"):
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _check_folders(indir: Path, outdir: Path) -> None:
    if not indir.is_dir():
        raise InputError(f"{indir}: not a folder; give the folder that holds the page files")
    inside = outdir.resolve()
    if inside == indir.resolve() or indir.resolve() in inside.parents:
        raise InputError(
            f"{outdir}: the output folder is inside the input folder {indir}; "
            "choose an OUTDIR outside INDIR so inputs are never overwritten or re-read"
        )


def _write_page(outdir: Path, done: _Done) -> None:
    target = outdir / done.rel
    write_text_atomic(target, done.text)  # text first, the log (the "finished" mark) last
    write_text_atomic(edit_log_path(target), done.log)


def _results(
    indir: Path, outdir: Path, todo: Sequence[Path], *, config: Config, jobs: int,
    encoding: str | None, corrector: Corrector | None,
) -> Iterator[PageResult]:  # fmt: skip
    """Correct `todo` (relative paths), write each page as it finishes, yield its counts."""

    def finish(outcome: _Done | PageResult) -> PageResult:
        if isinstance(outcome, PageResult):
            return outcome
        try:
            _write_page(outdir, outcome)
        except OSError as exc:
            return PageResult(path=outcome.rel, error=f"cannot write output: {exc}")
        return _counts_from_log(outcome.rel, outcome.log)

    args = [(str(indir / rel), rel.as_posix(), encoding) for rel in todo]
    if jobs <= 1 or len(todo) <= 1:
        corrector = corrector or _ready_corrector(config)
        for a in args:
            yield finish(_work(*a, corrector=corrector))
        return
    # "spawn", not fork: forking a process whose Kiwi already runs threads can deadlock.
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(config,),
    )
    try:
        futures = [pool.submit(_work, *a) for a in args]
        for future in as_completed(futures):
            yield finish(future.result())
    finally:
        # On Ctrl-C (or any error) drop the queued pages at once instead of finishing them.
        pool.shutdown(wait=True, cancel_futures=True)


def run_batch(
    indir: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    *,
    config: Config | None = None,
    pattern: str = "*.txt",
    pages: Iterable[str | os.PathLike[str]] | None = None,
    jobs: int | None = None,
    resume: bool = False,
    encoding: str | None = None,
    progress: Callable[[int, str], Any] | None = None,
    progress_bar: bool | None = None,
    corrector: Corrector | None = None,
) -> BatchSummary:
    """Correct every page under `indir` into `outdir` and write `outdir/summary.json`.

    With `jobs=1` the pages are corrected in this process, by `corrector` if given (its config
    then replaces `config`: a caller can reuse one loaded Corrector for many batches).

    `progress_bar` shows a tqdm bar (pages/s, ETA) on stderr; None means only on a terminal.
    `progress(n, path)` is called after each page, for callers that report differently.
    `pages` (paths relative to `indir`, e.g. from `kocorrect.listing.read_page_list`) replaces
    the search by `pattern`.
    """
    from tqdm import tqdm

    source_dir, target_dir = Path(indir), Path(outdir)
    _check_folders(source_dir, target_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(
            f"{target_dir}: cannot create the output folder ({err.strerror}); "
            "choose an OUTDIR you can write to"
        ) from err
    remove_stale_temporaries(target_dir)
    if corrector is not None:
        config = corrector.config
        jobs = jobs or 1
    config = config or Config()
    jobs = jobs or os.cpu_count() or 1

    pages = find_pages(source_dir, pattern) if pages is None else [Path(p) for p in pages]
    results: list[PageResult] = []
    todo: list[Path] = []
    for rel in pages:
        output = target_dir / rel
        if resume and is_finished(source_dir / rel, output):
            log_text = edit_log_path(output).read_text(encoding="utf-8")
            counts = _counts_from_log(rel.as_posix(), log_text)
            results.append(replace(counts, skipped=True))
        else:
            todo.append(rel)

    show = sys.stderr.isatty() if progress_bar is None else progress_bar
    with tqdm(
        total=len(pages), initial=len(results), unit="page", disable=not show, file=sys.stderr,
        dynamic_ncols=True, smoothing=0.1,
    ) as bar:  # fmt: skip
        for result in _results(
            source_dir,
            target_dir,
            todo,
            config=config,
            jobs=jobs,
            encoding=encoding,
            corrector=corrector,
        ):
            results.append(result)
            bar.update(1)
            if progress is not None:
                progress(len(results), result.path)

    results.sort(key=lambda r: r.path)
    summary = summarize(results)
    text = json.dumps(summary.as_dict(), ensure_ascii=False, indent=1) + "\n"
    write_text_atomic(target_dir / SUMMARY_NAME, text)
    return summary
