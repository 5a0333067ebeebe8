"""The evaluator agrees with the reference scorer (numbers computed once with tools/score.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kocorrect.evaluate import (
    find_pairs,
    normalize_for_scoring,
    opcode_edits,
    score_dirs,
    score_page,
    scores_json,
    total,
)

FIXTURE = Path(__file__).parent / "fixtures" / "eval"

# `python tools/score.py --ocr-dir tests/fixtures/eval --out-dir tests/fixtures/eval/out
#  --json --per-page`, copied once. Per page: dist_in, dist_out, char_tp_sys, char_sys_edits,
# char_tp_gold, char_gold_edits, word_tp_sys, word_sys_edits.
REFERENCE_PAGES = {
    "spring": (3, 3, 1, 2, 1, 3, 1, 2),
    "town": (1, 0, 1, 1, 1, 1, 1, 1),
    "visit": (3, 2, 1, 2, 1, 3, 1, 2),
}
REFERENCE_TOTALS = {
    "CER_in": 0.051094890510948905,
    "CER_out": 0.0364963503649635,
    "WER_in": 0.2571428571428571,
    "WER_out": 0.2,
    "improvement": 0.2857142857142857,
    "char_P": 0.6,
    "char_R": 0.42857142857142855,
    "char_F05": 0.5555555555555556,
    "word_P": 0.6,
    "word_R": 0.42857142857142855,
    "word_F05": 0.5555555555555556,
    "space_P": 0.5,
    "space_R": 0.5,
    "misread_P": 0.6666666666666666,
    "misread_R": 0.4,
    "hangul_P": 0.6666666666666666,
    "hangul_R": 0.6666666666666666,
}


def test_fixture_pairs_are_found() -> None:
    assert find_pairs(FIXTURE) == ["spring", "town", "visit"]


def test_per_page_counts_match_the_reference_scorer() -> None:
    pages, missing = score_dirs(FIXTURE, FIXTURE / "out")
    assert missing == []
    keys = ("dist_in", "dist_out", "char_tp_sys", "char_sys_edits", "char_tp_gold")
    keys += ("char_gold_edits", "word_tp_sys", "word_sys_edits")
    got = {p.name: tuple(p.row()[k] for k in keys) for p in pages}
    assert got == REFERENCE_PAGES


def test_totals_match_the_reference_scorer() -> None:
    pages, missing = score_dirs(FIXTURE, FIXTURE / "out")
    totals = scores_json(pages, missing, per_page=False)["totals"]
    for key, expected in REFERENCE_TOTALS.items():
        assert totals[key] == pytest.approx(expected, abs=1e-12), key
    assert totals["pages"] == 3


def test_missing_output_is_scored_as_unchanged(tmp_path: Path) -> None:
    pages, missing = score_dirs(FIXTURE, tmp_path)
    assert missing == ["spring", "town", "visit"]
    t = total(pages).row()
    assert t["CER_out"] == t["CER_in"] and t["char_sys_edits"] == 0 and t["char_P"] == 1.0


# The reference scorer's own self-test cases: (ocr, gold, out, unit) -> (TPs, |S|, TPg, |G|).
@pytest.mark.parametrize(
    ("ocr", "gold", "out", "unit", "expected"),
    [
        ("국가 데이터 탠 구축", "국가 데이터 댐 구축", "국가 데이터 탠 구축", "char", (0, 0, 0, 1)),
        ("국가 데이터 탠 구축", "국가 데이터 댐 구축", "국가 데이터 댐 구축", "char", (1, 1, 1, 1)),
        ("국가 데이터 탠 구축", "국가 데이터 댐 구축", "국가 데이터 탱 구축", "char", (0, 1, 0, 1)),
        (
            "핵심 기업을 육\n\n성해",
            "핵심 기업을 육성해",
            "핵심 기업을 육성해",
            "char",
            (1, 1, 1, 1),
        ),
        ("핵심 기업을 육 성해", "핵심 기업을 육성해", "핵심 기업울 육성해", "char", (1, 2, 1, 1)),
        ("사·중점", "시·종점", "시·중점", "char", (1, 1, 1, 2)),
        ("사·중점", "시·종점", "시·중점", "word", (0, 1, 0, 1)),
        ("사·중점", "시·종점", "시·종점", "word", (1, 1, 1, 1)),
        ("보호구역 보호구역 내", "보호구역 내", "보호구역 내", "char", (1, 1, 1, 1)),
        ("엄격히 이드 하고", "업그레이드 하고", "엄격히이드 하고", "char", (0, 1, 0, 1)),
        (
            "발광형사·중점표지판",
            "발광형 시·종점표지판",
            "발광형사·종점표지판",
            "word",
            (0, 1, 0, 1),
        ),
    ],
)
def test_matching_rule(ocr: str, gold: str, out: str, unit: str, expected: tuple) -> None:
    row = score_page(ocr, gold, out).row()
    got = tuple(row[f"{unit}_{k}"] for k in ("tp_sys", "sys_edits", "tp_gold", "gold_edits"))
    assert got == expected


def test_cer_wer_and_improvement() -> None:
    row = score_page("국가 데이터 탠 구축", "국가 데이터 댐 구축", "국가 데이터 댐 구축").row()
    assert (row["CER_in"], row["CER_out"], row["improvement"]) == (1 / 11, 0.0, 1.0)
    worse = score_page("국가 데이터 댐 구축", "국가 데이터 댐 구축", "국가 데이타 댐 구축").row()
    assert worse["improvement"] == float("-inf") and worse["char_P"] == 0.0
    assert score_page("a b c", "a b c", "a bc").row()["WER_out"] == 2 / 3


def test_classes_separate_spacing_from_misreads() -> None:
    row = score_page("육 성해 탠 x1", "육성해 댐 xl", "육성해 댐 x1").row()
    assert (row["gold_space"], row["gold_misread"], row["gold_hangul"]) == (1, 2, 1)
    assert (row["tp_sys_space"], row["tp_sys_hangul"], row["sys_misread"]) == (1, 1, 1)


def test_totals_are_micro_averages() -> None:
    t = total([score_page("ab", "ab", "ax"), score_page("cdef", "cdeg", "cdeg")]).row()
    assert (t["dist_in"], t["dist_out"], t["CER_out"]) == (1, 1, 1 / 6)


def test_normalisation_and_opcode_runs() -> None:
    assert normalize_for_scoring("\u1100\u1161 \n\t b ") == "가 b"
    assert opcode_edits("abcd", "aXYd") == [(1, 3, "XY")]
    assert opcode_edits("abcd", "abcd") == []
