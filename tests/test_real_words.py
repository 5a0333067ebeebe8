"""scripts/measure_real_words.py: which misread units count as real-word misreads."""

from __future__ import annotations

from pathlib import Path

import pytest

from kocorrect import Corrector
from kocorrect.lexicon import Lexicon


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("scripts/measure_real_words.py")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def test_a_misread_into_a_lexicon_word_is_a_real_word_unit(script, lexicon: Lexicon) -> None:
    ocr = "697건 법인 검거를 도왔다. 윈스톱 개발 거점"
    gold = "697건 범인 검거를 도왔다. 원스톱 개발 거점"
    found = script.units(ocr, gold, lexicon)
    assert [(u["piece"], u["lo"], u["hi"], u["gold"], u["real_word"]) for u in found] == [
        ("법인", 0, 1, "범", True),
        ("윈스톱", 0, 1, "원", False),
    ]


def test_units_follow_the_alignment_across_lost_spaces(script, lexicon: Lexicon) -> None:
    # The OCR lost a space and misread two syllables apart in one piece: two units, and the
    # right syllable between them is in neither.
    found = script.units("적의음직임을 살피고", "적의 움직임을 살피고", lexicon)
    assert [(u["lo"], u["hi"], u["gold"]) for u in found] == [(2, 3, "움")]
    found = script.units("사랑하눈 마음올", "사랑하는 마음을", lexicon)
    assert [(u["piece"], u["gold"]) for u in found] == [("사랑하눈", "는"), ("마음올", "을")]


def test_measure_counts_a_page(script, tmp_path: Path) -> None:
    (tmp_path / "page001.ocr.txt").write_text("그 사건 이후 법인 검거를 도왔다.\n", "utf-8")
    (tmp_path / "page001.gold.txt").write_text("그 사건 이후 범인 검거를 도왔다.\n", "utf-8")
    counts = script.measure(Corrector(), tmp_path, show=0)
    assert counts["units"] == counts["real_units"] == 1
    # The only repair that can fix the unit is a real-word one, and it is right if it fixes it.
    assert counts["real_fixed"] == counts["repairs_right"] == counts["repairs"]


def test_calibration_reports_real_word_pieces_by_margin(load_script, capsys) -> None:
    from kocorrect.misreads import FEATURE_NAMES

    calibrate = load_script("scripts/calibrate_misreads.py")

    def row(gain: float, cost: float, known: bool, right: int, piece: int):
        feats = [0.0] * len(FEATURE_NAMES)
        feats[FEATURE_NAMES.index("lm_gain")] = gain
        feats[FEATURE_NAMES.index("channel_cost")] = cost
        feats[FEATURE_NAMES.index("original_known")] = float(known)
        return (feats, right, (0, piece), gain)

    rows = [
        row(6.0, 6.0, True, 0, 1),  # margin 0: the best of piece 1 ...
        row(2.0, 6.0, True, 1, 1),  # ... not this one, though it is right
        row(15.0, 4.0, True, 1, 2),  # margin 11
        row(15.0, 4.0, False, 1, 3),  # not a real word: left out
    ]
    calibrate.report_real_word_margins(rows)
    out = capsys.readouterr().out
    assert "(2 pieces)" in out
    assert "[+0, +2): 0 right of 1" in out
    assert "[+10, +12): 1 right of 1" in out
