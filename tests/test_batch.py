"""Batch correction of an archive: mirroring, edit logs, summary, failures, resume, kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kocorrect import Config, apply_edits
from kocorrect.batch import edit_log_path, find_pages, is_finished, run_batch
from kocorrect.errors import InputError
from kocorrect.io import TEMP_SUFFIX, sha256_hex
from kocorrect.render import parse_edit_log

ALL_OFF = Config(layout=False, names=False, correct=False)

PAGES = {
    "a/page001.ocr.txt": "광주시는 국가 데이터 댐을\n구축한다.\n".encode(),
    "a/b/page002.ocr.txt": "오래된 신문 지면\n".encode("cp949"),
    "page003.txt": "\ufeff둘째 면 기사\n".encode(),
    "notes.md": b"not a page",
}


def folder(path: Path) -> Path:
    """An (empty) output folder: batch writes only into a folder that exists."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def make_archive(root: Path, pages: dict[str, bytes] = PAGES) -> Path:
    for rel, data in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.mark.parametrize(
    ("name", "log"),
    [
        ("a/page001.ocr.txt", "a/page001.ocr.edits.jsonl"),
        ("page.txt", "page.edits.jsonl"),
        ("page.text", "page.text.edits.jsonl"),
    ],
)
def test_edit_log_name_drops_the_final_txt(name: str, log: str) -> None:
    assert edit_log_path(Path(name)).as_posix() == log


def test_pages_are_found_recursively_by_glob(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "in")
    assert [p.as_posix() for p in find_pages(root)] == [
        "a/b/page002.ocr.txt",
        "a/page001.ocr.txt",
        "page003.txt",
    ]
    assert [p.as_posix() for p in find_pages(root, "*.ocr.txt")] == [
        "a/b/page002.ocr.txt",
        "a/page001.ocr.txt",
    ]


def check_output_page(indir: Path, outdir: Path, rel: str) -> dict:
    """The output of one page is UTF-8, its log's page record names the input's current hash,
    and replaying the logged edits on the input gives the output text."""
    source_bytes = (indir / rel).read_bytes()
    output = (outdir / rel).read_bytes().decode("utf-8")
    log = parse_edit_log((edit_log_path(outdir / rel)).read_text(encoding="utf-8"))
    assert log.page["sha256"] == sha256_hex(source_bytes)
    assert log.page["path"] == rel
    from kocorrect.io import decode_bytes

    assert apply_edits(decode_bytes(source_bytes), log.edits) == output
    return dict(log.page)


def test_batch_mirrors_pages_with_logs_and_summary(tmp_path: Path) -> None:
    indir, outdir = make_archive(tmp_path / "in"), folder(tmp_path / "out")
    before = {p: p.read_bytes() for p in indir.rglob("*") if p.is_file()}
    summary = run_batch(indir, outdir, config=ALL_OFF, jobs=1)
    assert summary.ok and summary.pages == 3 and summary.corrected == 3
    for rel in ("a/page001.ocr.txt", "a/b/page002.ocr.txt", "page003.txt"):
        check_output_page(indir, outdir, rel)
    # all stages off: the text is the decoded input, re-encoded as UTF-8 (BOM gone)
    assert (outdir / "a/b/page002.ocr.txt").read_text(encoding="utf-8") == "오래된 신문 지면\n"
    assert (outdir / "page003.txt").read_bytes() == "둘째 면 기사\n".encode()
    saved = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert saved == summary.as_dict()
    texts = ("광주시는 국가 데이터 댐을\n구축한다.\n", "오래된 신문 지면\n", "둘째 면 기사\n")
    assert saved["chars"] == sum(len(t) for t in texts)
    assert {p: p.read_bytes() for p in indir.rglob("*") if p.is_file()} == before
    assert not list(outdir.rglob(f"*{TEMP_SUFFIX}"))


