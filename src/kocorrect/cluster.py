"""Correcting an archive on a Dask cluster: the same pages, files and summary as the local pool.

`run_batch_dask` submits one task per page (or per few pages, `pages_per_task`) to a
`distributed` scheduler (one given by address, or a `LocalCluster` it starts on this machine).
What Dask already does is left to Dask:

- a `WorkerPlugin` (`CorrectorPlugin`) builds one `Corrector` per worker and warms it up when
  the worker joins, before its first page (a worker that restarts loads it again);
- tasks go in through `as_completed` with a bounded number in flight, so the client holds a
  few hundred paths at most, never the archive's listing (pages come from a lazy walk or a
  list file, `kocorrect.listing`), and the summary counts are added up as results arrive;
- `retries` re-runs a task that raised (a write to shared storage that failed), and the
  scheduler re-runs elsewhere a task whose worker died (`distributed.scheduler.allowed-failures`
  times, then the page is reported failed).

Only paths and small counts travel through the scheduler: each worker reads its page from
INDIR and writes the result to OUTDIR itself (storage every worker sees at the same path),
with `kocorrect.batch.process_page` and `finish_page`, the local engine's per-page code (hOCR,
ALTO and PAGE pages written in their format as there): temporary file and rename, text first,
edit log (the "finished" mark) last. So the outputs are byte-identical to the local engine's
(a format page's processing note carries the time it was written), `--resume` works across
engines, and a worker killed mid-page leaves at most a temporary file (removed at the end of
the run) or a text without its log (redone). OUTDIR must exist, as for the local engine.

Ctrl-C cancels the queued pages, writes `summary.json` of the pages finished (marked
interrupted) and raises `batch.BatchInterrupted`, as the local engine does. `--page-timeout` is
the local engine's only (its alarm needs a process's main thread; Dask runs tasks in threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import hashlib
import heapq
import itertools
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .batch import (
    SUMMARY_NAME,
    BatchInterrupted,
    BatchSummary,
    PageResult,
    check_folders,
    counts_from_log,
    edit_log_path,
    finish_page,
    is_finished,
    page_record,
    process_page,
    ready_corrector,
    remove_stale_temporaries,
    summary_json,
)
from .config import Config
from .errors import InputError, KocorrectError
from .io import TEMP_SUFFIX, write_text_atomic
from .listing import iter_pages
from .pipeline import Corrector

__all__ = [
    "CorrectorPlugin",
    "PageRecords",
    "Tally",
    "local_cluster",
    "plugin_name",
    "run_batch_dask",
    "worker_corrector",
]

PLUGIN_PREFIX = "kocorrect-corrector-"

# How many times a page is submitted when its result is lost with a dead worker.
LOST_RESULT_ATTEMPTS = 5
# How long a task may be done without as_completed giving it back before it is redone.
STALL_SECONDS = 30.0
_UNDELIVERED = object()
# New tasks go to the scheduler in batches of a quarter of the tasks allowed in flight (8 of
# 32): each submission costs the client and the scheduler some milliseconds however many
# tasks it carries, and the workers still have the other three quarters queued meanwhile.
SUBMIT_BATCH_DIVISOR = 4

# Test hook: a worker asked to correct the page named here writes its text, leaves a half
# written edit log behind and dies (os._exit), as if killed between the two renames; it does
# so once, the first worker to create the file named by KOCORRECT_TEST_DIE_ONCE.
DIE_ON_ENV = "KOCORRECT_TEST_DIE_ON"
DIE_ONCE_ENV = "KOCORRECT_TEST_DIE_ONCE"


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise InputError(
            "--engine dask needs Dask: pip install 'kocorrect[dask]' (dask and distributed), "
            "on this machine and on every worker"
        ) from err
    return distributed


# ----------------------------------------------------------------------------- worker ----


try:  # an optional dependency: without it this module still imports, and says what to install
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover
    _WorkerPlugin = object  # type: ignore[assignment,misc]


class CorrectorPlugin(_WorkerPlugin):  # type: ignore[misc,valid-type]
    """A Dask worker plugin holding one warmed-up `Corrector` per worker for `config`.

    Register it with `client.register_plugin(CorrectorPlugin(config))` and get the Corrector
    inside a task with `worker_corrector(config)`. `Corrector.correct` may be called from any
    thread, so a worker with several threads shares it (but correction is CPU-bound Python:
    run workers with `--nthreads 1`, one per core).
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.name = plugin_name(self.config)  # what register_plugin files it under
        self.corrector: Corrector | None = None

    async def setup(self, worker: Any) -> None:
        # Load in a thread: a long model load must not stop the worker's heartbeats.
        loop = asyncio.get_running_loop()
        self.corrector = await loop.run_in_executor(
            None, functools.partial(ready_corrector, self.config, worker_process=True)
        )

    def teardown(self, worker: Any) -> None:
        self.corrector = None


