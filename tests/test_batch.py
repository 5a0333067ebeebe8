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
    assert summary.chars == run_batch(indir, folder(tmp_path / "fresh"), config=ALL_OFF, jobs=1).chars


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