def test_unreadable_pages_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    pages = {
        "good.txt": "멀쩡한 면\n".encode(),
        "scan.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "garbage.txt": b"\xff\xfe\xfd\xfc" * 3 + b"\x00",
        "bad.txt": b"ok \xff\xff",
    }
    indir, outdir = make_archive(tmp_path / "in", pages), folder(tmp_path / "out")
    summary = run_batch(indir, outdir, config=ALL_OFF, jobs=1)
    assert not summary.ok and summary.corrected == 1
    reasons = {f["path"]: f["reason"] for f in summary.failed}
    assert set(reasons) == {"scan.txt", "garbage.txt", "bad.txt"}
    assert "PNG image" in reasons["scan.txt"]
    assert "undecodable byte" in reasons["bad.txt"]
    assert not (outdir / "scan.txt").exists()
    assert (outdir / "good.txt").read_text(encoding="utf-8") == "멀쩡한 면\n"


def test_resume_skips_finished_pages_and_redoes_changed_or_incomplete_ones(tmp_path: Path) -> None:
    indir, outdir = make_archive(tmp_path / "in"), folder(tmp_path / "out")
    run_batch(indir, outdir, config=ALL_OFF, jobs=1)
    (indir / "page003.txt").write_text("바뀐 면\n", encoding="utf-8")  # input changed
    edit_log_path(outdir / "a/page001.ocr.txt").unlink()  # killed before the log was written
    stamp = (outdir / "a/b/page002.ocr.txt").stat().st_mtime_ns
    summary = run_batch(indir, outdir, config=ALL_OFF, jobs=1, resume=True)
    assert (summary.resumed, summary.corrected) == (1, 2)
    assert (outdir / "a/b/page002.ocr.txt").stat().st_mtime_ns == stamp
    assert (outdir / "page003.txt").read_text(encoding="utf-8") == "바뀐 면\n"
    for rel in ("a/page001.ocr.txt", "a/b/page002.ocr.txt", "page003.txt"):
        assert is_finished(indir / rel, outdir / rel)
    fresh = run_batch(indir, folder(tmp_path / "fresh"), config=ALL_OFF, jobs=1)
    assert summary.chars == fresh.chars


def test_output_inside_input_is_refused(tmp_path: Path) -> None:
    indir = make_archive(tmp_path / "in")
    with pytest.raises(InputError, match="inside the input folder"):
        run_batch(indir, indir / "out", config=ALL_OFF, jobs=1)


def test_two_workers_give_the_same_result_as_one(tmp_path: Path) -> None:
    indir = make_archive(tmp_path / "in")
    one = run_batch(indir, folder(tmp_path / "one"), config=ALL_OFF, jobs=1).as_dict()
    two = run_batch(indir, folder(tmp_path / "two"), config=ALL_OFF, jobs=2).as_dict()
    assert one.pop("elapsed_s") >= 0 and two.pop("elapsed_s") >= 0
    assert one == two
    for rel in ("a/page001.ocr.txt", "a/b/page002.ocr.txt", "page003.txt"):
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()


def _finished(outdir: Path) -> list[Path]:
    return sorted(outdir.rglob("*.edits.jsonl"))


def test_killed_batch_resumes_with_every_page_exactly_once(tmp_path: Path) -> None:
    count = 200
    pages = {
        f"vol{i % 3}/p{i:03d}.txt": f"제{i}면 국가 데이터\n기사 {i}\n".encode()
        for i in range(count)
    }
    indir, outdir = make_archive(tmp_path / "in", pages), folder(tmp_path / "out")
    command = [sys.executable, "-m", "kocorrect.cli", "batch", str(indir), str(outdir),
               "--jobs", "2", "--no-layout", "--no-names", "--no-correct"]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while len(_finished(outdir)) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, at once
    process.wait()
    done_before = {p: p.stat().st_mtime_ns for p in _finished(outdir)}
    assert 0 < len(done_before) < count, "the batch was not killed mid-run"

    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert summary["pages"] == count and summary["failed"] == []
    assert summary["resumed"] + summary["corrected"] == count
    # a page whose log was written before the kill was not done again
    assert summary["resumed"] >= len(done_before)
    assert all(p.stat().st_mtime_ns == stamp for p, stamp in done_before.items())
    for rel, data in pages.items():
        assert (outdir / rel).read_bytes() == data  # all stages off: the same text
        record = check_output_page(indir, outdir, rel)
        log_lines = edit_log_path(outdir / rel).read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["type"] for line in log_lines].count("page") == 1
        assert record["length"] == len(data.decode())
    assert not list(outdir.rglob(f"*{TEMP_SUFFIX}"))
    outputs = {p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_file()}
    expected = set(pages) | {edit_log_path(Path(r)).as_posix() for r in pages} | {"summary.json"}
    assert outputs == expected


