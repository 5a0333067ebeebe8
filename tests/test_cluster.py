"""Batch on a Dask cluster (kocorrect.cluster) and lazy page listing (kocorrect.listing).

The clusters here are real `distributed.LocalCluster`s of worker processes on this machine: the
same scheduler, workers, plugin and retries a user's cluster runs, only on one host.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from kocorrect import Config, apply_edits
from kocorrect.batch import edit_log_path, find_pages, run_batch
from kocorrect.errors import InputError
from kocorrect.io import TEMP_SUFFIX, decode_bytes, sha256_hex
from kocorrect.listing import check_page_list, iter_pages, read_page_list
from kocorrect.render import parse_edit_log

distributed = pytest.importorskip("distributed", reason="the Dask engine needs kocorrect[dask]")

from kocorrect import cluster  # noqa: E402
from kocorrect.cluster import (  # noqa: E402
    DIE_ON_ENV,
    DIE_ONCE_ENV,
    WORKER_SETTINGS,
    CorrectorPlugin,
    local_cluster,
    plugin_name,
    run_batch_dask,
    worker_corrector,
)

ALL_OFF = Config(layout=False, names=False, correct=False)
SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed_page.ocr.txt"


def out_folder(path: Path) -> Path:
    """An OUTDIR that exists (neither engine creates it)."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def same_summary(dask, local) -> bool:
    """Two summaries equal but for the time each run took (the Dask engine's per-page records
    are in its summary.json only: `outputs` compares those)."""
    assert dask.per_page == []
    return replace(dask, elapsed_s=0.0) == replace(local, elapsed_s=0.0, per_page=[])


def summary_bytes_but_time(outdir: Path) -> bytes:
    lines = (outdir / "summary.json").read_bytes().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b' "elapsed_s": '))


def outputs(root: Path) -> dict[str, bytes]:
    """`all_files` with summary.json's elapsed time left out."""
    files = all_files(root)
    summary = json.loads(files.pop("summary.json"))
    summary.pop("elapsed_s")
    files["summary.json"] = json.dumps(summary, sort_keys=True).encode()
    return files


def make_archive(root: Path, pages: dict[str, bytes]) -> Path:
    for rel, data in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def small_pages(count: int) -> dict[str, bytes]:
    return {
        f"vol{i % 3}/p{i:03d}.txt": f"제{i}면 국가 데이터\n기사 {i}\n".encode()
        for i in range(count)
    }


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def check_page(indir: Path, outdir: Path, rel: str) -> None:
    """One page finished and intact: UTF-8 text, one page record naming the input's hash, and
    the logged edits replayed on the input give the text."""
    source = (indir / rel).read_bytes()
    text = (outdir / rel).read_bytes().decode("utf-8")
    log_text = edit_log_path(outdir / rel).read_text(encoding="utf-8")
    assert [json.loads(line)["type"] for line in log_text.splitlines()].count("page") == 1
    log = parse_edit_log(log_text)
    assert log.page["sha256"] == sha256_hex(source) and log.page["path"] == rel
    assert apply_edits(decode_bytes(source), log.edits) == text


@pytest.fixture(scope="module")
def cluster_client():
    """Two worker processes of one thread each, as `--engine dask` starts them, shared by the
    tests of this module."""
    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        yield client


def test_local_cluster_workers_run_with_the_quiet_settings(cluster_client) -> None:
    import dask

    def settings() -> dict[str, object]:
        return {key: dask.config.get(key) for key in WORKER_SETTINGS}

    def ticks(dask_worker=None, dask_scheduler=None) -> float:
        server = dask_worker or dask_scheduler
        return server.periodic_callbacks["tick"].callback_time  # milliseconds

    # the nannies handed the settings to the worker processes, and every server ticks slowly
    assert list(cluster_client.run(settings).values()) == [WORKER_SETTINGS] * 2
    assert list(cluster_client.run(ticks).values()) == [1000] * 2
    assert cluster_client.run_on_scheduler(ticks) == 1000


# ---------------------------------------------------------------------------- listing ----