def plugin_name(config: Config) -> str:
    """One plugin (one Corrector per worker) per configuration, so clients can share a cluster."""
    return PLUGIN_PREFIX + hashlib.sha256(repr(config).encode("utf-8")).hexdigest()[:16]


def worker_corrector(config: Config | None = None) -> Corrector:
    """The Corrector of the Dask worker this runs on (for library pipelines that use Dask).

    Call it inside a task (e.g. a function mapped over a `dask.bag`). It is the one the
    `CorrectorPlugin` for `config` loaded when the client registered it; without a registered
    plugin, one is built on first use and kept on the worker for its next tasks.
    """
    from distributed import get_worker

    config = config or Config()
    worker = get_worker()
    name = plugin_name(config)
    plugin = worker.plugins.get(name)
    if plugin is None or getattr(plugin, "corrector", None) is None:
        cache = worker.__dict__.setdefault("_kocorrect_correctors", {})
        if name not in cache:
            cache[name] = ready_corrector(config)
        return cache[name]
    return plugin.corrector


def _die_if_asked(
    corrector: Corrector, indir: Path, outdir: Path, rel: str, encoding: str | None
) -> None:
    if os.environ.get(DIE_ON_ENV) != rel:
        return
    try:
        fd = os.open(os.environ[DIE_ONCE_ENV], os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except (KeyError, FileExistsError):
        return
    os.close(fd)
    done = process_page(str(indir / rel), rel, corrector=corrector, encoding=encoding)
    target = outdir / rel
    write_text_atomic(target, getattr(done, "text", ""), make_parents=True)
    log = edit_log_path(target)
    with open(log.with_name(f".{log.name}.half{TEMP_SUFFIX}"), "w", encoding="utf-8") as f:
        f.write(getattr(done, "log", "")[:10])
    os._exit(70)


def _page_task(
    name: str, indir: str, outdir: str, rels: tuple[str, ...], encoding: str | None, resume: bool
) -> list[PageResult]:
    """Pages, on a worker: correct each and write its files there; return only the counts."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(name)
    if plugin is None or plugin.corrector is None:
        raise RuntimeError(f"worker has no kocorrect Corrector (plugin {name} not set up)")
    corrector = plugin.corrector
    source_dir, target_dir = Path(indir), Path(outdir)
    results = []
    for rel in rels:
        _die_if_asked(corrector, source_dir, target_dir, rel, encoding)
        source, target = source_dir / rel, target_dir / rel
        if resume and is_finished(source, target):
            log_text = edit_log_path(target).read_text(encoding="utf-8")
            results.append(dataclasses.replace(counts_from_log(rel, log_text), skipped=True))
            continue
        outcome = process_page(str(source), rel, corrector=corrector, encoding=encoding)
        try:
            result = finish_page(target_dir, outcome, raise_os_errors=True)
        except OSError as exc:  # raised again, so Dask retries the task (shared storage hiccup)
            raise OSError(f"{rel}: cannot write output: {exc}") from exc
        results.append(result)
    return results


# ----------------------------------------------------------------------------- client ----


# Per-page records a run holds in memory before it sorts them into a temporary file (about
# 250 bytes each: a few MB whatever the archive's size, one open file per this many pages).
RECORDS_IN_MEMORY = 20_000


def _by_path(record: dict[str, Any]) -> str:
    return record["path"]


class PageRecords:
    """The `per_page` records of `summary.json`, sorted by path as the local engine writes
    them, in bounded memory: beyond `RECORDS_IN_MEMORY` they go sorted to anonymous temporary
    files, which `sorted()` merges (`heapq.merge`) as the summary is written."""

    def __init__(self) -> None:
        self._buffer: list[dict[str, Any]] = []
        self._runs: list[IO[str]] = []

    def add(self, record: dict[str, Any]) -> None:
        self._buffer.append(record)
        if len(self._buffer) >= RECORDS_IN_MEMORY:
            run = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by close())
            for kept in sorted(self._buffer, key=_by_path):
                run.write(json.dumps(kept, ensure_ascii=False) + "\n")
            self._runs.append(run)
            self._buffer = []

    def sorted(self) -> Iterator[dict[str, Any]]:
        for run in self._runs:
            run.seek(0)
        runs = [map(json.loads, run) for run in self._runs]
        return heapq.merge(*runs, sorted(self._buffer, key=_by_path), key=_by_path)

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs, self._buffer = [], []


class Tally:
    """Summary counts added up page by page: the totals, the failures and, as the local
    engine's summary has it, one small status record per page (kept in `records`, not in
    the summary, so the client's memory does not grow with the archive)."""

    def __init__(self) -> None:
        self.pages = self.corrected = self.resumed = 0
        self.chars = self.suggestions = self.flags = 0
        self.kinds: Counter[str] = Counter()
        self.encodings: Counter[str] = Counter()
        self.failed: list[dict[str, str]] = []
        self.records = PageRecords()

    def add(self, result: PageResult) -> None:
        self.pages += 1
        self.records.add(page_record(result))
        if result.error is not None:
            self.failed.append({"path": result.path, "reason": result.error})
            return
        if result.skipped:
            self.resumed += 1
        else:
            self.corrected += 1
        self.chars += result.chars
        if result.encoding:
            self.encodings[result.encoding] += 1
        self.kinds.update(result.edits_by_kind)
        self.suggestions += result.suggestions
        self.flags += result.flags

    def summary(self, *, interrupted: bool = False, elapsed_s: float = 0.0) -> BatchSummary:
        return BatchSummary(
            pages=self.pages,
            corrected=self.corrected,
            resumed=self.resumed,
            chars=self.chars,
            edits=sum(self.kinds.values()),
            edits_by_kind=dict(sorted(self.kinds.items())),
            suggestions=self.suggestions,
            flags=self.flags,
            failed=sorted(self.failed, key=lambda f: f["path"]),
            interrupted=interrupted,
            pages_found=None if interrupted else self.pages,  # a lazy listing: not counted ahead
            elapsed_s=elapsed_s,
            encodings=dict(sorted(self.encodings.items())),
        )


def _has_plugin(dask_scheduler: Any, name: str) -> bool:
    return name in dask_scheduler.worker_plugins


def _discard_unfinished(indir: Path, outdir: Path, rel: str) -> None:
    """Remove what a page that failed on the cluster left half done: a text without its log
    (the log first, so a crash here never leaves a log without its text)."""
    target = outdir / rel
    if is_finished(indir / rel, target):
        return
    for path in (edit_log_path(target), target):
        with contextlib.suppress(OSError):
            path.unlink()


def _exception(value: Any) -> BaseException:
    """The exception in what `as_completed(with_results=True, raise_errors=False)` gave."""
    if isinstance(value, tuple):  # (type, exception, traceback) in some versions
        value = next((v for v in value if isinstance(v, BaseException)), value)
    if isinstance(value, BaseException):
        return value
    return RuntimeError(f"no result: {value!r}")


def _failure(rel: str, exc: BaseException) -> PageResult:
    if type(exc).__name__ == "KilledWorker":
        reason = (
            "a worker died while correcting this page, every time it was tried "
            f"(KilledWorker; see the workers' logs): {exc}"
        )
    elif isinstance(exc, KocorrectError | OSError):
        reason = str(exc)
    else:
        reason = f"internal error ({type(exc).__name__}: {exc})"
    return PageResult(path=rel, error=reason)


# Dask settings for the scheduler, nannies and workers of a local cluster: what Dask does
# while nobody watches, measured idle on a 2-core machine (2 workers, `benchmarks/cluster.py`
# repeats it). Each worker spent 2.5 % of a core and the scheduler's process 5.7 % on it, on
# a machine whose cores are all workers; with these settings 0.5 % and 1.2 %.
# - the statistical profiler samples every worker's stack every 10 ms, for a dashboard;
# - every server (scheduler, nanny, worker) ticks its event loop every 20 ms to warn when it
#   was blocked: once a second still catches a blocked loop (the warning fires after 3 s);
# - the system monitor (CPU, memory and network figures for the dashboard) samples every
#   0.5 s: every 2 s;
# - the memory monitor (pause, spill, and the nanny's restart at the memory limit) checks
#   every 0.1 s: every 0.5 s, still far quicker than a page grows a worker (RSS < 1 GB).
# On a cluster of your own, start the scheduler and workers with the same settings (the
# environment variables in the README).
WORKER_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "500ms",
}


