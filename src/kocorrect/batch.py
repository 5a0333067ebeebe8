"""Correcting an archive: every page under a folder, in parallel, resumable, never half-written.

Each worker process builds one `Corrector` when it starts (models load once per worker, not per
page) and turns a page path into the corrected text and its edit log (`process_page`). The
parent process alone writes (`finish_page`), each file atomically (temporary file, then
rename), the text first and the edit log last: a page counts as finished only when both exist,
the log's page record carries the SHA-256 of the input as it is now, and the output's SHA-256
and length match the ones the log recorded. So a run killed at any moment loses no finished
page, and a resumed run redoes exactly the unfinished or damaged ones. Input files are only
ever read.

A page in hOCR, ALTO or PAGE XML (`formats.is_format_file`: by extension and namespace) is read
by `kocorrect.formats`, corrected as text and written back in its own format under the same
name; its edit log's page record names the format and holds the SHA-256 and byte count of the
file written.

Ctrl-C stops the run cleanly: workers ignore SIGINT and the parent stops them, the pages
finished so far stay, `summary.json` is written for them with `"interrupted": true`, and
`run_batch` raises `BatchInterrupted` (a `KeyboardInterrupt` carrying that summary).

A per-page time limit (`page_timeout`) is an alarm (SIGALRM, Unix only) in the process that
corrects the page: when it rings, the page is recorded as failed with that reason and the
worker goes on with the next page. It interrupts Python code and blocking reads; a stage stuck
inside one call into the language model is interrupted when that call returns.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import Config
from .errors import ConfigError, InputError, KocorrectError
from .io import TEMP_SUFFIX, read_bytes, read_page, sha256_hex, write_text_atomic
from .pipeline import Corrector
from .render import edit_log, output_fingerprint, parse_edit_log
from .types import Correction, join_kinds

__all__ = [
    "BatchInterrupted",
    "BatchSummary",
    "CorrectedPage",
    "PageResult",
    "edit_log_path",
    "find_pages",
    "finish_page",
    "format_summary",
    "is_finished",
    "page_record",
    "process_page",
    "run_batch",
    "summary_json",
]

SUMMARY_NAME = "summary.json"

log = logging.getLogger("kocorrect")


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


def _logged_page(log_file: Path) -> dict[str, Any] | None:
    try:
        with open(log_file, encoding="utf-8") as f:
            first = f.readline()
        record = json.loads(first)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("type") != "page":
        return None
    return record


def is_finished(source: Path, output: Path) -> bool:
    """True when `output` and its edit log exist, the log was made from `source` as it is now,
    and `output` is still the text the log recorded (same SHA-256 and length; for an hOCR,
    ALTO or PAGE page the same SHA-256 and byte count)."""
    log_file = edit_log_path(output)
    if not (output.is_file() and log_file.is_file()):
        return False
    record = _logged_page(log_file)
    if record is None or not isinstance(record.get("sha256"), str):
        return False
    try:
        if record["sha256"] != sha256_hex(read_bytes(source)):
            return False
        if record.get("format") is not None:  # an OCR-format page: its bytes as written
            from .formats import output_fingerprint as file_fingerprint

            expected = file_fingerprint(output)
            return all(record.get(key) == value for key, value in expected.items())
        text = read_bytes(output).decode("utf-8")
    except (InputError, OSError, UnicodeDecodeError):
        return False
    expected = output_fingerprint(text)
    return all(record.get(key) == value for key, value in expected.items())


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
    encoding: str | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        return "resumed" if self.skipped else "corrected"


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
    interrupted: bool = False
    pages_found: int | None = None
    elapsed_s: float = 0.0
    encodings: dict[str, int] = field(default_factory=dict)
    per_page: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "pages_found": self.pages if self.pages_found is None else self.pages_found,
            "interrupted": self.interrupted,
            "elapsed_s": round(self.elapsed_s, 3),
            "corrected": self.corrected,
            "resumed": self.resumed,
            "chars": self.chars,
            "edits": self.edits,
            "edits_by_kind": self.edits_by_kind,
            "suggestions": self.suggestions,
            "flags": self.flags,
            "encodings": self.encodings,
            "failed": self.failed,
            "per_page": self.per_page,
        }


def summarize(
    results: Sequence[PageResult], *, interrupted: bool = False, pages_found: int | None = None,
    elapsed_s: float = 0.0,
) -> BatchSummary:  # fmt: skip
    """The totals of `results`; when `interrupted`, of the pages done before the stop."""
    kinds: Counter[str] = Counter()
    for r in results:
        for kind, n in r.edits_by_kind.items():
            kinds[join_kinds(kind)] += n
    done = [r for r in results if r.error is None]
    encodings = Counter(r.encoding for r in done if r.encoding)
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
        interrupted=interrupted,
        pages_found=len(results) if pages_found is None else pages_found,
        elapsed_s=elapsed_s,
        encodings=dict(sorted(encodings.items())),
        per_page=[page_record(r) for r in results],
    )


def page_record(result: PageResult) -> dict[str, Any]:
    """The `per_page` entry of `summary.json` for one page."""
    return {
        "path": result.path, "status": result.status, "encoding": result.encoding,
        "edits": sum(result.edits_by_kind.values()),
    }  # fmt: skip


def summary_json(
    summary: BatchSummary, per_page: Iterable[dict[str, Any]] | None = None
) -> Iterator[str]:
    """The text of `summary.json`, in pieces: `json.dumps(summary.as_dict(), indent=1)`, with
    the `per_page` list read from `per_page` when given (records of a run kept on disk, read
    once as they are written) instead of from the summary."""
    fields = summary.as_dict()
    records = fields.pop("per_page") if per_page is None else per_page
    head = json.dumps({**fields, "per_page": None}, ensure_ascii=False, indent=1)
    yield head.removesuffix("null\n}")
    first = True
    for record in records:
        # a record at the list's depth: json.dumps(indent=1) of it, every line 2 spaces in
        body = json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]\n}\n" if first else "\n ]\n}\n"


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
        ("seconds", f"{summary.elapsed_s:.1f}"),
    ]
    lines = [f"{label:<30}{value:>10}" for label, value in rows]
    if summary.interrupted:
        lines.insert(1, f"{'  of pages found':<30}{summary.pages_found:>10}")
    lines += [f"FAILED {f['path']}: {f['reason']}" for f in summary.failed]
    return "\n".join(lines)


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a batch; `summary` covers the pages finished before (also in
    summary.json, marked interrupted). Run again with `resume=True` to finish."""

    def __init__(self, summary: BatchSummary) -> None:
        super().__init__("batch interrupted")
        self.summary = summary


