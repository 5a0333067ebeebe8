"""Glyphs decided per page from the page's own evidence: quotes and the middle dot (normalize)."""

from __future__ import annotations

import pytest

from kocorrect import Config, Corrector
from kocorrect.analysis import LanguageModel
from kocorrect.normalize import (
    BULLET_MIN_LINES,
    CURLY_EVIDENCE,
    QUOTE_PARTNER_CHARS,
    normalize_text,
)
from kocorrect.types import apply_edits, restore_original

OFF = Config(layout=False, correct=False, names=False)


def normalized(text: str) -> str:
    return apply_edits(text, normalize_text(text))


CURLY_PAGE = "그는 “안녕하세요”라고 말했다.\n“그래요” 하고 '재그럭'하고 소리가 났다.\n"
CURLY_PAGE_OUT = "그는 “안녕하세요”라고 말했다.\n“그래요” 하고 ‘재그럭’하고 소리가 났다.\n"


def test_a_page_that_shows_curly_quotes_gets_curly_single_quotes_by_position() -> None:
    assert normalized(CURLY_PAGE) == (
        "그는 “안녕하세요”라고 말했다.\n“그래요” 하고 ‘재그럭’하고 소리가 났다.\n"
    )


def test_straight_double_quotes_follow_the_page_and_a_single_quote_closed_by_a_double() -> None:
    page = '“네” 하고 “좋아" 했다. 그는 "정말?" 하고 \'자유분방함"에 대해 말했다.'
    out = normalized(page)
    assert "“좋아” 했다" in out and "“정말?”" in out
    assert "‘자유분방함’에" in out  # tesseract read the closing ’ as "


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # closing a term opened in its own word or the one before: curly
        ("그 '혁신적' 발상을 본다.", "그 ‘혁신적’ 발상을 본다."),
        ("이른바 '녹색 성장' 정책을 본다.", "이른바 ‘녹색 성장’ 정책을 본다."),
        # followed by a particle, 하고, a mark or another quotation: curly, however far the opener
        ("'아주 오래된 옛 마을의 이야기' 를 본다.", "‘아주 오래된 옛 마을의 이야기’ 를 본다."),
        ("'아주 오래된 옛 마을의 이야기' 하고 했다.", "‘아주 오래된 옛 마을의 이야기’ 하고 했다."),
        ("'아주 오래된 옛 마을의 이야기' , 즉 전설", "‘아주 오래된 옛 마을의 이야기’ , 즉 전설"),
        ("'빨리 오너라' '알았어요'", "‘빨리 오너라’ ‘알았어요’"),
        # a word after it, its opener far back: a speck or a misread beside it, left straight
        ("'아주 오래된 일이다. 그러나 근대화 이' 전", "‘아주 오래된 일이다. 그러나 근대화 이' 전"),
    ],
)
def test_a_closing_quote_before_a_word_closes_a_short_term(line: str, expected: str) -> None:
    out = normalized(CURLY_PAGE + line)
    assert out == CURLY_PAGE_OUT + expected
    assert normalize_text(out) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a " whose partner is a single quote glued to a word was an opening ‘
        ("그는 \"이동 상태'에 대해 썼다.", "그는 ‘이동 상태’에 대해 썼다."),
        ("그는 \"끼룩 끼룩' 하고 울었다.", "그는 ‘끼룩 끼룩’ 하고 울었다."),
        # a ' inside a word that goes on without a particle is a speck: the " stays a double
        ('부분 "우리의\'양성 평등"', "부분 “우리의"),
    ],
)
def test_an_opening_double_quote_closed_by_a_single_one_is_single(line: str, expected: str) -> None:
    assert normalized(CURLY_PAGE + line).startswith(CURLY_PAGE_OUT + expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a curly “ a single quote ends, at a particle or after a sentence's end: an opening ‘
        ("그는 “나선형 교육과정'을 따른다.", "그는 ‘나선형 교육과정’을 따른다."),
        ("“좋지, 이제 다 끝났다.' 하고 웃었다.", "‘좋지, 이제 다 끝났다.’ 하고 웃었다."),
        # a single quote with a word after it is a speck inside the quotation: “ stays
        ("“오래된 일이다. 그러나 근대화 이' 전에", "“오래된 일이다. 그러나 근대화 이' 전에"),
        ("“정원의 꽃과 나무는 죽고\n말' 거야\"", "“정원의 꽃과 나무는 죽고\n말' 거야"),
    ],
)
def test_an_opening_curly_double_quote_a_single_one_ends_is_single(
    line: str, expected: str
) -> None:
    assert normalized(CURLY_PAGE + line).startswith(CURLY_PAGE_OUT + expected)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # an opener tesseract set apart from its word, by a space or a line's end
        (
            CURLY_PAGE + "기업 간 ' 협력' 문제를 본다.",
            CURLY_PAGE_OUT + "기업 간 ‘협력’ 문제를 본다.",
        ),
        (
            CURLY_PAGE + "이른바 '\n녹색 성장'을 말한다.",
            CURLY_PAGE_OUT + "이른바 ‘\n녹색 성장’을 말한다.",
        ),
        # closed by a " while the single quote is open: its ’
        (
            CURLY_PAGE + "입으로 '\n딸깍 딸깍\" 소리를 냈다.",
            CURLY_PAGE_OUT + "입으로 ‘\n딸깍 딸깍’ 소리를 냈다.",
        ),
        # no closer after it, or a number after it: as printed
        (CURLY_PAGE + "그 ' 말은 옳다.", CURLY_PAGE_OUT + "그 ' 말은 옳다."),
        (CURLY_PAGE + "발전 ' 10. 5 방문", CURLY_PAGE_OUT + "발전 ' 10. 5 방문"),
    ],
)
def test_a_quote_set_apart_opens_when_a_closer_follows(page: str, expected: str) -> None:
    out = normalized(page)
    assert out == expected
    assert normalize_text(out) == []


