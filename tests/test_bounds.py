"""Bounded on any input: the work the engine does grows with the text, whatever its shape.

Text whose spaces the OCR lost, one huge token, the same sentence over and over: the counted
work (characters Kiwi is asked to read, candidates scored) per input character stays under a
fixed bound. The bound is on counted work, not on time, so the test does not depend on the
machine. `benchmarks/engine.py --unspaced --synthetic` prints the times.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kocorrect import Config, Corrector
from kocorrect.analysis import LanguageModel
from kocorrect.misreads import EFFORTS, MAX_PIECE_SYLLABLES, confusion_table, find_candidates

pytestmark = pytest.mark.slow

SAMPLE = (Path(__file__).resolve().parents[1] / "corpus" / "seed_page.ocr.txt").read_text("utf-8")
UNSPACED = "".join(SAMPLE.split())
# Per input character, at most: what Kiwi reads (a printed page takes about 15) and candidates.
KIWI_CHARS_PER_CHAR = 60
CANDIDATES_PER_CHAR = 3


class CountingKiwi:
    """Passes every call to the real Kiwi and counts the characters it is given."""

    def __init__(self, kiwi: object) -> None:
        self._kiwi = kiwi
        self.chars = 0

    def _count(self, texts: object) -> object:
        if isinstance(texts, str):
            self.chars += len(texts)
            return texts
        listed = list(texts)  # type: ignore[call-overload]
        self.chars += sum(len(t) for t in listed)
        return listed

    def analyze(self, texts: object, *args: object, **kwargs: object) -> object:
        return self._kiwi.analyze(self._count(texts), *args, **kwargs)  # type: ignore[attr-defined]

    def tokenize(self, texts: object, *args: object, **kwargs: object) -> object:
        return self._kiwi.tokenize(self._count(texts), *args, **kwargs)  # type: ignore[attr-defined]


@pytest.fixture(scope="module", params=list(EFFORTS))
def corrector(request: pytest.FixtureRequest) -> Corrector:
    """A corrector at each search budget (`Config(effort=...)`): the bounds hold for both."""
    corrector = Corrector(config=Config(effort=request.param))
    corrector.warm_up()
    return corrector


def counted_correction(corrector: Corrector, text: str) -> tuple[int, int]:
    """(characters Kiwi read, candidates found) for one correction of `text` from cold caches."""
    counter = CountingKiwi(corrector.lm.kiwi)
    lm = LanguageModel(kiwi=counter)  # type: ignore[arg-type]
    counting = Corrector(config=corrector.config, lm=lm, lexicon=corrector.lexicon)
    counting.correct(text)
    kiwi_chars = counter.chars
    # The language model's own count (what benchmarks/engine.py reports, on the direct path
    # into Kiwi that no wrapper sees) is the same as the wrapper's.
    assert lm.kiwi_chars == kiwi_chars
    table = confusion_table(None)
    effort = EFFORTS[corrector.config.effort]
    candidates = find_candidates(text, lm=lm, lexicon=corrector.lexicon, table=table, effort=effort)
    return kiwi_chars, len(candidates)


def unspaced_runs() -> st.SearchStrategy[str]:
    """Stretches of the sample page with every space and line break removed."""
    return st.tuples(
        st.integers(0, len(UNSPACED) - 1), st.integers(200, 1500), st.integers(1, 3)
    ).map(lambda t: (UNSPACED[t[0] :] + UNSPACED)[: t[1]] * t[2])


def huge_tokens() -> st.SearchStrategy[str]:
    """One token of a repeated syllable or two (탠탠탠…, 데이터데이터…)."""
    return st.tuples(
        st.sampled_from(["탠", "데이터", "읍주", "가나", "뷁"]), st.integers(100, 1200)
    ).map(lambda t: t[0] * t[1])


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.one_of(unspaced_runs(), huge_tokens()))
def test_work_per_character_is_bounded(corrector: Corrector, text: str) -> None:
    kiwi_chars, candidates = counted_correction(corrector, text)
    assert kiwi_chars <= KIWI_CHARS_PER_CHAR * len(text) + 2_000
    assert candidates <= CANDIDATES_PER_CHAR * len(text) + 50


@pytest.mark.parametrize(
    "after",
    ["2", "ㅇ "],
    ids=["glued digits", "lone letters"],
)
def test_a_text_of_characters_read_again_costs_what_any_text_does(
    corrector: Corrector, after: str
) -> None:
    """Every syllable followed by a character read again before the Hangul search: a glued
    digit (가2나2…), each scored in six or seven windows, whose stage has a budget
    (digits.DIGIT_SCORED_PER_CHAR), or a lone letter (가ㅇ 나ㅇ …), each scored in four short
    windows. Either way the page stays within the bound every other text keeps."""
    syllables = [ch for ch in UNSPACED if "가" <= ch <= "힣"][:1000]
    text = "".join(syllable + after for syllable in syllables)
    kiwi_chars, candidates = counted_correction(corrector, text)
    assert kiwi_chars <= KIWI_CHARS_PER_CHAR * len(text) + 2_000
    assert candidates <= CANDIDATES_PER_CHAR * len(text) + 50


def test_unspaced_page_costs_about_what_the_printed_page_costs(corrector: Corrector) -> None:
    """The sample page with its spaces removed is read in pieces of at most
    MAX_PIECE_SYLLABLES syllables: per character it costs about what the page as printed does,
    not the thousands of times more that one piece of a whole paragraph would."""
    printed, _ = counted_correction(corrector, SAMPLE)
    squeezed, _ = counted_correction(corrector, UNSPACED)
    assert MAX_PIECE_SYLLABLES <= 20
    assert squeezed / len(UNSPACED) <= 3 * printed / len(SAMPLE)


def test_repeated_text_is_read_once(corrector: Corrector) -> None:
    """A page that repeats one sentence costs what one copy costs: sentences are analysed
    and windows scored once per distinct text."""
    sentence = "국가 데이터 탠 구축 성과물인 대규모 데이터 집적과 윈스톱 서비스를 제공한다. "
    once, _ = counted_correction(corrector, sentence)
    many, _ = counted_correction(corrector, sentence * 200)
    assert many <= 3 * once
