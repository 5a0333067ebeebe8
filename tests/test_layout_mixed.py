"""Layout repair on mixed prose (issue 14): known compounds, -어 지다, brackets, and joins that
would make a word nothing explains. The pages here are made up for the test (no benchmark text).
"""

from __future__ import annotations

import sys

import pytest

from kocorrect.analysis import LanguageModel
from kocorrect.breaks import analyse, join_variants, known_compound, read_page
from kocorrect.layout import rejoin_broken_words
from kocorrect.lexicon import Lexicon
from kocorrect.types import apply_edits

FILLER = "오늘도 우리는 여러 가지 일을 차례로 해냈고"


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return LanguageModel()


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def wrapped_page(left: str, right: str, width: int = 14, filler: str = FILLER) -> str:
    """A hard-wrapped paragraph (five full lines of `width` characters) whose last full line
    ends in `left`, the next line starting with `right`: a line break inside a word or not."""
    head = filler + " "
    text = (head * 10)[-(width * 5 - len(left)) :] + left
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    return "\n".join([*lines, f"{right} 늘었다고 한다.", "이 문장은 여기서 끝난다."])


def first_paragraph(text: str, lm: LanguageModel) -> str:
    return apply_edits(text, rejoin_broken_words(text, lm)).split("\n")[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("국회", "도서관에서", True),  # 국회도서관: a proper noun of the lexicon
        ("전자", "상거래가", True),  # 전자상거래: a compound noun of the lexicon
        ("학교", "도서관에서", False),  # two nouns the lexicon does not know as one word
        ("명확해", "졌다고", True),  # -어 지다 is always written as one word
        ("많아", "질수록", True),
    ],
)
def test_compounds_and_auxiliaries_at_a_wrap(
    lm: LanguageModel, left: str, right: str, joined: bool
) -> None:
    out = first_paragraph(wrapped_page(left, right), lm)
    assert (f"{left}{right}" in out) is joined, out
    assert (f"{left} {right}" in out) is not joined, out


@pytest.mark.slow
def test_known_compound_needs_the_lexicon(lm: LanguageModel, lexicon: Lexicon) -> None:
    def compound(text: str, lex: Lexicon | None) -> bool:
        page = read_page(text)
        v = join_variants(page.words, [False] * len(page.gaps), 1)
        return known_compound(lex, v, analyse(lm, [v.spaced])[v.spaced])

    assert compound("그는 국회\n도서관에서 읽었다", lexicon)
    assert not compound("그는 학교\n도서관에서 읽었다", lexicon)
    assert not compound("그는 국회\n도서관에서 읽었다", None)
    # A particle ends the left word: nothing the gap cuts is a noun compound.
    assert not compound("그는 국회를\n도서관에서 읽었다", lexicon)


@pytest.mark.slow
def test_a_join_whose_particle_does_not_fit_is_left_open(lm: LanguageModel) -> None:
    text = wrapped_page("경쟁력", "로")
    edits = rejoin_broken_words(text, lm)
    out = apply_edits(text, edits).split("\n")[0]
    assert "경쟁력로" not in out and "경쟁력 로" in out
    assert any("does not fit" in e.reason for e in edits)
    assert rejoin_broken_words(apply_edits(text, edits), lm) == []
    # The particle that fits the syllable before it is joined as before.
    assert "경쟁력으로" in first_paragraph(wrapped_page("경쟁력으", "로"), lm)


@pytest.mark.slow
def test_an_opening_bracket_never_ends_a_word(lm: LanguageModel) -> None:
    text = "유네스코의 「\n인공지능 보고서」를 읽었다."
    edits = rejoin_broken_words(text, lm)
    assert apply_edits(text, edits) == "유네스코의 「인공지능 보고서」를 읽었다."
    assert [e.reason for e in edits] == ["opening '「' before the break: joined"]


def test_calibration_reads_only_the_training_benches(
    monkeypatch: pytest.MonkeyPatch, load_script
) -> None:
    module = load_script("scripts/calibrate_layout.py")
    assert module.TRAINING_BENCHES == ("train", "train-mixed")
    for dev in ("dev", "dev-mixed", "news-dev"):
        monkeypatch.setattr(sys, "argv", ["calibrate_layout.py", "--shared", ".", "--benches", dev])
        with pytest.raises(SystemExit):
            module.main()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("그가 쓴 『소년』 의 출현으로 바뀌었다.", "그가 쓴 『소년』의 출현으로 바뀌었다."),
        ("그의 책 『달』 은 좋았다.", "그의 책 『달』은 좋았다."),
        # 이 read as a determiner (this law) in the spaced reading: not a particle, kept.
        ("「민법」 이 법은 오래되었다.", "「민법」 이 법은 오래되었다."),
        # nor does a comma or a period, after a closing mark (a bill may set 하고 , itself)
        ("「약관법」 , 「상표법」 에 따른다.", "「약관법」, 「상표법」에 따른다."),
        ("그는 승인하고 , 공포한다.", "그는 승인하고 , 공포한다."),
        # an ending never starts a word either: the quotative 다’는 (는 read as an ending)
        ("담배도 들어왔다’ 는 내용이 나온다.", "담배도 들어왔다’는 내용이 나온다."),
    ],
)
def test_a_particle_after_a_closing_bracket_is_joined(
    lm: LanguageModel, text: str, expected: str
) -> None:
    out = apply_edits(text, rejoin_broken_words(text, lm))
    assert out == expected
    assert rejoin_broken_words(out, lm) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("filler", "joined"),
    [
        ("오늘도 우리는 화학물질 문제를 차례로 풀었고", True),  # written solid on the page
        ("오늘도 우리는 화학 물질 문제를 차례로 풀었고", False),  # written spaced
        (FILLER, False),  # not elsewhere on the page (and not a word of the lexicon)
    ],
)
def test_a_compound_is_written_as_the_page_writes_it(
    lm: LanguageModel, filler: str, joined: bool
) -> None:
    out = first_paragraph(wrapped_page("화학", "물질이", filler=filler), lm)
    assert ("화학물질이" in out) is joined, out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("책은 다섯 장으로 되어 있다. 제\n1장에서는 역사를 다룬다.", "제1장에서는"),
        ("책은 다섯 장으로 되어 있다. 제3\n장에서는 역사를 다룬다.", "제3장에서는"),
        ("보안을 해제\n11. 다음 항목", "해제\n11."),  # 해제 is no ordinal prefix
    ],
)
def test_ordinals_are_joined(lm: LanguageModel, text: str, expected: str) -> None:
    assert expected in apply_edits(text, rejoin_broken_words(text, lm))


