"""The optional spacing model, asked about the line breaks the layout model hesitates over.

The wiring is tested with Kiwi's own spacing model (`Kiwi.space`, a real model the package
already depends on) in the place of quickspacer; quickspacer itself is tested where it is
installed (`pip install 'kocorrect[spacing]'`), and its absence must be a clear error.
"""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner
from kiwipiepy import Kiwi

from kocorrect import Config, ConfigError, Corrector
from kocorrect.analysis import LanguageModel
from kocorrect.breaks import read_page
from kocorrect.cli import main
from kocorrect.layout import Action, decide_gaps
from kocorrect.spacing import SPACER_MIN_PROBABILITY, SpacingModel

HAVE_QUICKSPACER = importlib.util.find_spec("quickspacer") is not None
# A hard-wrapped column; the two lines in the middle end in the break under test.
_FILLER = [
    "비가 많이 내리면 오염된 빗물이 토양층을",
    "그 물을 마시는 주민들의 건강이 크게",
    "위협받는다. 따라서 농약을 덜 쓰는 것이",
    "무엇보다 중요하다고 전문가들은 말한다.",
    "그러니 우리는 그 사실을 잊지 말자고",
]


def _page(left_line: str, right_line: str):
    return read_page("\n".join([_FILLER[0], left_line, right_line, *_FILLER[1:]]))


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return LanguageModel()


@pytest.fixture(scope="module")
def kiwi_spacer() -> SpacingModel:
    return SpacingModel(Kiwi())


def test_the_spacing_model_reads_the_break_closed_in_its_context(kiwi_spacer) -> None:
    words = ("우리는", "어제", "학교", "에", "갔다")
    assert kiwi_spacer.joins(words, [2, 0]) == [True, False]
    assert kiwi_spacer.joins(words, []) == []


def test_a_hesitant_break_is_closed_where_the_spacing_model_writes_one_word(
    lm: LanguageModel, kiwi_spacer: SpacingModel
) -> None:
    page = _page("앞에서 모든 일을 차근차근 살펴", "봅니다. 그러면 우리가 몰랐던 사실이")
    at = page.words.index("살펴")
    alone = decide_gaps(page, lm)[at]
    assert alone.action == Action.SPACE
    assert alone.probability is not None and alone.probability >= SPACER_MIN_PROBABILITY
    asked = decide_gaps(page, lm, spacer=kiwi_spacer)[at]
    assert asked.action == Action.JOIN
    assert "spacing model" in asked.reason and "살펴봅니다" in asked.reason


def test_a_sure_break_and_a_spaced_verdict_stay_spaces(
    lm: LanguageModel, kiwi_spacer: SpacingModel
) -> None:
    # The break model is sure (probability 0): the spacing model is not asked.
    sure = _page("그는 오랫동안 여러 신문에서 경제", "전문가로 일해 왔다. 그런데 그가")
    at = sure.words.index("경제")
    assert decide_gaps(sure, lm)[at].probability < SPACER_MIN_PROBABILITY
    assert decide_gaps(sure, lm, spacer=kiwi_spacer)[at].action == Action.SPACE
    # Asked, Kiwi's model writes 지하 수면 apart: the break stays a space.
    spaced = _page("오염된 물이 토양층을 통과해 지하", "수면으로 유입될 수 있다. 그러면")
    at = spaced.words.index("지하")
    assert decide_gaps(spaced, lm)[at].probability >= SPACER_MIN_PROBABILITY
    assert decide_gaps(spaced, lm, spacer=kiwi_spacer)[at].action == Action.SPACE


@pytest.mark.skipif(not HAVE_QUICKSPACER, reason="quickspacer is not installed")
def test_quickspacer_closes_a_compound_the_break_model_hesitates_over(lm: LanguageModel) -> None:
    from kocorrect.spacing import load_spacing_model

    page = _page("오염된 물이 토양층을 통과해 지하", "수면으로 유입될 수 있다. 그러면")
    at = page.words.index("지하")
    assert decide_gaps(page, lm, spacer=load_spacing_model())[at].action == Action.JOIN
    text = Corrector(config=Config(spacing_model=True)).correct("\n".join(page.lines)).text
    assert "지하수면으로" in text


@pytest.mark.skipif(HAVE_QUICKSPACER, reason="quickspacer is installed")
def test_without_quickspacer_asking_for_it_is_a_clear_error() -> None:
    # Refused when the configuration is made, so no batch worker starts without it.
    with pytest.raises(ConfigError, match=r"pip install 'kocorrect\[spacing\]'"):
        Config(spacing_model=True)
    for args in (["fix", "--spacing-model", "-"], ["batch", ".", ".", "--spacing-model"]):
        result = CliRunner().invoke(main, args, input="가나다\n")
        assert result.exit_code == 2
        assert "kocorrect[spacing]" in result.stderr


def test_spacing_model_is_a_switch() -> None:
    with pytest.raises(ConfigError, match="spacing_model must be True or False"):
        Config(spacing_model="yes")  # type: ignore[arg-type]
    assert Config().spacing_model is False