def counts_from_log(path: str, log_text: str) -> PageResult:
    """The counts of a page finished before, read back from its edit log (for --resume)."""
    parsed = parse_edit_log(log_text, source=path)
    encoding = parsed.page.get("encoding")
    return PageResult(
        path=path,
        chars=int(parsed.page.get("length", 0)),
        edits_by_kind=dict(Counter(join_kinds(e.kind) for e in parsed.edits)),
        suggestions=len(parsed.suggestions),
        flags=len(parsed.flags),
        encoding=encoding if isinstance(encoding, str) else None,
    )


# --------------------------------------------------------------------------- one page ----


class PageTimeout(BaseException):
    """Raised by the page alarm inside `process_page`."""


def check_page_timeout(seconds: float | None) -> None:
    """`ConfigError` unless `seconds` is None or a positive limit this platform can enforce."""
    if seconds is None:
        return
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
        raise ConfigError(f"page timeout must be a positive number of seconds, got {seconds!r}")
    if not hasattr(signal, "setitimer"):
        raise ConfigError("a page timeout needs SIGALRM (Linux, macOS); leave it out here")


@contextlib.contextmanager
def _page_alarm(seconds: float | None) -> Iterator[None]:
    """Raise `PageTimeout` in this (main) thread when `seconds` pass; None: no limit."""
    if seconds is None:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise ConfigError("a page timeout works in a process's main thread only")

    def ring(_signum: int, _frame: Any) -> None:
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True, slots=True)
class CorrectedPage:
    """A page corrected in memory, ready for `finish_page` to write.

    For an hOCR, ALTO or PAGE page `document` (a `formats.Document`) and `correction` are set,
    `text` is empty and `log` lacks the output's fingerprint (known once the file is written).
    """

    rel: str
    text: str
    log: str
    encoding: str | None
    document: Any = None
    correction: Correction | None = None


