"""A tiny run of the benchmark harness (benchmarks/run.py): every row is there, numbers are sane.

The real benchmark runs for many minutes on the shared bench pages; this one corrects two short
made-up pages so that CI notices when the harness, an alternative or the scoring breaks.
Timings are not asserted beyond being positive: benchmarks are not timed tests.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"

# Our own sentences, with the damage OCR does: words broken at line ends, a misread syllable.
PAGES = {
    "p1": (
        "정부는 국가 데이터 탠 구축 사\n업을 올해 안에 마무리하겠다고\n밝혔다.\n\n"
        "이번 사업에는 인공지능 학\n습용 자료를 모으는 일도 포함된다.\n",
        "정부는 국가 데이터 댐 구축 사업을 올해 안에 마무리하겠다고 밝혔다.\n\n"
        "이번 사업에는 인공지능 학습용 자료를 모으는 일도 포함된다.\n",
    ),
    "p2": (
        "시청 앞 광장에서는 주말마다 작은\n음악회가 열린다. 시민들은 공연을\n"
        "보며 봄날의 오후를 즐겼다.\n",
        "시청 앞 광장에서는 주말마다 작은 음악회가 열린다. 시민들은 공연을 "
        "보며 봄날의 오후를 즐겼다.\n",
    ),
}


def _load_bench_module():
    spec = importlib.util.spec_from_file_location("kocorrect_bench_run", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench") / "tiny"
    folder.mkdir()
    for name, (ocr, gold) in PAGES.items():
        (folder / f"{name}.ocr.txt").write_text(ocr, encoding="utf-8")
        (folder / f"{name}.gold.txt").write_text(gold, encoding="utf-8")
    run = _load_bench_module()
    args = run.parse_args([str(folder), "--skip-batch", "--rounds", "1", "--scale", "2"])
    table, raw = run.benchmark(args)
    return run, table, raw


@pytest.mark.slow
def test_every_system_has_a_row(bench_result):
    run, table, raw = bench_result
    names = [s["name"] for s in raw["systems"]]
    assert names == list(run.SYSTEMS)
    for name in names:
        assert any(line.startswith(name) for line in table.splitlines()), name


@pytest.mark.slow
def test_quality_numbers_are_sane(bench_result):
    _, _, raw = bench_result
    for system in raw["systems"]:
        if system["note"]:
            assert system["note"].startswith("skipped"), system
            continue
        metrics = system["scores"]["all"]
        assert metrics["CER_in"] > 0, system["name"]  # the made-up pages do have OCR damage
        assert math.isfinite(metrics["CER_out"]) and metrics["CER_out"] >= 0
        for key in ("char_P", "char_R", "char_F05"):
            assert 0.0 <= metrics[key] <= 1.0, (system["name"], key)
    by_name = {s["name"]: s for s in raw["systems"]}
    assert by_name["none"]["scores"]["all"]["CER_out"] == by_name["none"]["scores"]["all"]["CER_in"]


@pytest.mark.slow
def test_speed_numbers_are_sane(bench_result):
    _, table, raw = bench_result
    for system in raw["systems"]:
        if system["note"] or system["name"] == "none":
            continue
        assert system["chars_per_cpu_s"] > 0, system["name"]
        assert 0 < system["load_s"] < 120, system["name"]
        assert 10 < system["peak_mb"] < 8192, system["name"]
    assert raw["ratio"]["kocorrect"] > 0 and raw["ratio"]["kiwi_glue"] > 0
    linear = raw["linearity"]
    assert linear["times"] == 2 and (linear["ratio"] is None or linear["ratio"] > 0)
    for label in ("Kiwi analyze pass", "load: Corrector()", "peak memory", "time per char at 2x"):
        assert label in table, label
