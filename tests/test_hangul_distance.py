"""Jamo decomposition and the OCR channel: tables of real cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kocorrect.distance import ConfusionTable, jamo_distance
from kocorrect.errors import DataFileError
from kocorrect.hangul import COMMON_SYLLABLES, compose, decompose, is_hangul_syllable, jamo_string


@pytest.mark.parametrize(
    ("syllable", "jamo"),
    [
        ("댐", ("ㄷ", "ㅐ", "ㅁ")),
        ("탠", ("ㅌ", "ㅐ", "ㄴ")),
        ("원", ("ㅇ", "ㅝ", "ㄴ")),
        ("가", ("ㄱ", "ㅏ", "")),
        ("힣", ("ㅎ", "ㅣ", "ㅎ")),
        ("읍", ("ㅇ", "ㅡ", "ㅂ")),
    ],
)
def test_decompose_and_compose(syllable: str, jamo: tuple[str, str, str]) -> None:
    assert decompose(syllable) == jamo
    assert compose(*jamo) == syllable


def test_every_syllable_round_trips() -> None:
    for code in range(0xAC00, 0xD7A4):
        assert compose(*decompose(chr(code))) == chr(code)


@pytest.mark.parametrize(
    ("left", "right", "distance"),
    [
        ("탠", "댐", 2),
        ("윈스톱", "원스톱", 1),
        ("읍주운전", "음주운전", 1),
        ("국희", "국회", 1),
        ("데이터", "데이터", 0),
        ("가", "각", 1),
        ("각아", "가가", 2),  # a final and an initial ㄱ are different jamo
        ("abc", "abd", 1),
        ("", "댐", 3),
    ],
)
def test_jamo_distance(left: str, right: str, distance: int) -> None:
    assert jamo_distance(left, right) == distance
    assert jamo_distance(right, left) == distance


def test_jamo_string_keeps_other_characters() -> None:
    assert jamo_string("댐 1a") == "ㄷㅐㅁ 1a"


@pytest.fixture(scope="module")
def table() -> ConfusionTable:
    return ConfusionTable.load()


@pytest.mark.parametrize(
    ("intended", "read"),
    [("원", "윈"), ("음", "읍"), ("회", "희"), ("댐", "탬"), ("헌", "현"), ("효", "흐")],
)
def test_look_alikes_have_a_channel_cost(table: ConfusionTable, intended: str, read: str) -> None:
    cost = table.syllable_cost(intended, read)
    assert cost is not None and 0 < cost < 12


@pytest.mark.parametrize(("read", "printed"), [("ㅇ", "이"), ("ㅅ", "서"), ("ㅇ", "아")])
def test_a_loose_consonant_is_a_syllable_that_lost_its_vowel(
    table: ConfusionTable, read: str, printed: str
) -> None:
    alternatives = {s: (cost, why) for s, cost, _n, why in table.syllable_alternatives(read)}
    assert printed in alternatives
    cost, why = alternatives[printed]
    assert 0 < cost < 12 and "∅→" in why and "(medial)" in why
    assert all(len(syllable) == 1 and "가" <= syllable <= "힣" for syllable in alternatives)


def test_unrelated_syllables_are_not_confusable(table: ConfusionTable) -> None:
    assert table.syllable_cost("가", "힣") is None
    assert table.syllable_cost("댐", "댐") == 0.0


def test_common_confusions_cost_less_than_rare_ones(table: ConfusionTable) -> None:
    common = table.cost("medial", "ㅚ", "ㅢ")  # 회 read as 희: seen often in training
    rare = table.cost("medial", "ㅣ", "ㅢ")
    assert common is not None and rare is not None and common < rare


def test_a_vowel_at_a_line_end_may_have_lost_its_right_stroke(table: ConfusionTable) -> None:
    inside = dict((s, c) for s, c, _n, _why in table.syllable_alternatives("기"))
    at_end = {s: (c, why) for s, c, _n, why in table.syllable_alternatives("기", at_line_end=True)}
    assert at_end["가"][0] < inside["가"] - 1.0
    assert "line's end" in at_end["가"][1]
    assert at_end["키"][0] == inside["키"]  # consonants are not clipped


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("position\tintended\tread\tcount\tcost\nmedial\tㅚ\tㅢ\t3\n", 2, "5 tab-separated"),
        ("position\tintended\tread\tcount\tcost\nmiddle\tㅚ\tㅢ\t3\t1.0\n", 2, "position"),
        ("position\tintended\tread\tcount\tcost\ninitial\tㅏ\tㄱ\t3\t1.0\n", 2, "cannot stand"),
        ("position\tintended\tread\tcount\tcost\nfinal\tㄱ\t-\t1\tcheap\n", 2, "not a number"),
        ("initial\tㄱ\tㅋ\t1\t1.0\n", 1, "header"),
        ("position\tintended\tread\tcount\tcost\nmedial\t-\tㅏ\t1\t1.0\n", 2, "absent"),
        ("position\tintended\tread\tcount\tcost\ninitial\tㅇ\t-\t1\t1.0\n", 2, "lost"),
    ],
)
def test_malformed_confusion_table_names_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "confusions.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as caught:
        ConfusionTable.load(path)
    assert f"confusions.tsv:{line}" in str(caught.value)


def test_common_syllables_are_those_of_ks_x_1001() -> None:
    assert len(COMMON_SYLLABLES) == 2350
    assert all(is_hangul_syllable(s) for s in COMMON_SYLLABLES)
    # the first and last of its Hangul rows, and syllables of everyday words
    assert {"가", "힝", "했", "뻐", "늙", "쏜"} <= COMMON_SYLLABLES
    # what a jamo change makes of common syllables, and no text writes
    assert not {"헀", "냬", "긲", "뼊"} & COMMON_SYLLABLES