@pytest.fixture(scope="module")
def real_corrector():
    from kocorrect import Corrector

    return Corrector()


@pytest.mark.slow
def test_real_pipeline_outputs_replay_from_their_logs(tmp_path: Path, real_corrector) -> None:
    pages = {
        "p1.txt": "핵심 기업을 육\n\n성해 인공지능 도시로 만든다.\n".encode(),
        "p2.txt": "연말연시 대비 읍주운전 근절에\n동참해 주시길 바란다.\n".encode("cp949"),
    }
    indir, outdir = make_archive(tmp_path / "in", pages), folder(tmp_path / "out")
    summary = run_batch(indir, outdir, corrector=real_corrector)
    assert summary.ok and summary.corrected == 2
    for rel in pages:
        check_output_page(indir, outdir, rel)
    assert summary.edits == sum(summary.edits_by_kind.values())


# ------------------------------------------------------- interrupt, timeout, integrity ----

OFF_FLAGS = ["--no-layout", "--no-names", "--no-correct"]
SMALL = {f"p{i}.txt": f"제{i}면 기사\n".encode() for i in range(1, 4)}
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")


def stuck_archive(root: Path) -> Path:
    """SMALL plus `zz_stuck.txt`, a named pipe nobody writes to: reading it never ends, a page
    that hangs for real (and sorts last, so a one-worker run reaches it after the others)."""
    indir = make_archive(root, SMALL)
    os.mkfifo(indir / "zz_stuck.txt")
    return indir


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child before it runs: Ctrl-C's default action, as a terminal's shell starts a
    foreground job. A runner that starts the tests in the background (`cmd &` in a script)
    has SIGINT ignored, which every child inherits: Python then never raises
    KeyboardInterrupt, and the batch would wait for its stuck page forever."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@needs_fifo
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_with_a_summary_and_a_resume_hint(tmp_path: Path, jobs: str) -> None:
    indir, outdir = stuck_archive(tmp_path / "in"), folder(tmp_path / "out")
    command = [sys.executable, "-m", "kocorrect.cli", "batch", str(indir), str(outdir),
               "--jobs", jobs, *OFF_FLAGS]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(_finished(outdir)) < len(SMALL) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended on its own"
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "Aborted" not in err and "KeyboardInterrupt" not in err
    assert "interrupted after 3 of 4 pages" in err and "--resume" in err
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert (summary["pages"], summary["pages_found"], summary["corrected"]) == (3, 4, 3)
    for rel in SMALL:  # the finished pages are intact
        check_output_page(indir, outdir, rel)
    assert not (outdir / "zz_stuck.txt").exists()
    assert not list(outdir.rglob(f"*{TEMP_SUFFIX}"))
    assert "pages" in out  # the table of what was done


def test_library_ctrl_c_raises_batch_interrupted_with_the_summary(tmp_path: Path) -> None:
    from kocorrect.batch import BatchInterrupted

    indir, outdir = make_archive(tmp_path / "in", SMALL), folder(tmp_path / "out")

    def stop_after_two(n: int, _path: str) -> None:
        if n == 2:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted) as caught:
        run_batch(indir, outdir, config=ALL_OFF, jobs=1, progress=stop_after_two)
    assert caught.value.summary.interrupted and caught.value.summary.pages == 2
    saved = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert saved["interrupted"] is True and saved["pages_found"] == 3
    resumed = run_batch(indir, outdir, config=ALL_OFF, jobs=1, resume=True)
    assert (resumed.resumed, resumed.corrected, resumed.interrupted) == (2, 1, False)


@needs_fifo
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_over_the_time_limit_fails_and_the_run_goes_on(tmp_path: Path, jobs: int) -> None:
    indir, outdir = stuck_archive(tmp_path / "in"), folder(tmp_path / "out")
    summary = run_batch(indir, outdir, config=ALL_OFF, jobs=jobs, page_timeout=1)
    assert summary.failed == [
        {"path": "zz_stuck.txt", "reason": "timed out after 1 s (--page-timeout)"}
    ]
    assert summary.corrected == len(SMALL)
    for rel in SMALL:
        check_output_page(indir, outdir, rel)
    saved = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert {p["path"]: p["status"] for p in saved["per_page"]}["zz_stuck.txt"] == "failed"