@pytest.mark.slow
def test_an_unknown_word_is_left_open_only_when_the_join_is_unsure(
    lm: LanguageModel, lexicon: Lexicon
) -> None:
    from kocorrect.layout import UNKNOWN_WORD_SURE, unexplained_join

    def why(text: str, p: float) -> str:
        page = read_page(text)
        [index] = [g.index for g in page.gaps if g.kind != "intra"]
        v = join_variants(page.words, [False] * len(page.gaps), index)
        return unexplained_join(v, analyse(lm, [v.joined])[v.joined], lexicon, p)

    assert why("그는 아키텍\n트와 만났다", UNKNOWN_WORD_SURE - 0.1)  # Kiwi: 아키텍 unknown
    assert why("그는 아키텍\n트와 만났다", UNKNOWN_WORD_SURE) == ""
    assert why("그는 국회\n도서관에서 읽었다", 0.5) == ""  # known words


@pytest.mark.parametrize("text", ["0\n\n0\n0", "1\n23\n\n4"])
def test_a_break_beside_a_join_is_decided_on_the_joined_word(lm: LanguageModel, text: str) -> None:
    # the first break of `0⏎⏎0⏎0` weighed alone sees `0|0`; once the second break is joined it
    # is `0|00`, which is what a second pass over the output sees: both passes must agree
    once = apply_edits(text, rejoin_broken_words(text, lm))
    assert rejoin_broken_words(once, lm) == []


def test_a_word_the_page_writes_whole_elsewhere_explains_its_join(lm: LanguageModel) -> None:
    # 삼림천택 is known to neither Kiwi nor the lexicon: split at a wrap it is left open (the
    # join could hide a misread), unless the page itself writes it whole elsewhere
    assert "삼림천택이" not in first_paragraph(wrapped_page("삼", "림천택이"), lm)
    filler = "오늘도 삼림천택을 두고 여러 가지 일을 차례로 해냈고"
    page = wrapped_page("삼", "림천택이", filler=filler)
    out = apply_edits(page, rejoin_broken_words(page, lm))
    assert "삼림천택이" in out.split("\n")[0]
    assert rejoin_broken_words(out, lm) == []


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("그는 로비\n스트를 만났다", True),  # 로비스트 + 를
        ("그녀는 애널리\n스트로 일했다", True),  # 애널리스트 + 로
        ("그 지\n의를 묻는다", False),  # one syllable before the break
        ("배경을 가\n진 사람", False),  # 가진: too short to explain the join
    ],
)
def test_a_long_lexicon_word_across_a_break_is_no_clipped_stroke(
    lexicon: Lexicon, text: str, spans: bool
) -> None:
    from kocorrect.layout import _lexicon_spans

    page = read_page(text)
    [index] = [g.index for g in page.gaps if g.kind != "intra"]
    v = join_variants(page.words, [False] * len(page.gaps), index)
    assert _lexicon_spans(lexicon, v) is spans


def test_a_word_reads_as_a_lexicon_word_alone_or_before_a_tail(lexicon: Lexicon) -> None:
    """`Lexicon.reads_as_word`, the test both the unexplained-join check and the spanning-word
    check of the layout stage ask: a lexicon word, whole or before a particle or ending, of at
    least `shortest` syllables."""
    assert lexicon.reads_as_word("사람") and lexicon.reads_as_word("사람들을")
    assert lexicon.reads_as_word("사람을", 2) and not lexicon.reads_as_word("사람을", 3)
    assert not lexicon.reads_as_word("람사을")
    assert not lexicon.reads_as_word("")


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("박진표 기자 lucky@example.co.kr", True),
        ("/박진표 특파원", True),
        # A list of jobs that happens to name one: not a name and a title (the first word
        # ends with a comma), so the line is prose and its breaks are weighed.
        ("서, 기자, 의사, 은행원 등 직업 체험", False),
        ("그 기자회견에서 말했다", False),
    ],
)
def test_byline_needs_a_name_before_the_title(line: str, byline: bool) -> None:
    from kocorrect.layout import _line_is_protected

    assert _line_is_protected(line) is byline


def test_a_word_broken_before_a_comma_and_a_title_is_rejoined(lm: LanguageModel) -> None:
    page = wrapped_page("직업 체험장 안에는 요리사, 아나운", "서, 기자, 의사 등이")
    out = first_paragraph(page, lm)
    assert "아나운서," in out, out