def process_page(
    source: str, rel: str, *, corrector: Corrector, encoding: str | None = None,
    timeout: float | None = None,
) -> CorrectedPage | PageResult:  # fmt: skip
    """Read and correct one page: the corrected page, or a failed `PageResult` with the reason.

    Never raises for a page's own trouble (unreadable, a bug on that page, over `timeout`
    seconds); only KeyboardInterrupt and SystemExit pass. Any batch engine calls this per page
    and hands the outcome to `finish_page` in the one process that writes.
    """
    try:
        with _page_alarm(timeout):
            return _correct_one(source, rel, corrector, encoding)
    except PageTimeout:
        return PageResult(path=rel, error=f"timed out after {timeout:g} s (--page-timeout)")
    except KocorrectError as exc:
        return PageResult(path=rel, error=str(exc))
    except Exception as exc:  # a bug on one page must not stop the archive
        return PageResult(path=rel, error=f"internal error ({type(exc).__name__}: {exc})")


def _correct_one(
    source: str, rel: str, corrector: Corrector, encoding: str | None
) -> CorrectedPage:
    from . import formats

    if formats.is_format_file(source):  # hOCR, ALTO or PAGE XML: written in the same format
        doc = formats.read(source)
        result = corrector.correct_large(doc.text)
        log_text = formats.edit_log(doc, result, path=rel, version=_version())
        return CorrectedPage(rel, "", log_text, None, document=doc, correction=result)
    page = read_page(source, encoding)
    result = corrector.correct_large(page.text)
    log_text = edit_log(
        result, path=rel, sha256=page.sha256, version=_version(), encoding=page.encoding
    )
    return CorrectedPage(rel, result.text, log_text, page.encoding)


def finish_page(
    outdir: Path, outcome: CorrectedPage | PageResult, *, raise_os_errors: bool = False
) -> PageResult:
    """Write a corrected page under `outdir` (text first, the edit log, the "finished" mark,
    last; both atomically) and return its counts; a failed outcome is returned as it is.

    A write that fails makes the page a failed `PageResult`; with `raise_os_errors` an
    `OSError` is raised instead, for an engine that retries the page (the Dask engine)."""
    if isinstance(outcome, PageResult):
        return outcome
    target = outdir / outcome.rel
    log_text = outcome.log
    try:
        if outcome.document is not None:
            log_text = _write_format_page(target, outcome)
        else:
            write_text_atomic(target, outcome.text, make_parents=True)
        write_text_atomic(edit_log_path(target), log_text)
    except OSError as exc:
        if raise_os_errors:
            raise
        return PageResult(path=outcome.rel, error=f"cannot write output: {exc}")
    except KocorrectError as exc:
        return PageResult(path=outcome.rel, error=f"cannot write output: {exc}")
    return counts_from_log(outcome.rel, log_text)


def _write_format_page(target: Path, outcome: CorrectedPage) -> str:
    """Write an hOCR/ALTO/PAGE page in its format; its edit log with the output's fingerprint."""
    from . import formats
    from .formats.document import file_sha256

    doc, correction = outcome.document, outcome.correction
    assert correction is not None, "a format page comes with its correction"
    if file_sha256(doc.path) != doc.sha256:  # the writer copies the input's bytes again
        raise InputError(
            f"{doc.path}: changed while it was being corrected; nothing written, run again"
        )
    target.parent.mkdir(parents=True, exist_ok=True)  # a subfolder of the existing OUTDIR
    doc.write(correction, target)
    head, _, rest = outcome.log.partition("\n")
    record = json.loads(head)
    record.update(formats.output_fingerprint(target))
    return json.dumps(record, ensure_ascii=False) + "\n" + rest


