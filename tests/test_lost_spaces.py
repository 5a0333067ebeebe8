"""scripts/measure_lost_spaces.py: where the gold has a space the corrected text lacks, and where
the analysis reads two words run together."""

from __future__ import annotations

from pathlib import Path

import pytest

from kocorrect import Corrector


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("scripts/measure_lost_spaces.py")


def test_gold_spaces_judges_neighbouring_characters(script) -> None:
    text = "위는아주 질기고"
    spaced = script.gold_spaces(text, "위는 아주 질기고")
    assert spaced[1] is True  # 는|아: the gold has a space there
    assert spaced[0] is False  # 위|는
    assert 3 not in spaced  # 주 and the space after it: not two characters side by side
    # A misread syllable still aligns: only the space is judged.
    assert script.gold_spaces("위눈아주", "위는 아주")[1] is True


def test_a_page_with_a_lost_space_is_counted(script, tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "page001.ocr.txt").write_text("소는 풀을 먹고 위는아주 질기고 튼튼해요.\n", "utf-8")
    (bench / "page001.gold.txt").write_text("소는 풀을 먹고 위는 아주 질기고 튼튼해요.\n", "utf-8")
    counts = script.measure(Corrector(), bench, show=0)
    assert counts["pages"] == 1
    assert counts["lost"] == 1
    assert counts["read_as_two_words"] >= counts["right"] >= 1
