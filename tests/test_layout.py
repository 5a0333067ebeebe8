"""Layout repair: a table of break cases, replay, stability and keep_lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from kocorrect.analysis import LanguageModel
from kocorrect.layout import (
    line_ends_after,
    periods_beside_repairs,
    rejoin_beside_repairs,
    rejoin_broken_words,
)
from kocorrect.types import Edit, apply_edits

CASES = Path(__file__).parent / "cases"
SEED = Path(__file__).parents[1] / "corpus" / "seed_page.ocr.txt"


def _cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in (CASES / "layout_breaks.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        text, expected, why = line.split("\t", 2) if line.count("\t") == 2 else _split_tab(line)
        rows.append(
            (
                text.replace("\\n", "\n").replace("\\t", "\t"),
                expected.replace("\\n", "\n").replace("\\t", "\t"),
                why,
            )
        )
    return rows


def _split_tab(line: str) -> list[str]:
    # Cases whose text holds literal "\t" are written escaped, so a row has exactly 3 fields.
    raise ValueError(f"malformed case row (needs 3 tab-separated fields): {line!r}")


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return LanguageModel()


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected", "why"), _cases(), ids=lambda v: v[:20])
def test_break_cases(lm: LanguageModel, text: str, expected: str, why: str) -> None:
    edits = rejoin_broken_words(text, lm)
    out = apply_edits(text, edits)
    assert out == expected, why
    assert all(e.kind in ("rejoin", "paragraph") and 0 <= e.confidence <= 1 for e in edits)
    assert rejoin_broken_words(out, lm) == [], "running on the output changes nothing"


@pytest.mark.slow
def test_seed_page_rejoins_and_is_stable(lm: LanguageModel) -> None:
    text = SEED.read_text(encoding="utf-8")
    edits = rejoin_broken_words(text, lm)
    out = apply_edits(text, edits)
    for joined in ("핵심 기업을 육성해", "패키지 지원", "전면 시행했고"):
        assert joined in out
    assert "/박진표 기자 lucky@kwangju.co.kr\n" in out
    assert "모집분야\t웹디자인" in out and "\n근무시간\t" in out
    assert rejoin_broken_words(out, lm) == []


@pytest.mark.slow
def test_keep_lines_moves_the_broken_word_up(lm: LanguageModel) -> None:
    text = "다양한 서비스를 구현할 수 있는 핵심 기업을 육\n성해 시범도시로 만든다."
    out = apply_edits(text, rejoin_broken_words(text, lm, keep_lines=True))
    assert out.endswith("핵심 기업을 육성해\n시범도시로 만든다.")


@pytest.mark.parametrize(
    ("text", "edits", "expected"),
    [
        ("가나\n다라 \n마", [], [1, 4]),
        ("가나\n다라\n마", [Edit(2, 3, "\n", " ", "rejoin", 1.0, "")], [1, 4]),
        ("가나\n다라\n마", [Edit(2, 3, "\n", "", "rejoin", 1.0, "")], [1, 3]),
        ("한 줄", [], []),
    ],
)
def test_line_ends_follow_the_layout_edits(
    text: str, edits: list[Edit], expected: list[int]
) -> None:
    assert line_ends_after(text, edits) == expected


@pytest.mark.slow
def test_reasons_read_without_contradiction(lm: LanguageModel) -> None:
    """A proofreader reads why: a join the language model alone cannot decide says so instead
    of "scores +0.0 over", and a break made a space states the small chance of one word that
    its high confidence is the complement of (not a bare "p=0.00" beside "1.00")."""
    text = SEED.read_text(encoding="utf-8")
    edits = rejoin_broken_words(text, lm)
    reasons = [e.reason for e in edits]
    assert not any("(p=" in r or "+0.0 over" in r for r in reasons)
    joins = [r for r in reasons if r.startswith("broken word")]
    assert joins and all("is one word (probability" in r for r in joins)
    assert any("alike" in r for r in joins)  # 시행|했고: the break's shape decides
    spaces = [e for e in edits if e.replacement == " " and "\n" in e.original]
    assert all("one word only with probability" in e.reason for e in spaces if e.confidence > 0.9)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # the page ends sentences with 다. elsewhere: a paragraph ending in 다 lost its period
        (
            "국회의원은 청렴의 의무가 있다.\n\n국가는 평생교육을\n진흥하여야 한다\n\n제2조 목적",
            "국회의원은 청렴의 의무가 있다.\n\n국가는 평생교육을\n진흥하여야 한다.\n\n제2조 목적",
        ),
        (
            "국회의원은 청렴의 의무가 있다.\n\n국가는 평생교육을\n진흥하여야 한다\n",
            "국회의원은 청렴의 의무가 있다.\n\n국가는 평생교육을\n진흥하여야 한다.\n",
        ),
        # a page that never writes 다. keeps its paragraph ends; so do a headline (one printed
        # line) and a one-word caption
        (
            "국가는 평생교육을\n진흥하여야 한다\n\n다음 문단",
            "국가는 평생교육을\n진흥하여야 한다\n\n다음 문단",
        ),
        (
            "광주, 글로벌 인공지능 융복합 중심 도시 도약한다\n\n그는 그렇게 말했다.\n",
            "광주, 글로벌 인공지능 융복합 중심 도시 도약한다\n\n그는 그렇게 말했다.\n",
        ),
        ("그는 그렇게 말했다.\n\n말하다\n\n끝", "그는 그렇게 말했다.\n\n말하다\n\n끝"),
    ],
)
def test_a_paragraph_ending_in_da_gets_back_its_lost_period(
    lm: LanguageModel, page: str, expected: str
) -> None:
    edits = rejoin_broken_words(page, lm)
    out = apply_edits(page, edits)
    assert out == expected
    assert [e.kind for e in edits if e.replacement.endswith(".")] == ["ocr-misread"] * (
        expected.count("다.") - page.count("다.")
    )
    assert rejoin_broken_words(out, lm) == []


def test_a_sentence_inside_a_paragraph_gets_back_its_lost_period(lm: LanguageModel) -> None:
    page = (
        "국회의원은 청렴의 의무가 있다.\n\n국가는 평생교육을 진흥하여야 한다 국가는 모성의 보호를"
        "\n위하여 노력하여야 한다 그것이 된다 하더라도 어렵다. 요청한다 - 이러한 것\n"
    )
    edits = rejoin_broken_words(page, lm)
    out = apply_edits(page, edits)
    assert "진흥하여야 한다. 국가는" in out and "노력하여야 한다. 그것이" in out
    assert "된다 하더라도" in out  # the next word continues the sentence
    assert "요청한다 -" in out  # a list mark follows: an item needs no period
    assert all(e.confidence < 1 for e in edits if e.kind == "ocr-misread")
    assert rejoin_broken_words(out, lm) == []
    # a headline (one printed line) keeps its sentence endings as printed
    headline = "정부, 규제 푼다 기업들 환영한다\n\n본문은 여기서 시작했다. 그리고 끝났다.\n"
    assert apply_edits(headline, rejoin_broken_words(headline, lm)) == headline


def test_a_past_or_future_ending_is_declarative_too(lm: LanguageModel) -> None:
    """Any syllable with the final ㅆ before 다 ends a sentence (the past and the future of every
    verb: 그랬다, 올라갔다, 떠올렸다, 하겠다), not only the listed ones; the next word that
    continues the sentence still keeps it open (했다 하더라도)."""
    page = (
        "공주는 춤을 잘 추었다.\n\n특히 왕자가 그랬다 왕자는 공주를 불렀다 공주는 산으로\n"
        "올라갔다 그 발에서는 피가 흘렀지만 웃었다 언니들을 떠올렸다 어느 날 밤, 다시\n"
        "오겠다 하더라도 어렵다고 했다 그러나 그렇게 했다 하더라도 끝났다.\n"
    )
    out = apply_edits(page, rejoin_broken_words(page, lm))
    for ending in (
        "그랬다. 왕자는",
        "불렀다. 공주는",
        "올라갔다. 그",
        "웃었다. 언니들을",
        "떠올렸다. 어느",
        "했다. 그러나",
    ):
        assert ending in out, ending
    assert "오겠다 하더라도" in out and "했다 하더라도" in out
    but = "공주는 다시 춤을 추었다 하지만 바닥에 발이\n닿을 때마다 아팠다. 왕자는 몰랐다.\n"
    assert "추었다. 하지만 바닥에" in apply_edits(but, rejoin_broken_words(but, lm))
    turns = "그는 아침부터 밤까지 창고를 왔다 갔다 했다 그리고 잠들었다.\n다음 날도 그랬다.\n"
    assert "왔다 갔다 했다. 그리고" in apply_edits(turns, rejoin_broken_words(turns, lm))
    assert rejoin_broken_words(out, lm) == []


def test_a_comma_after_a_sentences_final_da_is_a_misread_period(lm: LanguageModel) -> None:
    page = (
        "국민은 법률이 정하는 바에 의하여 국방의\n의무를 진다, 국가는 이를 보장하여야 한다.\n"
        "그것이 된다, 하더라도 어렵다. 요청한다, - 이러한 것\n"
    )
    edits = rejoin_broken_words(page, lm)
    out = apply_edits(page, edits)
    assert "의무를 진다. 국가는" in out
    assert [(e.original, e.replacement) for e in edits if e.original == ","] == [(",", ".")]
    assert "된다, 하더라도" in out and "요청한다, -" in out  # the sentence goes on; a list
    speck = "세상이 환하였습니다, . 나비는 지난 밤\n이야기를 했습니다. 그리고 떠났습니다.\n"
    assert "습니다, . 나비는" in apply_edits(speck, rejoin_broken_words(speck, lm))
    assert rejoin_broken_words(out, lm) == []
    # a headline (one printed line) is left as printed
    headline = "정부가 푼다, 기업들 환영한다\n\n본문은 여기서 시작했다. 그리고 끝났다.\n"
    assert apply_edits(headline, rejoin_broken_words(headline, lm)) == headline


def test_a_join_made_on_a_misread_is_opened_again_once_it_is_repaired(lm: LanguageModel) -> None:
    # The layout stage joined 어울려이|하는 (one word to it); the misread corrector then read
    # 어울려야하는. Decided again on the repaired word, the break is a space between a verb and
    # its auxiliary (어울려야 하는).
    text = (
        "학대로부터 벗어난 아이들은 여전히\n낯선 사람들과 늘 함께 어울려이\n"
        "하는 환경에서 자신의 안전과 삶을\n지키기 위해 날마다 애를 쓰고 있다.\n"
        "그러니 우리는 그 사실을 잊지 말자.\n아이들의 내일은 오늘 우리에게 달렸다."
    )
    at = text.index("어울려이\n") + len("어울려이")
    layout_edits = [Edit(at, at + 1, "\n", "", "rejoin", 0.53, "broken word")]
    laid_out = apply_edits(text, layout_edits)
    word = laid_out.index("어울려이하는")
    # The repair spans the join, as the misread corrector writes it.
    repair = Edit(word + 3, word + 5, "이하", "야하", "ocr-misread", 0.6, "ㅣ→ㅑ")
    edits = rejoin_beside_repairs(text, layout_edits, [repair], lm)
    repaired = apply_edits(apply_edits(laid_out, [repair]), edits)
    assert "함께 어울려야 하는 환경에서" in repaired
    assert [e.replacement for e in edits] == [" "]
    assert "decided again" in edits[0].reason


def test_a_period_lost_after_a_repaired_da_is_restored(lm: LanguageModel) -> None:
    """있디 ending a paragraph printed on two lines is no sentence end for the layout stage;
    once the misread corrector repairs it to 있다 the period is decided as for any 다: restored
    at a paragraph's end and before the next sentence, on the text after the repairs. A
    headline (one printed line) gets none, and a repair that makes no 다 changes nothing."""
    text = (
        "국회의원은 청렴의 의무가 있다. 국가는 이를\n보장하여야 한다.\n\n"
        "대법관은 법률이 정하는 바에 의하여 연임할\n수 있디\n\n"
        "법관은 탄핵 또는 금고 이상의 형에 의하지\n아니하고는 파면되지 아니한디 "
        "징계처분에 의하지\n아니하고는 불리한 처분을 받지 아니한다.\n\n정부가 푼디\n\n끝\n"
    )
    layout_edits = rejoin_broken_words(text, lm)
    laid_out = apply_edits(text, layout_edits)
    repairs = [
        Edit(at, at + 1, "디", "다", "ocr-misread", 0.9, "ㅣ→ㅏ")
        for at in sorted(i for i, ch in enumerate(laid_out) if ch == "디")
    ]
    other = laid_out.index("탄핵")  # a repair that makes no 다
    repairs.append(Edit(other, other + 1, "탄", "단", "real-word", 0.9, "test"))
    repairs.sort(key=lambda e: e.start)
    edits = periods_beside_repairs(text, layout_edits, repairs)
    out = apply_edits(apply_edits(laid_out, repairs), edits)
    assert "수 있다.\n" in out
    assert "아니한다. 징계처분에" in out
    assert "정부가 푼다\n" in out  # a headline: printed on one line
    assert all(e.kind == "ocr-misread" and "repaired" in e.reason for e in edits)
    assert len(edits) == 2
    assert periods_beside_repairs(text, layout_edits, []) == []


def test_the_analysis_free_bound_holds_for_every_gap_of_a_page(lm: LanguageModel) -> None:
    """Every gap of the sample page, joined or not: the features read off the text are the
    same without the analyses, those read off the analyses stay in their ranges, and no model
    gives a gap a higher logit than `analysis_free_bound` says it can (which is what lets the
    intra-line decision leave most spaces without asking Kiwi)."""
    import math

    from kocorrect.breaks import (
        ANALYSIS_FEATURE_RANGES,
        FEATURE_NAMES,
        LEFT_GROUP_FEATURES,
        RIGHT_GROUP_FEATURES,
        GapKind,
        PageForms,
        analyse,
        analysis_free_bound,
        join_variants,
        read_page,
        text_features,
        variant_features,
        variant_texts,
    )
    from kocorrect.layout import LayoutModel
    from kocorrect.lexicon import Lexicon

    page = read_page(SEED.read_text(encoding="utf-8"))
    forms = PageForms.of(page)
    lexicon = Lexicon.load()
    model = LayoutModel.load()
    read_off = {*ANALYSIS_FEATURE_RANGES, "oov_gain", *LEFT_GROUP_FEATURES, *RIGHT_GROUP_FEATURES}
    closed = [False] * len(page.gaps)
    variants = [join_variants(page.words, closed, g.index) for g in page.gaps]
    analyses = analyse(lm, variant_texts(variants))
    checked = 0
    for v in variants:
        for kind, left_full in ((GapKind.INTRA, False), (GapKind.LINE, True)):
            real = variant_features(
                v, analyses, kind=kind, left_full=left_full, lexicon=lexicon, forms=forms
            )
            text_only = text_features(
                v, kind=kind, left_full=left_full, lexicon=lexicon, forms=forms
            )
            named = dict(zip(FEATURE_NAMES, real, strict=True))
            for name, a, b in zip(FEATURE_NAMES, real, text_only, strict=True):
                if name not in read_off:
                    assert a == b, (name, v.spaced)
            for name, (lo, hi) in ANALYSIS_FEATURE_RANGES.items():
                assert lo <= named[name] <= hi, (name, v.spaced)
            assert sum(named[n] for n in LEFT_GROUP_FEATURES) == 1
            assert sum(named[n] for n in RIGHT_GROUP_FEATURES) <= 1
            assert abs(named["oov_gain"]) <= len(v.spaced)
            for weights in (model.intra_weights, model.break_weights):
                z = sum(w * f for w, f in zip(weights, real, strict=True))
                bound = analysis_free_bound(weights, text_only, len(v.spaced))
                assert z <= bound + 1e-9, (v.spaced, z, bound)
            checked += 1
    assert checked > 100
    # The bound is tight enough to matter: most spaces between two Hangul words inside a line
    # cannot reach the 0.9 an intra-line join needs.
    hangul_pairs = [v for v in variants if v.left[-1:].isalpha() and v.right[:1].isalpha()]
    threshold = math.log(0.9 / 0.1)
    hopeless = [
        v
        for v in hangul_pairs
        if analysis_free_bound(
            model.intra_weights,
            text_features(v, kind=GapKind.INTRA, left_full=False, lexicon=lexicon, forms=forms),
            len(v.spaced),
        )
        < threshold
    ]
    assert len(hopeless) > len(hangul_pairs) // 2