# ------------------------------------------------------------------------------ workers ----

# Allocations (net of deallocations) between two runs of the youngest generation of the cyclic
# garbage collector in a worker process (`ready_corrector`); Python's default is 700.
WORKER_GC_THRESHOLD = 10_000

_worker_corrector: Corrector | None = None
_worker_timeout: float | None = None


def ready_corrector(config: Config, *, worker_process: bool = False) -> Corrector:
    """A Corrector with its models loaded (every batch worker, of either engine, makes one).

    `worker_process`: the caller is a process that exists to correct pages (a pool worker, a
    Dask worker's plugin). What is loaded then lives as long as the process and is moved out of
    the cyclic garbage collector's sight (`gc.freeze`): its full passes, every few pages,
    stopped walking the lexicon's ~240,000 entries (0.13-0.16 s -> 0.02-0.04 s of ~3.3 s of
    correcting). Not done for a Corrector of the caller's own process: the freeze covers every
    object alive at the time, the host application's too.

    Such a process also runs the collector less often (WORKER_GC_THRESHOLD): the misread
    search makes ~150,000 short-lived objects per 30 pages (variants, candidates, memo keys)
    and its memos grow page by page, so at the default threshold (700) the collector ran
    ~1,300 times, 9 of them full passes over the memos; at 10,000 its time fell from 0.29 s to
    0.12 s of ~6 s of correcting (30 pages of dev, news-dev and dev-mixed). Nearly everything is
    freed by reference counting anyway: the collector only finds reference cycles.
    """
    corrector = Corrector(config=config)
    if config.uses_models:  # load now, not on the first page (and not at all if unused)
        corrector.warm_up()
        if worker_process:
            gc.collect()
            gc.freeze()
            gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    return corrector


def _init_worker(config: Config, timeout: float | None = None) -> None:
    """Process-pool initializer: one Corrector per worker, loaded before the first page.

    Ctrl-C reaches the whole process group; the parent alone handles it (it stops the workers),
    so a worker ignores SIGINT instead of printing a traceback.
    """
    global _worker_corrector, _worker_timeout
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_timeout = timeout
    _worker_corrector = ready_corrector(config, worker_process=True)


