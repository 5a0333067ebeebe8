"""Benchmark of `kocorrect batch --engine dask`: scaling, overhead against the local pool, memory.

    python benchmarks/cluster.py              # everything (../shared beside the project)
    python benchmarks/cluster.py --skip-list  # only the speed part (about 10 minutes)
    python benchmarks/cluster.py --skip-speed --list-pages 100000

Two parts, each printing its numbers and the target beside them:

1. Speed, on `--pages` (100) distinct bench pages read in place from ../shared/bench/*/
   (`*.ocr.txt`, nothing copied; the batch is given INDIR=../shared/bench and the pages as a
   list), with the default configuration (the real pipeline, Kiwi loaded in every worker):
   - the Dask engine on a LocalCluster of 1 and of `--jobs` (2) worker processes, and the
     local pool (`kocorrect batch --jobs 2`) with as many workers. Each run starts its workers
     from nothing (model load included in "wall s"); "pages/s" is the steady rate, from the
     first finished page to the last, so the load does not count;
   - "CPU s/page": CPU seconds of every process of the run (client, scheduler, nannies,
     workers) from the first finished page to the last, per page: the steady state, as for
     pages/s; "with start-up" counts the whole run (imports, cluster start, model loads) over
     the pages, a fixed cost that a long run spreads thin;
   - "engine's own": the steady CPU seconds per page of every thread but the two busiest of
     each worker process (the pages' Python and Kiwi's analysis thread): the scheduler, client,
     nannies, the workers' event loops, the local pool's parent writing the outputs. Its
     difference between the engines, over a page's CPU, is Dask's cost per page measured
     directly, which the machine's noise moves far less than the difference of two totals;
   - scaling = pages/s of `--jobs` Dask workers over 1 (target >= 1.8 with 2 workers on 2 free
     cores); overhead = Dask's seconds per page over the local pool's at the same worker count,
     by wall clock and by CPU (target <= 5 %); memory = each Dask worker's peak RSS.
   `--rounds N` repeats the three runs N times, in rotated order, and reports medians.
2. Memory of the client on a long `--from-list` run: `--list-pages` (100,000) tiny made-up pages
   (all stages off, so the run measures the engine, not the corrector) in a temporary folder,
   corrected by `kocorrect batch --engine dask --scheduler ...` against a `dask scheduler` and
   `dask worker --nworkers 2` started as separate processes, so the client's peak RSS
   (`wait4`) is the client's alone (`--pages-per-task` 20: for tiny pages Dask's cost per
   task, a few milliseconds, would otherwise be the whole run). It runs for a tenth of the
   pages, then all: a flat client has the same peak for both.

Speed numbers from a machine shared with other work are noisy; rerun on a quiet machine with
`--rounds 3` before drawing conclusions. Nothing is timed in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = ("dev", "news-dev", "dev-mixed", "train", "train-mixed")
TARGETS = {"scaling": 1.8, "overhead": 0.05}


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped workers and nannies
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_pages(bench: Path, count: int) -> list[str]:
    """`count` distinct pages of the bench sets, as paths relative to `bench`."""
    found = [
        f"{name}/{p.name}"
        for name in SETS
        if (bench / name).is_dir()
        for p in sorted((bench / name).glob("*.ocr.txt"))
    ]
    if len(found) < count:
        sys.exit(
            f"only {len(found)} pages under {bench}/{{{','.join(SETS)}}}; give --pages <= that"
        )
    step = len(found) / count  # spread over the sets rather than the first folders only
    return [found[int(i * step)] for i in range(count)]


# ------------------------------------------------------------------------------ speed ----


def _thread_cpu_seconds() -> dict[tuple[int, int], float]:
    """CPU seconds so far of every thread of this process and of every live process under it
    (workers, nannies), by (process id, thread id); the main process's under pid 0."""
    import psutil

    me = psutil.Process()
    cpu: dict[tuple[int, int], float] = {}
    for process in [me, *me.children(recursive=True)]:
        try:
            threads = process.threads()
        except psutil.Error:  # gone meanwhile
            continue
        pid = 0 if process.pid == me.pid else process.pid
        for thread in threads:
            cpu[(pid, thread.id)] = thread.user_time + thread.system_time
    return cpu