def local_cluster(workers: int) -> Any:
    """A `distributed.LocalCluster` of `workers` processes of one thread each, as
    `kocorrect batch --engine dask` starts without --scheduler (the caller closes it)."""
    import logging

    import dask

    distributed = _import_distributed()
    with dask.config.set(WORKER_SETTINGS):  # the nannies hand this config to their workers
        return distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=":0", silence_logs=logging.ERROR,
        )  # fmt: skip


class _Session:
    """A Dask client, and the LocalCluster it started when no scheduler address was given."""

    def __init__(self, scheduler: str | None, jobs: int, timeout: float) -> None:
        distributed = _import_distributed()
        self.cluster = None
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout=timeout)
            except OSError as err:
                raise InputError(
                    f"{scheduler}: no Dask scheduler answers there ({err}); start one with "
                    "`dask scheduler` and give its tcp://HOST:PORT"
                ) from err
        else:
            self.cluster = local_cluster(jobs)
            self.client = distributed.Client(self.cluster)
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except Exception as err:
            self.close()
            if not scheduler:
                raise InputError(f"the local Dask cluster started no worker ({err})") from err
            raise InputError(
                f"{scheduler}: the scheduler has no workers; start some with "
                f"`dask worker {scheduler} --nthreads 1`"
            ) from err

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def run_batch_dask(
    indir: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    *,
    config: Config | None = None,
    pattern: str = "*.txt",
    pages: Iterable[str] | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    resume: bool = False,
    encoding: str | None = None,
    in_flight: int | None = None,
    pages_per_task: int = 1,
    retries: int = 2,
    timeout: float = 60.0,
    progress: Callable[[int, str], Any] | None = None,
    progress_bar: bool | None = None,
) -> BatchSummary:
    """Correct every page under `indir` into `outdir` on a Dask cluster; write `summary.json`.

    The cluster is `client` (a `distributed.Client` the caller owns), else the scheduler at
    `scheduler` (``tcp://HOST:PORT``), else a `LocalCluster` of `jobs` worker processes (one
    thread each) started and closed here. `pages` (relative paths, any iterable, consumed
    lazily) replaces the walk of `indir` for `pattern`. Each task corrects `pages_per_task`
    pages (more than 1 only pays for tiny pages, where Dask's few milliseconds per task would
    dominate); at most `in_flight` tasks (default: 8 per worker thread, at least 32) are
    submitted at once; a task that raised is tried `retries` more times. Paths are sent as
    absolute paths of this machine: workers must see INDIR and OUTDIR at the same paths.
    The summary returned leaves `per_page` empty: the records are in `summary.json` only,
    written as they are merged from disk, so the client's memory stays flat.
    """
    from tqdm import tqdm

    started = time.monotonic()
    source_dir, target_dir = Path(indir).absolute(), Path(outdir).absolute()
    check_folders(source_dir, target_dir)  # OUTDIR must exist: never created
    remove_stale_temporaries(target_dir)
    config = config or Config()
    listing: Iterator[str] = (
        iter_pages(source_dir, pattern) if pages is None else (Path(p).as_posix() for p in pages)
    )

    session = (
        None if client is not None else _Session(scheduler, jobs or os.cpu_count() or 1, timeout)
    )
    client = client if session is None else session.client
    tally = Tally()
    show = sys.stderr.isatty() if progress_bar is None else progress_bar
    name = plugin_name(config)
    ours = False  # registered here (so unregistered at the end), not by the caller
    interrupted = False
    try:
        if not client.run_on_scheduler(_has_plugin, name=name):
            client.register_plugin(CorrectorPlugin(config), name=name)
            ours = True
        threads = sum(client.nthreads().values()) or 1
        limit = max(1, in_flight or max(32, 8 * threads))
        run = uuid.uuid4().hex[:12]
        _run_pages(
            client, listing, tally, name=name, run=run, limit=limit,
            per_task=max(1, pages_per_task), retries=retries,
            args=(str(source_dir), str(target_dir), encoding, resume),
            progress=progress, bar=tqdm(
                unit="page", disable=not show, file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
            ),
        )  # fmt: skip
    except KeyboardInterrupt:  # _run_pages cancelled the queued pages
        interrupted = True
    finally:
        if ours and (session is None or session.cluster is None):  # the cluster outlives the run
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(name)
        if session is not None:
            session.close()
    remove_stale_temporaries(target_dir)  # of workers that died mid-write; their pages were redone
    summary = tally.summary(interrupted=interrupted, elapsed_s=time.monotonic() - started)
    try:
        write_text_atomic(target_dir / SUMMARY_NAME, summary_json(summary, tally.records.sorted()))
    finally:
        tally.records.close()
    if interrupted:
        raise BatchInterrupted(summary)
    return summary