def test_lazy_walk_finds_the_same_pages_as_the_sorted_search(tmp_path: Path) -> None:
    pages = {**small_pages(12), "a/b/c/deep.ocr.txt": b"x", "notes.md": b"not a page"}
    indir = make_archive(tmp_path / "in", pages)
    walked = iter_pages(indir)
    assert not isinstance(walked, list | tuple)  # a generator, not a listing held at once
    assert sorted(walked) == [p.as_posix() for p in find_pages(indir)]
    assert sorted(iter_pages(indir, "*.ocr.txt")) == ["a/b/c/deep.ocr.txt"]


def test_page_list_takes_relative_and_absolute_paths_inside_indir(tmp_path: Path) -> None:
    indir = make_archive(tmp_path / "in", small_pages(3))
    listfile = tmp_path / "pages.txt"
    listfile.write_text(
        f"vol0/p000.txt\n\n{indir / 'vol1' / 'p001.txt'}\r\n./vol2/../vol2/p002.txt\n",
        encoding="utf-8",
    )
    assert check_page_list(indir, listfile) == 3
    assert list(read_page_list(indir, listfile)) == [
        "vol0/p000.txt",
        "vol1/p001.txt",
        "vol2/p002.txt",
    ]


def test_local_engine_takes_a_page_list_too(tmp_path: Path) -> None:
    indir = make_archive(tmp_path / "in", small_pages(6))
    listfile = tmp_path / "pages.txt"
    listfile.write_text("vol1/p004.txt\nvol0/p003.txt\n", encoding="utf-8")
    summary = run_batch(
        indir,
        out_folder(tmp_path / "out"),
        config=ALL_OFF,
        jobs=1,
        pages=read_page_list(indir, listfile),
    )
    assert summary.corrected == 2
    written = sorted(p for p in all_files(tmp_path / "out") if p.endswith(".txt"))
    assert written == ["vol0/p003.txt", "vol1/p004.txt"]


@pytest.mark.parametrize("bad", ["../elsewhere.txt", "/etc/passwd", "vol0/../../x.txt"])
def test_page_list_line_outside_indir_is_refused_with_its_line(tmp_path: Path, bad: str) -> None:
    indir = make_archive(tmp_path / "in", small_pages(1))
    listfile = tmp_path / "pages.txt"
    listfile.write_text(f"vol0/p000.txt\n{bad}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pages\.txt:2: .* not a file inside"):
        check_page_list(indir, listfile)


# ------------------------------------------------------------------------ dask engine ----