@pytest.mark.parametrize(
    "page",
    [
        # news sets '...' straight: one curly quote is no evidence
        "그는 “좋다고 했다. '2021 여가친화기관'으로 인증받았다.",
        "광주시는 \"오는 2024년 마무리되는\" 사업이라고 '여가친화기관'에 밝혔다.",
    ],
)
def test_a_page_without_curly_evidence_keeps_its_straight_quotes(page: str) -> None:
    assert page.count("“") + page.count("”") < CURLY_EVIDENCE
    assert normalized(page) == page


def test_a_page_of_single_quotes_shows_curly_ones_through_its_lookalikes() -> None:
    # no curly double quote, but a ‘ read as 、 (or `) at a word's start: curly single quotes
    page = "그의 책 、정의란 무엇인가'는 'ㄱ' 학파의 '고전'이다.\n"
    out = normalized(page)
    assert out == "그의 책 ‘정의란 무엇인가’는 ‘ㄱ’ 학파의 ‘고전’이다.\n"
    assert all("curly single quotes" in e.reason for e in normalize_text(page))
    assert normalize_text(out) == []
    # a backtick at a word's end is a speck as often as a quote: no evidence
    speck = "그 뮤`\n지컬은 '캣츠'였다."
    assert normalized(speck) == speck


def test_a_page_that_sets_its_quotations_straight_keeps_its_double_quotes() -> None:
    # two curly quotes, but more straight openers than “: the page prints straight doubles
    page = '“4차 산업”에서는 "이런 일은" 하고 "왜 진작" 하고 "무엇때문에" 말했다.'
    out = normalized(page)
    assert out.count('"') == page.count('"')


def test_lookalikes_and_latin_apostrophes() -> None:
    page = "“가” “나” 、가짜뉴스 don't 'ok' \"“자전거를"
    out = normalized(page)
    assert "‘가짜뉴스" in out
    assert "don't" in out  # an apostrophe inside a Latin word stays
    assert '"“자전거를' in out  # a quote next to another quote is left for a human


def test_a_quote_is_made_curly_only_where_it_pairs_with_something() -> None:
    # the page shows curly quotes; its closers pair with an open quote, an opener tesseract
    # misread (* or 「), or the particle after them; a speck read as ' inside a word pairs with
    # nothing and stays as printed, whether a word goes on after it or not, as does an opener
    # with no quote anywhere after it
    page = (
        "그는 “네”라고 했다. *오미야게' 특성과는 달리 「알 수 없는 미지' 를 본다.\n"
        "그 보고서'라는 글과 기술' 은 좋다. 산업화 이' 전 한국인들의 일상이었다.\n"
        "문화 부분 예서의'양성 평등이다.\n"
        "'77개의 구현 과제가 남았다" + "." * (QUOTE_PARTNER_CHARS + 1) + "\n"
    )
    out = normalized(page)
    assert "*오미야게’ 특성과는" in out and "미지’ 를" in out
    assert "보고서’라는" in out and "기술’ 은" in out
    assert "이' 전" in out and "예서의'양성" in out and "'77개의" in out


def test_quote_edits_are_recoverable_stable_and_explained() -> None:
    edits = normalize_text(CURLY_PAGE)
    assert edits and all("curly double quotes" in e.reason for e in edits)
    out = apply_edits(CURLY_PAGE, edits)
    assert restore_original(out, edits) == CURLY_PAGE
    assert normalize_text(out) == []


def test_the_corrector_applies_the_page_decision() -> None:
    result = Corrector(config=OFF).correct(CURLY_PAGE)
    assert "‘재그럭’하고" in result.text


def test_a_page_that_sets_its_araea_apart_keeps_every_araea() -> None:
    # tesseract sets a space before the wide letter ㆍ: this page prints it, tight ones too
    page = "시장 ㆍ군수 ㆍ구청장은 성폭력 ㆍ가정폭력 ㆍ아동학대와 열람ㆍ사본교부를 한다."
    assert normalize_text(page) == []