class Stamps:
    """Progress callback: when each page finished, and the CPU seconds of every thread of
    every process at the first and the last page (the steady state: model loads and start-up
    left out)."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.times: list[float] = []
        self.cpu: list[dict[tuple[int, int], float]] = []

    def __call__(self, done: int, path: str) -> None:
        self.times.append(time.perf_counter())
        if done in (1, self.pages):
            self.cpu.append(_thread_cpu_seconds())

    def rate(self) -> float:
        """Pages per second from the first finished page to the last."""
        return (len(self.times) - 1) / (self.times[-1] - self.times[0])

    def _spent(self) -> dict[tuple[int, int], float]:
        first, last = self.cpu[0], self.cpu[-1]
        return {key: seconds - first.get(key, 0.0) for key, seconds in last.items()}

    def cpu_per_page(self) -> float:
        return sum(self._spent().values()) / (self.pages - 1)

    def engine_cpu_per_page(self) -> float:
        """CPU seconds per page of every thread but the two that correct pages in each worker
        process (the busiest two: the one running the pages' Python and Kiwi's own analysis
        thread): the engine's own work (scheduler, client, nannies, the workers' event loops
        and messages, the local pool's parent writing the outputs)."""
        spent = self._spent()
        by_process: dict[int, list[float]] = {}
        for (pid, _), seconds in spent.items():
            by_process.setdefault(pid, []).append(seconds)
        page_work = sum(
            sum(sorted(threads, reverse=True)[:2]) for pid, threads in by_process.items() if pid
        )
        return (sum(spent.values()) - page_work) / (self.pages - 1)


def run_local(bench: Path, pages: list[str], workers: int, out: Path) -> dict[str, Any]:
    from kocorrect.batch import run_batch

    stamps = Stamps(len(pages))
    cpu, start = _cpu_seconds(), time.perf_counter()
    summary = run_batch(
        bench, out, pages=pages, jobs=workers, progress_bar=False, progress=stamps
    )  # fmt: skip
    wall = time.perf_counter() - start
    assert summary.ok and summary.corrected == len(pages), summary.failed[:3]
    return {
        "engine": "local", "workers": workers, "wall_s": wall, "pages_per_s": stamps.rate(),
        "cpu_s_per_page": stamps.cpu_per_page(),
        "engine_cpu_s_per_page": stamps.engine_cpu_per_page(),
        "cpu_s_per_page_with_start": (_cpu_seconds() - cpu) / len(pages),
    }  # fmt: skip


def _worker_memory(dask_worker: Any) -> dict[str, float]:
    import psutil

    return {
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_mb": psutil.Process().memory_info().rss / 2**20,
    }


def run_dask(bench: Path, pages: list[str], workers: int, out: Path) -> dict[str, Any]:
    from distributed import Client

    from kocorrect.cluster import local_cluster, run_batch_dask

    stamps = Stamps(len(pages))
    cpu, start = _cpu_seconds(), time.perf_counter()
    with local_cluster(workers) as cluster, Client(cluster) as client:  # as the CLI starts it
        summary = run_batch_dask(
            bench, out, pages=iter(pages), client=client, progress_bar=False, progress=stamps
        )  # fmt: skip
        memory = client.run(_worker_memory)
    wall = time.perf_counter() - start
    assert summary.ok and summary.corrected == len(pages), summary.failed[:3]
    return {
        "engine": "dask", "workers": workers, "wall_s": wall, "pages_per_s": stamps.rate(),
        "cpu_s_per_page": stamps.cpu_per_page(),
        "engine_cpu_s_per_page": stamps.engine_cpu_per_page(),
        "cpu_s_per_page_with_start": (_cpu_seconds() - cpu) / len(pages),
        "worker_peak_mb": sorted(m["peak_mb"] for m in memory.values()),
        "worker_rss_mb": sorted(m["rss_mb"] for m in memory.values()),
    }  # fmt: skip