def _work(source: str, rel: str, encoding: str | None) -> CorrectedPage | PageResult:
    """Run in a worker: `process_page` with the worker's Corrector and time limit."""
    assert _worker_corrector is not None, "worker not initialised"
    return process_page(
        source, rel, corrector=_worker_corrector, encoding=encoding, timeout=_worker_timeout
    )


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """While workers are spawned: a child started now inherits SIGINT ignored, so a Ctrl-C
    during its start-up cannot print a traceback from it either."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool now, its workers too (a page may be stuck; nothing of it is kept)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


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


def check_folders(indir: Path, outdir: Path) -> None:
    """Refuse (`InputError`, saying what to do) an INDIR that is no folder, an OUTDIR inside
    INDIR, and an OUTDIR that does not exist or is no folder."""
    if not indir.exists():
        raise InputError(f"{indir}: no such folder; give the folder that holds the page files")
    if not indir.is_dir():
        raise InputError(f"{indir}: not a folder; give the folder that holds the page files")
    inside = outdir.resolve()
    if inside == indir.resolve() or indir.resolve() in inside.parents:
        raise InputError(
            f"{outdir}: the output folder is inside the input folder {indir}; "
            "choose an OUTDIR outside INDIR so inputs are never overwritten or re-read"
        )
    if not outdir.exists():
        raise InputError(
            f"{outdir}: no such folder; create it first (mkdir -p {outdir}) "
            "or choose another OUTDIR"
        )
    if not outdir.is_dir():
        raise InputError(f"{outdir}: not a folder; give a folder for the corrected pages")


def _results(
    indir: Path, outdir: Path, todo: Sequence[Path], *, config: Config, jobs: int,
    encoding: str | None, corrector: Corrector | None, timeout: float | None,
) -> Iterator[PageResult]:  # fmt: skip
    """Correct `todo` (relative paths), write each page as it finishes, yield its counts.

    Closing the generator early (Ctrl-C in the caller) stops the workers at once.
    """
    args = [(str(indir / rel), rel.as_posix(), encoding) for rel in todo]
    if jobs <= 1 or len(todo) <= 1:
        corrector = corrector or ready_corrector(config)
        for source, rel, enc in args:
            outcome = process_page(source, rel, corrector=corrector, encoding=enc, timeout=timeout)
            yield finish_page(outdir, outcome)
        return
    # "spawn", not fork: forking a process whose Kiwi already runs threads can deadlock.
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(config, timeout),
    )
    completed = False
    try:
        with _sigint_ignored():  # the workers start on the first submits
            futures: list[Future[CorrectedPage | PageResult]] = [
                pool.submit(_work, *a) for a in args
            ]
        for future in as_completed(futures):
            yield finish_page(outdir, future.result())
        completed = True
    finally:
        if completed:
            pool.shutdown(wait=True)
        else:  # Ctrl-C, or any error: drop the queued pages and stop the running ones
            _stop_workers(pool)


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
    page_timeout: float | None = None,
) -> BatchSummary:
    """Correct every page under `indir` into `outdir` (which must exist) and write
    `outdir/summary.json`.

    With `jobs=1` the pages are corrected in this process, by `corrector` if given (its config
    then replaces `config`: a caller can reuse one loaded Corrector for many batches).

    `progress_bar` shows a tqdm bar (pages/s, ETA) on stderr; None means only on a terminal.
    `progress(n, path)` is called after each page, for callers that report differently.
    `page_timeout` (seconds) fails a page that takes longer; the run goes on.
    Ctrl-C raises `BatchInterrupted` after writing the summary of the pages done.
    `pages` (paths relative to `indir`, e.g. from `kocorrect.listing.read_page_list`) replaces
    the search by `pattern`.
    """
    from tqdm import tqdm

    started = time.monotonic()
    source_dir, target_dir = Path(indir), Path(outdir)
    check_page_timeout(page_timeout)
    check_folders(source_dir, target_dir)
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
            counts = counts_from_log(rel.as_posix(), log_text)
            results.append(replace(counts, skipped=True))
        else:
            todo.append(rel)
    if results:
        log.info("kocorrect: %d of %d pages finished before; %d to do", len(results),
                 len(pages), len(todo))  # fmt: skip

    show = sys.stderr.isatty() if progress_bar is None else progress_bar
    interrupted = False
    try:
        with tqdm(
            total=len(pages), initial=len(results), unit="page", disable=not show,
            file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
        ) as bar, contextlib.closing(
            _results(
                source_dir, target_dir, todo, config=config, jobs=jobs, encoding=encoding,
                corrector=corrector, timeout=page_timeout,
            )
        ) as stream:  # fmt: skip
            for result in stream:
                results.append(result)
                bar.update(1)
                if result.error is None:
                    log.info("kocorrect: %s: %d edits", result.path,
                             sum(result.edits_by_kind.values()))  # fmt: skip
                else:
                    log.info("kocorrect: %s: FAILED: %s", result.path, result.error)
                if progress is not None:
                    progress(len(results), result.path)
    except KeyboardInterrupt:
        interrupted = True

    results.sort(key=lambda r: r.path)
    summary = summarize(
        results, interrupted=interrupted, pages_found=len(pages),
        elapsed_s=time.monotonic() - started,
    )  # fmt: skip
    write_text_atomic(target_dir / SUMMARY_NAME, summary_json(summary))
    if interrupted:
        raise BatchInterrupted(summary)
    return summary