def test_a_page_with_tight_middle_dots_gets_middle_dots() -> None:
    page = "시장ㆍ군수ㆍ구청장은 성폭력 ㆍ가정폭력ㆍ아동학대와 열람ㆍ사본교부를 한다."
    out = normalized(page)
    assert "시장·군수·구청장" in out and "열람·사본교부" in out
    assert "성폭력 ㆍ가정폭력" in out  # a spaced one alone is still left for a human


def test_no_middle_dot_after_a_word_that_ends_in_a_long_particle() -> None:
    # A · joins two nouns: after 동안이나 or 비판'이나 the ㆍ is a speck or a lost mark.
    page = (
        "사흘 동안이나ㆍ 쉬지 않고, 모든 지역에서ㆍ연구비가 늘었다. "
        "비판'이나ㆍ고발 같은 국가ㆍ사회의 일"
    )
    out = normalized(page)
    assert "동안이나ㆍ 쉬지" in out and "지역에서ㆍ연구비" in out and "비판'이나ㆍ고발" in out
    assert "국가·사회" in out  # a one-syllable particle (가) is also a noun's last syllable


def test_unclosed_quotes_by_the_thousand_stay_a_linear_scan() -> None:
    # 20,000 openers never closed, then 20,000 closers of the other kind: each step looks at a
    # bounded number of open quotes (normalize.MAX_OPEN_QUOTES), and every quote is still read
    n = 20_000
    page = "“” " + "'가 " * n + "가” " * n
    out = normalized(page)
    assert out.count("‘가") == n and out.count("가”") == n


LIST_PAGE = "다음과 같다.\nㆍ 직원 및 의사결정\nㆍ미디어가 여성을\n  ㆍ 국가 인권기관\n*ㆍ 끝\n"


def test_a_page_that_starts_lines_with_araea_sets_a_list_of_bullets() -> None:
    assert LIST_PAGE.count("\nㆍ") + LIST_PAGE.count("  ㆍ") >= BULLET_MIN_LINES
    edits = normalize_text(LIST_PAGE)
    out = apply_edits(LIST_PAGE, edits)
    assert out == "다음과 같다.\n• 직원 및 의사결정\n• 미디어가 여성을\n  • 국가 인권기관\n*ㆍ 끝\n"
    assert restore_original(out, edits) == LIST_PAGE
    assert normalize_text(out) == []


def test_one_or_two_araea_at_line_starts_are_left_for_a_human() -> None:
    page = "할 수 없다.\nㆍ 제13조 (목적)\n공공의 이익을\nㆍ 그런데\n"
    assert normalized(page) == page


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("공공 연구에 .참여하는 학교", "공공 연구에 참여하는 학교"),  # alone before a word: a speck
        ("가진다.\n.제15조 국민은", "가진다.\n제15조 국민은"),
        ("데이터에.내재된 편견과", "데이터에 내재된 편견과"),  # after a particle: a space
        ("개발하고.구현해야 한다", "개발하고 구현해야 한다"),
        ("넣어 버렸습니다.물 속에서", "넣어 버렸습니다.물 속에서"),  # may end a sentence: stays
        ("시집 『잡문.이라는 책", "시집 『잡문.이라는 책"),  # before particles: a lost 』, stays
        ("3.5%와 U.S.A. 그리고", "3.5%와 U.S.A. 그리고"),
    ],
)
def test_a_period_a_speck_made_goes(page: str, expected: str) -> None:
    edits = normalize_text(page)
    out = apply_edits(page, edits)
    assert out == expected
    assert restore_original(out, edits) == page
    assert normalize_text(out) == []


def test_no_middle_dot_for_a_colon_after_an_ending_or_a_particle() -> None:
    # A · joins two nouns; read by the language model, a word that ends in an ending, a
    # particle or the copula before a colon is none (the colon is a lost space or 』).
    page = "장기적인:미디어 활동, 궁금했으니:궁금하면 대하여:등 성매매:성폭력 사회적:문화적 변화"
    with_model = apply_edits(page, normalize_text(page, LanguageModel()))
    assert "장기적인:미디어" in with_model and "대하여:등" in with_model
    assert "했으니:궁금" in with_model
    assert "성매매·성폭력" in with_model and "사회적·문화적" in with_model
    assert normalize_text(with_model, LanguageModel()) == []
    assert "장기적인·미디어" in normalized(page)  # without a model every such colon is a ·


def test_a_quote_glued_between_a_comma_and_a_word_opens() -> None:
    # tesseract lost the space after the comma: the quote starts the next word
    page = "“그놈들이 몰라, 가장 아는 체하고.” 그는 돈을 꺼내 들고,'일 원, 이 원' 하고 셌다."
    assert "들고,‘일 원, 이 원’ 하고" in normalized(page)


def test_normalizing_alone_asks_no_language_model() -> None:
    """Only the colon phase reads words with the language model, and only when a later stage
    loads it anyway: with the normalizing stage alone, squeezed colons are decided without it."""
    corrector = Corrector(config=Config(layout=False, correct=False, names=False))
    result = corrector.correct("성매매:성폭력 예방과 장기적인:미디어 교육")
    assert corrector.lm.kiwi_texts == 0
    assert "성매매·성폭력" in result.text