def speed(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    bench = args.shared / "bench"
    pages = bench_pages(bench, args.pages)
    chars = sum(len((bench / p).read_text(encoding="utf-8")) for p in pages)
    print(f"speed: {len(pages)} distinct pages ({chars} characters) from {bench}, "
          f"{args.rounds} round(s), {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f} at the start (other programs slow the wall clock)",
          flush=True)  # fmt: skip
    runs = [("dask", 1), ("dask", args.jobs), ("local", args.jobs)]
    results: dict[tuple[str, int], list[dict[str, Any]]] = {run: [] for run in runs}
    for round_ in range(args.rounds):
        order = runs[round_ % len(runs) :] + runs[: round_ % len(runs)]
        for engine, workers in order:
            out = tmp / f"speed-{engine}-{workers}-{round_}"
            out.mkdir()  # batch never creates OUTDIR
            run = (run_dask if engine == "dask" else run_local)(bench, pages, workers, out)
            shutil.rmtree(out, ignore_errors=True)
            results[(engine, workers)].append(run)
            peak = f"  worker peak MB {run['worker_peak_mb']}" if engine == "dask" else ""
            print(f"  round {round_ + 1}: {engine:<5} {workers} worker(s): {run['wall_s']:7.1f} s "
                  f"wall, {run['pages_per_s']:.3f} pages/s, {run['cpu_s_per_page']:.3f} CPU s/page "
                  f"({run['cpu_s_per_page_with_start']:.3f} with start-up), engine's own "
                  f"{run['engine_cpu_s_per_page'] * 1000:.1f} ms/page{peak}",
                  flush=True)  # fmt: skip

    def median(engine: str, workers: int, key: str) -> float:
        return statistics.median(r[key] for r in results[(engine, workers)])

    jobs = args.jobs
    scaling = median("dask", jobs, "pages_per_s") / median("dask", 1, "pages_per_s")
    wall_overhead = median("local", jobs, "pages_per_s") / median("dask", jobs, "pages_per_s") - 1
    cpu_overhead = (
        median("dask", jobs, "cpu_s_per_page") / median("local", jobs, "cpu_s_per_page") - 1
    )
    peaks = [mb for run in results[("dask", jobs)] for mb in run["worker_peak_mb"]]
    # the same ratios round by round (runs of one round are minutes apart, not hours): the
    # spread says how far the machine's noise moves them
    per_round = [
        (d2["pages_per_s"] / d1["pages_per_s"], loc["pages_per_s"] / d2["pages_per_s"] - 1,
         d2["cpu_s_per_page"] / loc["cpu_s_per_page"] - 1)
        for d1, d2, loc in zip(
            results[("dask", 1)], results[("dask", jobs)], results[("local", jobs)], strict=True
        )
    ]  # fmt: skip
    print()
    for number, (scale, wall, cpu) in enumerate(per_round, start=1):
        print(f"  round {number}: scaling {scale:.2f} x, overhead wall {wall:+.1%}, CPU {cpu:+.1%}")
    print(
        f"  scaling, Dask {jobs} workers / 1:            {scaling:6.2f} x   "
        f"(target >= {TARGETS['scaling']} x with 2 workers on 2 free cores)"
    )
    print(
        f"  Dask overhead per page vs local pool, wall: {wall_overhead:+6.1%}   "
        f"(target <= {TARGETS['overhead']:.0%}; noisy on a shared machine)"
    )
    print(f"  Dask overhead per page vs local pool, CPU:  {cpu_overhead:+6.1%}")
    engine_dask = median("dask", jobs, "engine_cpu_s_per_page")
    engine_local = median("local", jobs, "engine_cpu_s_per_page")
    engine_overhead = (engine_dask - engine_local) / median("local", jobs, "cpu_s_per_page")
    print(f"  the engines' own CPU per page (all but the page-correcting threads): Dask "
          f"{engine_dask * 1000:.1f} ms, local pool {engine_local * 1000:.1f} ms: Dask adds "
          f"{engine_overhead:+.1%} of a page's CPU")  # fmt: skip
    print(f"  memory per Dask worker, peak RSS:           {max(peaks):6.0f} MB "
          f"(max of {len(peaks)} workers; min {min(peaks):.0f} MB)")  # fmt: skip
    return {
        "pages": len(pages), "chars": chars,
        "runs": [r for rs in results.values() for r in rs],
        "scaling": scaling, "overhead_wall": wall_overhead, "overhead_cpu": cpu_overhead,
        "overhead_engine_cpu": engine_overhead,
        "per_round": [
            {"scaling": a, "overhead_wall": b, "overhead_cpu": c} for a, b, c in per_round
        ],
        "worker_peak_mb": max(peaks),
    }  # fmt: skip


# ------------------------------------------------------------------------------- list ----


def make_tiny_pages(indir: Path, count: int, listfile: Path) -> None:
    with open(listfile, "w", encoding="utf-8") as f:
        for i in range(count):
            rel = f"box{i // 1000:04d}/p{i:06d}.txt"
            if i % 1000 == 0:
                (indir / rel).parent.mkdir(parents=True, exist_ok=True)
            (indir / rel).write_text(f"제{i}면 국가 데이터\n", encoding="utf-8")
            f.write(rel + "\n")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"] = "False"  # as the README advises
    return env


def _scheduler_address(scheduler_file: Path, process: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    sys.exit("the dask scheduler did not start; run `python -m dask scheduler` to see why")


def list_run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    print(
        f"\nclient memory on --from-list runs of tiny pages (stages off, {args.pages_per_task} "
        f"pages per task, {args.jobs} workers), in {tmp}:",
        flush=True,
    )
    scheduler_file = tmp / "scheduler.json"
    common = dict(env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dask = [sys.executable, "-m", "dask"]
    scheduler = subprocess.Popen(
        [*dask, "scheduler", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(scheduler_file)],
        **common,
    )  # fmt: skip
    workers = None
    results = []
    try:
        address = _scheduler_address(scheduler_file, scheduler)
        workers = subprocess.Popen(
            [*dask, "worker", address, "--nworkers", str(args.jobs), "--nthreads", "1",
             "--no-dashboard"],
            **common,
        )  # fmt: skip
        for count in (max(1, args.list_pages // 10), args.list_pages):
            indir, outdir, listfile = (
                tmp / f"tiny{count}",
                tmp / f"tiny{count}-out",
                tmp / "list.txt",
            )
            make_tiny_pages(indir, count, listfile)
            outdir.mkdir()  # batch never creates OUTDIR
            command = [sys.executable, "-m", "kocorrect.cli", "batch", str(indir), str(outdir),
                       "--engine", "dask", "--scheduler", address, "--from-list", str(listfile),
                       "--pages-per-task", str(args.pages_per_task),
                       "--no-layout", "--no-names", "--no-correct", "--no-progress"]  # fmt: skip
            start = time.perf_counter()
            client = subprocess.Popen(command, **common)
            _, status, usage = os.wait4(client.pid, 0)
            client.returncode = os.waitstatus_to_exitcode(status)
            wall = time.perf_counter() - start
            summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
            ok = client.returncode == 0 and summary["corrected"] == count
            results.append({"pages": count, "client_peak_mb": usage.ru_maxrss / 1024,
                            "wall_s": wall, "ok": ok})  # fmt: skip
            print(f"  {count:>7} paths: client peak RSS {usage.ru_maxrss / 1024:6.1f} MB, "
                  f"{wall:6.1f} s ({count / wall:.0f} pages/s), "
                  f"{'all pages written' if ok else 'FAILED: see ' + str(outdir / 'summary.json')}",
                  flush=True)  # fmt: skip
            shutil.rmtree(indir, ignore_errors=True)
            shutil.rmtree(outdir, ignore_errors=True)
    finally:
        for process in (workers, scheduler):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    small, large = results[0]["client_peak_mb"], results[-1]["client_peak_mb"]
    print(f"  growth of the client's peak for {results[-1]['pages'] // results[0]['pages']}x the "
          f"paths: {large - small:+.1f} MB (flat: a few MB at most)")  # fmt: skip
    return {"runs": results, "growth_mb": large - small}


# ------------------------------------------------------------------------------- main ----


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help="the shared folder holding bench/ (default: ../shared)")  # fmt: skip
    parser.add_argument("--pages", type=int, default=100, help="distinct bench pages (100)")
    parser.add_argument("--jobs", type=int, default=2, help="workers compared with 1 (2)")
    parser.add_argument("--rounds", type=int, default=1, help="repeats of the speed runs (1)")
    parser.add_argument("--list-pages", type=int, default=100_000,
                        help="paths in the --from-list run (100000)")  # fmt: skip
    parser.add_argument("--pages-per-task", type=int, default=20,
                        help="pages per Dask task in the --from-list run (20: the pages are tiny, "
                             "a task costs Dask a few milliseconds)")  # fmt: skip
    parser.add_argument("--tmp", type=Path, default=None,
                        help="where the outputs and tiny pages go (default: /dev/shm if present, "
                             "else the system temporary folder)")  # fmt: skip
    parser.add_argument("--skip-speed", action="store_true", help="only the --from-list part")
    parser.add_argument("--skip-list", action="store_true", help="only the speed part")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    if not args.skip_speed and not (args.shared / "bench").is_dir():
        sys.exit(f"{args.shared / 'bench'}: not found; give --shared, or --skip-speed")
    base = args.tmp or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="kocorrect-cluster-", dir=base) as tmp:
        if not args.skip_speed:
            report["speed"] = speed(args, Path(tmp))
        if not args.skip_list:
            report["list"] = list_run(args, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