@pytest.mark.parametrize("seconds", [0, -1, "soon"])
def test_a_page_timeout_must_be_positive(tmp_path: Path, seconds: object) -> None:
    from kocorrect.errors import ConfigError

    indir, outdir = make_archive(tmp_path / "in", SMALL), folder(tmp_path / "out")
    with pytest.raises(ConfigError, match="positive number of seconds"):
        run_batch(indir, outdir, config=ALL_OFF, jobs=1, page_timeout=seconds)  # type: ignore[arg-type]


def test_resume_redoes_a_page_whose_output_was_damaged(tmp_path: Path) -> None:
    indir, outdir = make_archive(tmp_path / "in"), folder(tmp_path / "out")
    run_batch(indir, outdir, config=ALL_OFF, jobs=1)
    damaged = outdir / "a/page001.ocr.txt"
    whole = damaged.read_text(encoding="utf-8")
    damaged.write_text(whole[:5], encoding="utf-8")  # truncated after the run; its log intact
    assert not is_finished(indir / "a/page001.ocr.txt", damaged)
    summary = run_batch(indir, outdir, config=ALL_OFF, jobs=1, resume=True)
    assert (summary.resumed, summary.corrected) == (2, 1)
    assert damaged.read_text(encoding="utf-8") == whole
    record = check_output_page(indir, outdir, "a/page001.ocr.txt")
    assert record["output_sha256"] == sha256_hex(whole.encode("utf-8"))
    assert record["output_length"] == len(whole)


def test_summary_has_the_elapsed_time_and_each_pages_encoding(tmp_path: Path) -> None:
    indir, outdir = make_archive(tmp_path / "in"), folder(tmp_path / "out")
    expected = {"a/page001.ocr.txt": "utf-8", "a/b/page002.ocr.txt": "cp949",
                "page003.txt": "utf-8-sig"}  # fmt: skip
    for resume in (False, True):  # resumed pages take their encoding from their edit logs
        run_batch(indir, outdir, config=ALL_OFF, jobs=1, resume=resume)
        saved = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
        assert isinstance(saved["elapsed_s"], float) and saved["elapsed_s"] >= 0
        assert {p["path"]: p["encoding"] for p in saved["per_page"]} == expected
        assert saved["encodings"] == {"cp949": 1, "utf-8": 1, "utf-8-sig": 1}
        assert saved["interrupted"] is False


def test_outdir_must_exist(tmp_path: Path) -> None:
    indir = make_archive(tmp_path / "in")
    with pytest.raises(InputError, match=r"no such folder; create it first \(mkdir -p"):
        run_batch(indir, tmp_path / "missing", config=ALL_OFF, jobs=1)
    assert not (tmp_path / "missing").exists()


def test_joined_kinds_count_as_one_kind_whatever_their_order() -> None:
    from kocorrect.batch import PageResult, summarize

    summary = summarize([
        PageResult("a.txt", edits_by_kind={"ocr-misread+rejoin": 1, "rejoin": 1}),
        PageResult("b.txt", edits_by_kind={"rejoin+ocr-misread": 2}),
    ])  # fmt: skip
    assert summary.edits_by_kind == {"rejoin": 1, "rejoin+ocr-misread": 3}


@pytest.mark.parametrize("records", [0, 1, 3])
def test_summary_json_written_in_pieces_is_json_dumps_of_the_summary(records: int) -> None:
    from dataclasses import replace

    from kocorrect.batch import BatchSummary, summary_json

    summary = BatchSummary(
        pages=records, corrected=records, resumed=0, chars=12, edits=2,
        edits_by_kind={"misread": 2}, suggestions=1, flags=0,
        failed=[{"path": "깨진.txt", "reason": "not UTF-8"}],
        per_page=[{"path": f"권{i}/면.txt", "status": "corrected", "encoding": "utf-8", "edits": i}
                  for i in range(records)],
    )  # fmt: skip
    whole = json.dumps(summary.as_dict(), ensure_ascii=False, indent=1) + "\n"
    assert "".join(summary_json(summary)) == whole
    # the records read from elsewhere (a run's records kept on disk) give the same text
    assert "".join(summary_json(replace(summary, per_page=[]), iter(summary.per_page))) == whole