def test_dask_engine_writes_what_the_local_engine_writes(
    tmp_path: Path, cluster_client, monkeypatch
) -> None:
    # a few records in memory at a time: the per-page records go through temporary files
    monkeypatch.setattr(cluster, "RECORDS_IN_MEMORY", 4)
    pages = {
        **small_pages(30),
        "cp949.txt": "오래된 신문 지면\n".encode("cp949"),
        "bad.txt": b"\xff\xfe\x00",
    }
    indir = make_archive(tmp_path / "in", pages)
    local = run_batch(indir, out_folder(tmp_path / "local"), config=ALL_OFF, jobs=1)
    dask = run_batch_dask(
        indir, out_folder(tmp_path / "dask"), config=ALL_OFF, client=cluster_client, in_flight=3
    )
    assert same_summary(dask, local) and dask.pages == len(pages)
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    # summary.json byte for byte, its per-page records sorted by path as the local one's
    assert summary_bytes_but_time(tmp_path / "dask") == summary_bytes_but_time(tmp_path / "local")
    recorded = json.loads((tmp_path / "dask" / "summary.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in recorded["per_page"]] == sorted(pages)


def test_a_client_other_than_the_default_one_is_followed(tmp_path: Path, cluster_client) -> None:
    # The module's client is the default one; the run must follow the client it is given
    # (as_completed on the default client's event loop waited forever for the other's pages).
    indir = make_archive(tmp_path / "in", small_pages(6))
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as other,
    ):
        assert distributed.default_client() is not other
        summary = run_batch_dask(indir, out_folder(tmp_path / "out"), config=ALL_OFF, client=other)
    assert summary.corrected == 6 and summary.ok


def test_resume_works_across_engines(tmp_path: Path, cluster_client) -> None:
    pages = small_pages(20)
    indir = make_archive(tmp_path / "in", pages)
    outdir = out_folder(tmp_path / "out")
    run_batch(indir, outdir, config=ALL_OFF, jobs=1)
    (indir / "vol0" / "p000.txt").write_bytes("바뀐 면\n".encode())  # changed since: redone
    (edit_log_path(outdir / "vol1" / "p001.txt")).unlink()  # unfinished: redone
    again = run_batch_dask(indir, outdir, config=ALL_OFF, client=cluster_client, resume=True)
    assert (again.resumed, again.corrected, again.failed) == (18, 2, [])
    assert (outdir / "vol0" / "p000.txt").read_text(encoding="utf-8") == "바뀐 면\n"
    back = run_batch(indir, outdir, config=ALL_OFF, jobs=1, resume=True)
    assert (back.resumed, back.corrected) == (20, 0)


def test_dask_engine_takes_a_page_list_and_reports_missing_pages(
    tmp_path: Path, cluster_client
) -> None:
    indir = make_archive(tmp_path / "in", small_pages(6))
    chosen = ["vol0/p000.txt", "vol2/p005.txt", "vol1/missing.txt"]
    listfile = tmp_path / "list.txt"
    listfile.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    outdir = out_folder(tmp_path / "out")
    summary = run_batch_dask(
        indir, outdir, config=ALL_OFF, client=cluster_client, pages=read_page_list(indir, listfile)
    )
    assert summary.pages == 3 and summary.corrected == 2
    assert [f["path"] for f in summary.failed] == ["vol1/missing.txt"]
    assert "missing.txt" in summary.failed[0]["reason"]
    assert sorted(p for p in all_files(outdir) if p.endswith(".txt")) == chosen[:2]


def test_pages_are_taken_lazily_with_a_bounded_number_in_flight(
    tmp_path: Path, cluster_client
) -> None:
    pages = small_pages(60)
    indir = make_archive(tmp_path / "in", pages)
    taken: list[str] = []
    ahead: list[int] = []  # pages taken from the listing but not finished, at each result

    def listing():
        for rel in sorted(pages):
            taken.append(rel)
            yield rel

    summary = run_batch_dask(
        indir, out_folder(tmp_path / "out"), config=ALL_OFF, client=cluster_client,
        pages=listing(), in_flight=3, pages_per_task=2,
        progress=lambda n, path: ahead.append(len(taken) - n),
    )  # fmt: skip
    assert summary.corrected == 60 and len(taken) == 60
    assert max(ahead) <= 3 * 2  # 3 tasks of 2 pages: the client never held more


def test_cli_dask_engine_with_a_local_cluster(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kocorrect.cli import main

    indir = make_archive(tmp_path / "in", small_pages(8))
    args = ["batch", str(indir), str(out_folder(tmp_path / "out")), "--engine", "dask",
            "--jobs", "2", "--no-layout", "--no-names", "--no-correct"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["pages"] == 8 and summary["corrected"] == 8
    refused = CliRunner().invoke(
        main, ["batch", str(indir), str(tmp_path / "o2"), "--scheduler", "tcp://x:1"]
    )
    assert refused.exit_code == 2 and "--engine dask" in refused.output
    no_timeout = CliRunner().invoke(
        main, ["batch", str(indir), str(tmp_path / "out"), "--engine", "dask",
               "--page-timeout", "5"],
    )  # fmt: skip
    assert no_timeout.exit_code == 2 and "local engine only" in no_timeout.output
    missing = CliRunner().invoke(
        main,
        [
            "batch",
            str(indir),
            str(tmp_path / "o3"),
            "--engine",
            "dask",
            "--from-list",
            str(tmp_path / "nolist.txt"),
        ],
    )
    assert missing.exit_code == 3 and "nolist.txt" in missing.output


def test_dask_engine_needs_an_existing_outdir_and_writes_format_pages_in_their_format(
    tmp_path: Path, cluster_client
) -> None:
    fixtures = Path(__file__).resolve().parent / "fixtures" / "formats"
    pages = {
        "a/page.hocr": (fixtures / "dev-page005.hocr").read_bytes(),
        "a/page.xml": (fixtures / "dev-page005.xml").read_bytes(),
        "b/plain.txt": (fixtures / "dev-page005.txt").read_bytes(),
    }
    indir = make_archive(tmp_path / "in", pages)
    with pytest.raises(InputError, match="create it first"):
        run_batch_dask(indir, tmp_path / "dask", config=ALL_OFF, client=cluster_client)
    assert not (tmp_path / "dask").exists()
    quiet = Config(normalize=False, layout=False, names=False, correct=False)  # no edits
    local = run_batch(indir, out_folder(tmp_path / "local"), config=quiet, pattern="*.*", jobs=1)
    dask = run_batch_dask(
        indir, out_folder(tmp_path / "dask"), config=quiet, client=cluster_client, pattern="*.*"
    )
    assert local.ok and local.pages == 3 and same_summary(dask, local)
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    for rel in ("a/page.hocr", "a/page.xml"):  # written in their format (no edits: same bytes)
        assert (tmp_path / "dask" / rel).read_bytes() == pages[rel]
        head = json.loads(edit_log_path(tmp_path / "dask" / rel).read_text().splitlines()[0])
        assert head["format"] in ("hocr", "alto") and head["output_bytes"] == len(pages[rel])
    again = run_batch_dask(
        indir, tmp_path / "dask", config=quiet, client=cluster_client, pattern="*.*", resume=True
    )
    assert (again.resumed, again.corrected) == (3, 0)


@pytest.mark.parametrize("per_task", [1, 4])
def test_a_worker_killed_mid_page_is_replaced_and_every_page_written_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_task: int
) -> None:
    pages = small_pages(40)
    indir, outdir = make_archive(tmp_path / "in", pages), out_folder(tmp_path / "out")
    victim, marker = "vol1/p010.txt", tmp_path / "died"
    monkeypatch.setenv(DIE_ON_ENV, victim)  # inherited by the worker processes started below
    monkeypatch.setenv(DIE_ONCE_ENV, str(marker))
    summary = run_batch_dask(indir, outdir, config=ALL_OFF, jobs=2, pages_per_task=per_task)
    assert marker.exists(), "no worker died: the test hook did not fire"
    assert summary.failed == [] and summary.corrected == len(pages)
    for rel, data in pages.items():
        assert (outdir / rel).read_bytes() == data  # all stages off: the same text
        check_page(indir, outdir, rel)
    expected = set(pages) | {edit_log_path(Path(r)).as_posix() for r in pages} | {"summary.json"}
    assert set(all_files(outdir)) == expected  # no temporary, no half log, nothing twice


def test_a_page_whose_worker_always_dies_is_reported_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dask

    pages = small_pages(10)
    indir, outdir = make_archive(tmp_path / "in", pages), out_folder(tmp_path / "out")
    victim = "vol2/p005.txt"
    monkeypatch.setenv(DIE_ON_ENV, victim)
    monkeypatch.setenv(DIE_ONCE_ENV, str(tmp_path / "died"))
    # The scheduler gives up on a task at the first worker death (and a worker holds only the
    # task it runs, so no other page is caught in that death).
    settings = {
        "distributed.scheduler.allowed-failures": 0,
        "distributed.scheduler.worker-saturation": 1.0,
    }
    with dask.config.set(settings):
        summary = run_batch_dask(indir, outdir, config=ALL_OFF, jobs=2)
    assert [f["path"] for f in summary.failed] == [victim]
    assert "worker died" in summary.failed[0]["reason"]
    recorded = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert recorded["failed"] == summary.failed and recorded["corrected"] == len(pages) - 1
    assert not (outdir / victim).exists() and not edit_log_path(outdir / victim).exists()
    assert not [p for p in all_files(outdir) if p.endswith(TEMP_SUFFIX)]


# ------------------------------------------------------------------- with the real model ----


def seed_variants() -> dict[str, bytes]:
    """The sample page, its halves, an excerpt in a sub-folder and a CP949 copy."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    half = len(lines) // 2
    return {
        "seed.ocr.txt": text.encode(),
        "part1.ocr.txt": "".join(lines[:half]).encode(),
        "sub/part2.ocr.txt": "".join(lines[half:]).encode(),
        "sub/excerpt.ocr.txt": "".join(lines[5:25]).encode(),
        "cp949.ocr.txt": "".join(lines[:15]).encode("cp949", errors="replace"),
    }


@pytest.fixture(scope="module")
def real_corrector():
    from kocorrect import Corrector

    return Corrector()


@pytest.mark.slow
def test_real_pipeline_on_two_dask_workers_matches_the_local_engine(
    tmp_path: Path, cluster_client, real_corrector
) -> None:
    pages = seed_variants()
    indir = make_archive(tmp_path / "in", pages)
    local = run_batch(indir, out_folder(tmp_path / "local"), corrector=real_corrector)
    dask = run_batch_dask(indir, out_folder(tmp_path / "dask"), client=cluster_client, in_flight=2)
    assert local.ok and local.edits > 0  # the pages have OCR errors the pipeline repairs
    assert same_summary(dask, local)
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    # both workers took pages (each loaded its own Corrector)
    assert len(cluster_client.run(lambda dask_worker: dask_worker.id)) == 2
    # and, being processes that exist to correct pages, froze the loaded models out of the
    # garbage collector's passes (the test process, whose Corrector is its own, did not)
    import gc

    assert all(count > 0 for count in cluster_client.run(gc.get_freeze_count).values())
    assert gc.get_freeze_count() == 0


@pytest.mark.slow
def test_library_recipe_dask_bag_through_a_per_worker_corrector(
    cluster_client, real_corrector
) -> None:
    import dask.bag as db

    # The README recipe: one Corrector per worker, loaded once, texts mapped through it.
    config = Config()
    cluster_client.register_plugin(CorrectorPlugin(config))
    texts = [v.decode("utf-8") for k, v in seed_variants().items() if k != "cp949.ocr.txt"]

    def fix(text: str) -> tuple[str, int]:
        corrector = worker_corrector(config)
        return corrector.correct(text).text, id(corrector)

    fixed = db.from_sequence(texts, npartitions=2).map(fix).compute()
    assert [text for text, _ in fixed] == [real_corrector.correct(t).text for t in texts]
    assert [text for text, _ in fixed] != texts
    # the tasks used the Corrector the plugin loaded on their worker, not one built per task
    loaded = cluster_client.run(
        lambda dask_worker: id(dask_worker.plugins[plugin_name(config)].corrector)
    )
    assert {used for _, used in fixed} <= set(loaded.values())


def test_ctrl_c_on_the_dask_engine_writes_an_interrupted_summary(
    tmp_path: Path, cluster_client
) -> None:
    """As with the local engine: the queued pages are dropped, summary.json covers the pages
    done and says interrupted, BatchInterrupted carries it, and --resume finishes the rest."""
    from kocorrect.batch import BatchInterrupted

    pages = small_pages(40)
    indir, outdir = make_archive(tmp_path / "in", pages), out_folder(tmp_path / "out")

    def stop_after_three(n: int, _path: str) -> None:
        if n == 3:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted) as stopped:
        run_batch_dask(
            indir, outdir, config=ALL_OFF, client=cluster_client, in_flight=2,
            progress=stop_after_three,
        )  # fmt: skip
    done = stopped.value.summary
    assert done.interrupted and done.pages == 3 and not done.ok
    recorded = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert recorded["interrupted"] is True and recorded["pages"] == 3
    rest = run_batch_dask(indir, outdir, config=ALL_OFF, client=cluster_client, resume=True)
    assert rest.ok and rest.pages == 40 and rest.resumed >= 3