def _run_pages(
    client: Any, listing: Iterator[str], tally: Tally, *, name: str, run: str, limit: int,
    per_task: int, retries: int, args: tuple[str, str, str | None, bool],
    progress: Callable[[int, str], Any] | None, bar: Any,
) -> None:  # fmt: skip
    from distributed import as_completed

    indir, outdir, encoding, resume = args
    # key -> (pages, their future, how many times submitted): at most `limit` of them
    pending: dict[str, tuple[tuple[str, ...], Any, int]] = {}
    # loop=: without it as_completed follows the default client, which may be another one
    queue = as_completed(loop=client.loop, with_results=True, raise_errors=False)
    number = 0

    def submit(tasks: list[tuple[str, ...]], attempt: int) -> None:
        """Submit the pages of `tasks` (one task each) in one message to the scheduler."""
        nonlocal number
        if not tasks:
            return
        keys = [f"kocorrect-pages-{run}-{number + i}" for i in range(1, len(tasks) + 1)]
        number += len(tasks)
        n = len(tasks)
        futures = client.map(
            _page_task, [name] * n, [indir] * n, [outdir] * n, tasks, [encoding] * n,
            [resume] * n, key=keys, retries=retries, pure=False,
        )  # fmt: skip
        for key, rels, future in zip(keys, tasks, futures, strict=True):
            pending[key] = (rels, future, attempt)
            queue.add(future)

    batch = max(1, limit // SUBMIT_BATCH_DIVISOR)

    def fill() -> None:
        if limit - len(pending) < batch:
            return  # not yet: a batch's worth of free places, then one message for them all
        tasks = []
        while len(pending) + len(tasks) < limit:
            rels = tuple(itertools.islice(listing, per_task))
            if not rels:
                break
            tasks.append(rels)
        submit(tasks, 1)

    def count(result: PageResult) -> None:
        tally.add(result)
        bar.update(1)
        if progress is not None:
            progress(tally.pages, result.path)

    stuck: dict[str, float] = {}  # key -> when its task was seen done but not yet delivered

    def undelivered() -> Iterator[tuple[Any, Any]]:
        """Tasks done (finished, failed, lost) for STALL_SECONDS that as_completed never gave
        back (seen when a worker died while its result was being fetched): drop and redo."""
        now = time.monotonic()
        for key, (_, future, _) in list(pending.items()):
            if future.status == "pending":
                stuck.pop(key, None)
            elif now - stuck.setdefault(key, now) > STALL_SECONDS:
                stuck.pop(key)
                yield future, _UNDELIVERED

    with bar:
        try:
            fill()
            checked = time.monotonic()
            while pending:
                # with_results: the client's event loop fetches the counts of finished pages
                # concurrently (and again if a worker holding them died), not one by one here.
                if queue.has_ready():
                    ready = [next(queue)]
                elif time.monotonic() - checked > 1.0:
                    ready, checked = list(undelivered()), time.monotonic()
                else:
                    time.sleep(0.01)
                    continue
                for future, value in ready:
                    if future.key not in pending:
                        continue  # given up on already, and submitted again
                    rels, _, attempt = pending.pop(future.key)
                    stuck.pop(future.key, None)
                    # Read before the release: releasing cancels the future's state on the
                    # client's event loop, so a status read after it may say "cancelled" for a
                    # task that failed (and the page would be redone instead of reported).
                    status = future.status
                    future.release()
                    if value is _UNDELIVERED:
                        value = RuntimeError(f"no result {STALL_SECONDS:.0f} s after it was done")
                    elif status == "error":  # retries spent, or every worker it died
                        for rel in rels:
                            count(_failure(rel, _exception(value)))
                            _discard_unfinished(Path(indir), Path(outdir), rel)
                        continue
                    if isinstance(value, list):
                        for result in value:
                            count(result)
                    elif attempt < LOST_RESULT_ATTEMPTS:
                        # Not done after all (cancelled, or its result lost with a worker, or
                        # never delivered): do the pages again, which writes the same files.
                        submit([rels], attempt + 1)
                    else:
                        for rel in rels:
                            count(_failure(rel, _exception(value)))
                fill()
        except BaseException:
            # Ctrl-C or an error: drop the pages still queued instead of finishing them.
            client.cancel([future for _, future, _ in pending.values()])
            raise
