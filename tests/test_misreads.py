"""Misread repair through the whole pipeline: golden cases, the sample page, invariants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kocorrect
import kocorrect.misreads.candidates as candidates_module
from kocorrect import Config, Corrector, apply_edits, restore_original
from kocorrect.analysis import PageAnalysis
from kocorrect.hangul import COMMON_SYLLABLES
from kocorrect.lexicon import Lexicon
from kocorrect.misreads import confusion_table, find_candidates, misread_model
from kocorrect.misreads.candidates import (
    beside_fragment,
    completes_compound,
    compound_noun,
    debris_touches,
    disharmonic,
    page_spelling,
    token_debris,
)
from kocorrect.misreads.decide import (
    FRAGMENT_CONFIDENCE_CAP,
    RUN_TOGETHER_STEM_SCORE,
    decide,
    ungrammatical,
)
from kocorrect.misreads.digits import digit_repairs
from kocorrect.misreads.gate import FOCUS_REACH, QUIET_GATE_SCORE, TOKEN, find_pieces
from kocorrect.misreads.lone_jamo import lone_jamo_repairs
from kocorrect.misreads.variants import jamo_variants, searched_variants

CASES = Path(__file__).parent / "cases"
SAMPLE = Path(__file__).parent.parent / "corpus" / "seed_page.ocr.txt"


def _table(name: str) -> list:
    """The cases of a TSV table, each with a readable id: the file and line it comes from
    (pytest would print the Korean text itself as \\u escapes)."""
    rows = []
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.startswith("#"):
            source, expected, why = line.split("\t")
            rows.append(pytest.param(source, expected, why, id=f"{name}:{number}"))
    return rows


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return Corrector()


@pytest.fixture(scope="module")
def sample_result(corrector: Corrector) -> kocorrect.Correction:
    return corrector.correct(SAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source", "expected", "why"), _table("misreads.tsv"))
def test_golden_case(corrector: Corrector, source: str, expected: str, why: str) -> None:
    result = corrector.correct(source)
    assert result.text == expected, why
    assert apply_edits(source, result.edits) == result.text


@pytest.mark.parametrize(("source", "expected", "why"), _table("misreads_known_failures.tsv"))
@pytest.mark.xfail(strict=True, reason="known misses, see misreads_known_failures.tsv")
def test_known_failure(corrector: Corrector, source: str, expected: str, why: str) -> None:
    assert corrector.correct(source).text == expected, why


def test_sample_page_repairs(sample_result: kocorrect.Correction) -> None:
    repairs = {(e.original, e.replacement) for e in sample_result.edits if "misread" in e.kind}
    assert ("윈스톱", "원스톱") in repairs
    assert ("읍주운전", "음주운전") in repairs
    assert ("탠", "댐") in repairs


def test_every_edit_explains_itself(sample_result: kocorrect.Correction) -> None:
    for edit in sample_result.edits + sample_result.suggestions:
        assert edit.reason
        assert 0.0 <= edit.confidence <= 1.0
        assert edit.kind
    misread = [e for e in sample_result.edits if "misread" in e.kind]
    assert all("→" in e.reason and "lexicon" in e.reason for e in misread)


def test_sample_page_invariants(corrector: Corrector, sample_result: kocorrect.Correction) -> None:
    source = sample_result.source
    assert apply_edits(source, sample_result.edits) == sample_result.text
    assert restore_original(sample_result.text, sample_result.edits) == source
    previous_end = 0
    for edit in sample_result.edits:
        assert edit.start >= previous_end
        assert source[edit.start : edit.end] == edit.original
        previous_end = edit.end
    assert corrector.correct(sample_result.text).edits == ()


def test_names_are_never_edited(sample_result: kocorrect.Correction) -> None:
    for flag in sample_result.flags:
        for edit in sample_result.edits:
            if "misread" in edit.kind or "real-word" in edit.kind:
                assert edit.end <= flag.start or flag.end <= edit.start


def test_every_stage_off_changes_nothing() -> None:
    off = Corrector(config=Config(normalize=False, layout=False, names=False, correct=False))
    text = SAMPLE.read_text(encoding="utf-8")
    result = off.correct(text)
    assert result.text == text
    assert result.edits == result.suggestions == result.flags == ()


def test_a_higher_threshold_applies_less(sample_result: kocorrect.Correction) -> None:
    strict = Corrector(config=Config(threshold=0.99, suggest_threshold=0.2))
    result = strict.correct(sample_result.source)
    applied = {(e.start, e.original) for e in result.edits if "misread" in e.kind}
    default = {(e.start, e.original) for e in sample_result.edits if "misread" in e.kind}
    assert applied <= default
    assert ("읍주운전" in {o for _, o in applied}) and ("윈스톱" not in {o for _, o in applied})
    assert any(s.original == "윈스톱" for s in result.suggestions)


def test_bytes_are_refused_with_advice(corrector: Corrector) -> None:
    with pytest.raises(kocorrect.InputError, match="decode"):
        corrector.correct("데이터".encode())  # type: ignore[arg-type]


@pytest.mark.parametrize("block_chars", [40, 300, 2_000])
def test_split_blocks_cover_the_text_in_order(block_chars: int) -> None:
    from kocorrect.blocks import split_blocks

    text = SAMPLE.read_text(encoding="utf-8")
    blocks = split_blocks(text, block_chars)
    assert "".join(blocks) == text
    assert all(blocks)
    assert len(blocks) >= len(text) // (block_chars + 1)


def test_a_large_page_is_corrected_block_by_block(sample_result: kocorrect.Correction) -> None:
    corrector = Corrector()
    source = sample_result.source
    result = corrector.correct_large(source, block_chars=1_500)
    assert apply_edits(source, result.edits) == result.text
    assert restore_original(result.text, result.edits) == source
    repairs = {(e.original, e.replacement) for e in result.edits if "misread" in e.kind}
    assert ("읍주운전", "음주운전") in repairs
    assert {source[f.start : f.end] for f in result.flags} == {
        source[f.start : f.end] for f in sample_result.flags
    }


@pytest.mark.parametrize(
    ("line", "piece", "beside"),
    [
        ("권한에 속히 는 직무를", "속히", True),  # 는: an ending split off its word
        ("소득의 분배를 유지히 고, 시장의", "유지히", True),
        ("죄질이 무겁지만, 피해지 들과 합의했고", "피해지", True),  # 들과: suffix + particle
        ("1위를 기록하며 화제기 된 가운데", "화제기", False),  # 된 stands alone
        ("장애인 20명, 노인 환지 8명, 입양", "환지", False),  # a number is an ordinary neighbour
        ("양영기는 결훈 전 중화권 톱스타", "결훈", False),  # 전 stands alone
        ("진술을 강요 당하지 ㅇ 니한다.", "당하지", True),  # a loose consonant: OCR debris
    ],
)
def test_split_fragments_beside_a_piece(
    corrector: Corrector, line: str, piece: str, beside: bool
) -> None:
    """A repair beside a split-off particle or ending is only suggested (it would leave the word
    split); ordinary neighbours do not hold a repair back."""
    analysis = PageAnalysis.of(line, corrector.lm)
    _pieces, bound, _particles = find_pieces(line, analysis, corrector.lexicon, [])
    start = line.index(piece)
    assert beside_fragment(line, start, start + len(piece), bound) is beside


@pytest.mark.parametrize(
    ("line", "piece", "changed", "touches"),
    [
        ("(@깜사위원은 말했다", "깜사위원은", "깜", True),  # the circled number runs into 깜
        ("@법륜이 정하는 바에", "법륜이", "륜", False),  # 법 stands between
        ("@법륜이 정하는 바에", "법륜이", "법", True),
        ("보고서는 대롱령|으로 보냈다", "대롱령", "령", True),  # | right after the syllable
        ("보고서는 대롱령|으로 보냈다", "대롱령", "롱", False),
    ],
)
def test_debris_holds_back_only_a_repair_it_touches(
    line: str, piece: str, changed: str, touches: bool
) -> None:
    """OCR debris in a token makes a repair a suggestion only where nothing but non-Hangul
    stands between the debris and the changed syllable."""
    start = line.index(piece)
    debris = token_debris(line, start, start + len(piece))
    assert debris and beside_fragment(line, start, start + len(piece), set())
    lo = line.index(changed, start)
    assert debris_touches(line, debris, lo, lo + len(changed)) is touches


def test_a_repair_beyond_the_debris_is_applied(corrector: Corrector) -> None:
    """A list number read as @ before a word does not hold back the repair of a syllable
    further in."""
    text = "제5조 @법륜이 정하는 바에 따라 시행한다."
    result = corrector.correct(text)
    assert "@법률이" in result.text
    found = find_candidates(
        text, lm=corrector.lm, lexicon=corrector.lexicon, table=confusion_table(None)
    )
    assert all(not c.beside_fragment for c in found if c.replacement == "법률이")


def test_one_particle_for_another_is_only_suggested(corrector: Corrector) -> None:
    """은 read where 을 may have been printed: both are grammatical, so the text stays. Where
    the word fits its context poorly (배상 at -11 before 하지 않는다) the gate searches it, and
    the swap is a suggestion at most, whatever its confidence; where it fits well, it is not
    even searched."""
    fits = "그 손해에 대한 배상은 청구할 수 없다."
    assert corrector.correct(fits).text == fits
    table = confusion_table(None)
    for near_repairs in (False, True):
        found = find_candidates(
            fits, lm=corrector.lm, lexicon=corrector.lexicon, table=table, near_repairs=near_repairs
        )
        assert not any(c.replacement == "배상을" for c in found)
    text = "국가는 배상은 하지 않는다."
    assert corrector.correct(text).text == text
    found = find_candidates(text, lm=corrector.lm, lexicon=corrector.lexicon, table=table)
    swaps = [c for c in found if c.replacement == "배상을"]
    assert swaps and all(c.particle_swap for c in swaps)
    applied, suggested = decide(found, misread_model(), threshold=0.5, suggest_threshold=0.0)
    assert not any(e.replacement == "배상을" for e in applied)
    [suggestion] = [e for e in suggested if e.replacement == "배상을"]
    assert "particle" in suggestion.reason


def repair(text: str, original: str, replacement: str) -> kocorrect.Edit:
    """A misread repair of the first `original` in `text`, made by hand."""
    start = text.index(original)
    return kocorrect.Edit(
        start, start + len(original), original, replacement, "ocr-misread", 0.9, "test"
    )


def test_a_repair_that_reads_as_ungrammatical_is_only_suggested(corrector: Corrector) -> None:
    """A repair after which Kiwi reads an ending as all but impossible (a noun form before 어요:
    아픔어요) is suggested, with the reason; a repair that reads as Korean is kept, whatever
    the other repairs of the page."""
    text = "어제 읍주운전을 했다.\n마음이 너무 아폼어요."

    good, bad = repair(text, "읍주운전을", "음주운전을"), repair(text, "아폼어요", "아픔어요")
    kept, demoted = ungrammatical(text, [good, bad], [good, bad], corrector.lm)
    assert kept == [good]
    [suggestion] = demoted
    assert (suggestion.start, suggestion.replacement) == (bad.start, bad.replacement)
    assert suggestion.confidence <= FRAGMENT_CONFIDENCE_CAP
    assert "ungrammatical ('어요'" in suggestion.reason
    # Only the newest repairs are judged; the others are read as made.
    assert ungrammatical(text, [good, bad], [good], corrector.lm) == ([good], [])


def test_a_repair_read_as_two_words_run_together_is_only_suggested(corrector: Corrector) -> None:
    """A repair after which Kiwi reads the word only as a noun and a poorly fitting verb stem
    glued together (택어났습니다 -> 택이났습니다: 택+이+나) is suggested, with the reason; a
    noun and a verb that fits it (위임밭은 -> 위임받은: 위임+받) is an ordinary word, kept."""
    text = "왕이 될 아이가 택어났습니다. 대통령령에 위임밭은 사항과 법률을 정한다."

    glued = repair(text, "택어났습니다", "택이났습니다")
    good = repair(text, "위임밭은", "위임받은")
    kept, demoted = ungrammatical(text, [glued, good], [glued, good], corrector.lm)
    assert kept == [good]
    [suggestion] = demoted
    assert (suggestion.start, suggestion.replacement) == (glued.start, glued.replacement)
    assert suggestion.confidence <= FRAGMENT_CONFIDENCE_CAP
    assert "two words run together ('이' and the stem '나'" in suggestion.reason
    stem_score = float(re.search(r"which scores (-?[0-9.]+)", suggestion.reason).group(1))
    assert stem_score < RUN_TOGETHER_STEM_SCORE


def test_a_stem_with_an_ending_of_the_wrong_vowel_is_no_word(
    corrector: Corrector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """놓 and 땋 take the endings in 아: 놓어야 and 땋어요 are no words, so they are never a
    repair's target, while the well-formed readings stay words."""
    lexicon = corrector.lexicon
    for form in ("놓어야", "땋어요", "잡어"):
        assert disharmonic(form, lexicon), form
    for form in ("놓아야", "땋아요", "뻗어", "솟아", "꿰어야", "앉아서", "얇으면서도", "보어"):
        assert not disharmonic(form, lexicon), form
    text = "그는 저렇게 놈어야 하는데 말입니다."

    def repairs() -> set[str]:
        found = find_candidates(
            text, lm=corrector.lm, lexicon=lexicon, table=confusion_table(None), near_repairs=True
        )
        return {c.replacement for c in found}

    assert not any("놓어" in r for r in repairs())
    # Without the check the variant is a candidate (the lexicon reads it as 놓 + 어야).
    monkeypatch.setattr(candidates_module, "disharmonic", lambda form, lexicon: False)
    assert "놓어야" in repairs()


def test_a_quote_beside_a_suggested_repair_is_suggested_with_it(corrector: Corrector) -> None:
    """On a page that prints curly quotes, a straight opener becomes ‘, unless the word it opens
    is only suggested for repair (the repeated 카뭐, see the test below): then the quote is held
    back with it, a suggestion too, since the two are right or wrong together."""
    held = "“네” “좋아” 했다. 소설가 '카뭐는 이방인을 썼다.' '카뭐는 부조리를 말했다.'"
    result = corrector.correct(held)
    assert "'카뭐는 이방인" in result.text and "'카뭐는 부조리" in result.text
    quotes = [e for e in result.suggestions if e.original == "'" and e.replacement == "‘"]
    assert len(quotes) == 2 and all("held back" in e.reason for e in quotes)
    # Each at the confidence of the repair it waits with, not the glyph rule's certainty.
    words = {e.start: e.confidence for e in result.suggestions if "카" in e.original}
    assert words and all(q.confidence == words[q.end] for q in quotes)
    assert restore_original(result.text, result.edits) == held
    applied = held + " 카뮈의 책이다."  # the page prints 카뮈: the repairs and the quotes apply
    result = corrector.correct(applied)
    assert "‘카뮈는 이방인" in result.text and "‘카뮈는 부조리" in result.text


def test_a_form_the_page_repeats_is_not_rewritten_into_a_proper_noun(corrector: Corrector) -> None:
    """카뭐 read once is repaired into the proper noun 카뮈; printed twice the same way, and 카뮈
    nowhere on the page, it is the page's own spelling as far as kocorrect can tell: both are
    suggested, not applied. Where the page prints 카뮈 itself, the repairs are applied."""
    once = "소설가 카뭐는 이방인을 썼다."
    assert corrector.correct(once).text == "소설가 카뮈는 이방인을 썼다."
    twice = "소설가 카뭐는 이방인을 썼다. 카뭐는 부조리를 말했다."
    result = corrector.correct(twice)
    assert result.text == twice
    suggested = [e for e in result.suggestions if e.replacement == "카뮈는"]
    assert len(suggested) == 2
    assert all("proper noun" in e.reason for e in suggested)
    printed = twice + " 카뮈의 책이다."
    assert corrector.correct(printed).text == printed.replace("카뭐", "카뮈")
    lexicon = corrector.lexicon
    assert page_spelling(twice, "카뭐는", "카뮈는", 1, 2, "카뮈", lexicon)
    assert not page_spelling(once, "카뭐는", "카뮈는", 1, 2, "카뮈", lexicon)
    assert not page_spelling(printed, "카뭐는", "카뮈는", 1, 2, "카뮈", lexicon)
    # A common word misread the same way each time is a misread all the same.
    assert "NNP" not in lexicon.tags["사회"]
    assert not page_spelling("사희 사희", "사희", "사회", 1, 2, "사회", lexicon)


@pytest.mark.parametrize(
    ("source", "expected", "why"),
    [
        (
            "김이브는 애견 미용시\n출신으로 아프리카 여행을 했다.",
            "김이브는 애견 미용사\n출신으로 아프리카 여행을 했다.",
            "the stroke of ㅏ clipped at the column edge: cheap at a line's end",
        ),
        (
            "있지만 그전에 취업비자기\n올지 불투명하다.",
            "있지만 그전에 취업비자가\n올지 불투명하다.",
            "particle 가 read as 기 at the end of a line",
        ),
        (
            "그 이유는 예산이 부족했기 때문ㅇ\n다.",
            "그 이유는 예산이 부족했기 때문이다.",
            "a vowel lost (ㅇ for 이) and the ending carried to the next line: repaired, rejoined",
        ),
        (
            "법관이 발부한 영장을 제ㅅ\n하여야 한다.",
            "법관이 발부한 영장을 제시하여야 한다.",
            "the break beside the repaired word is decided again: 제시|하여야 is one word",
        ),
    ],
)
def test_line_ends(corrector: Corrector, source: str, expected: str, why: str) -> None:
    result = corrector.correct(source)
    assert result.text == expected, why
    assert restore_original(result.text, result.edits) == source


def test_a_misread_inside_a_line_is_less_certain_than_at_its_end(corrector: Corrector) -> None:
    """ㅏ read as ㅣ is far commoner where the column edge clips the stroke: the same repair
    inside a line is found too, with less confidence."""

    def confidence(source: str) -> float:
        result = corrector.correct(source)
        found = [
            e.confidence
            for e in (*result.edits, *result.suggestions)
            if "미용시" in e.original and "미용사" in e.replacement
        ]
        assert found, source
        return max(found)

    at_end = confidence("김이브는 애견 미용시\n출신으로 아프리카 여행을 했다.")
    inside = confidence("김이브는 애견 미용시 출신으로 아프리카 여행을 했다.")
    assert inside < at_end


@pytest.mark.parametrize(
    ("text", "piece", "variant", "expected"),
    [
        ("국가 데이터 탠 구축", "탠", "댐", True),  # 데이터댐: a compound of the domain lexicon
        ("국가 데이터 탠 구축", "탠", "랜", False),
        ("준하는 국기 비상사태에 있어서", "국기", "국가", True),  # 국가비상사태
        ("국가 데이터 구축", "데이터", "테이터", False),  # 가테이 inside a token is no compound
    ],
)
def test_a_repair_may_complete_a_compound_with_its_neighbour(
    corrector: Corrector, text: str, piece: str, variant: str, expected: bool
) -> None:
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    start = text.index(piece)
    t_index = next(i for i, (s, e) in enumerate(tokens) if s <= start < e)
    found = completes_compound(
        text, tokens, t_index, (start, start + len(piece)), variant, corrector.lexicon
    )
    assert found is expected


def test_an_opening_quote_does_not_hide_a_split_fragment(corrector: Corrector) -> None:
    result = corrector.correct("그는 전쟁의 '잔 흑한 현실'을 고발하는 사진을 공개했다.")
    proposed = [(e.original, e.replacement) for e in result.edits + result.suggestions]
    assert ("잔 흑한", "잔혹한") in proposed


def _compound_lexicon() -> Lexicon:
    from kocorrect.lexicon import GENERAL_SOURCE, LexiconEntry

    general = ["데이터", "댐", "랜", "국가", "구축", "과장", "한의사", "의사", "중립", "탄소"]
    domain = ["데이터댐", "교통정책", "교통정책과장", "탄소중립"]
    entries = [LexiconEntry(w, "NNG", GENERAL_SOURCE) for w in general]
    entries += [LexiconEntry(w, "NNG", "domain lexicon") for w in domain]
    entries += [LexiconEntry(w, "FUNC", GENERAL_SOURCE) for w in ("은", "을", "의")]
    return Lexicon(entries)


@pytest.mark.parametrize(
    ("text", "piece", "variant", "compound"),
    [
        ("국가 데이터 탠 구축", "탠", "댐", "데이터댐"),  # the neighbour before
        ("국가 데이터 탠 구축", "탠", "랜", ""),  # 데이터랜: no compound
        ("교통정책 괴장은 말했다", "괴장은", "과장은", "교통정책과장"),  # particle stripped
        ("탄서 중립 목표", "탄서", "탄소", "탄소중립"),  # the neighbour after
        ("데이터 댐울 구축", "댐울", "댐을", ""),  # the repair is the particle, not the word
        ("안 의사의 당시", "안", "한", ""),  # 한의사: Kiwi knows it and scores it itself
        ("데이터 탠구축", "탠구축", "댐구축", ""),  # the compound must end the word
    ],
)
def test_compound_only_our_lexicons_know(
    text: str, piece: str, variant: str, compound: str
) -> None:
    """A repair that completes, with its neighbour across the space, a compound Kiwi has no
    entry for is scored with the compound read as one noun; nothing else is."""
    lexicon = _compound_lexicon()
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    start = text.index(piece)
    t_index = next(i for i, (s, e) in enumerate(tokens) if s <= start < e)
    changed = [i for i, (a, b) in enumerate(zip(piece, variant)) if a != b]
    span, word = compound_noun(
        text,
        tokens,
        t_index,
        (start, start + len(piece)),
        variant,
        start + changed[-1] + 1,
        lexicon,
    )
    assert word == compound
    if compound:
        assert span is not None
        assert (text[:start] + variant + text[start + len(piece) :])[span[0] : span[1]].replace(
            " ", ""
        ) == compound


def test_a_span_read_as_one_noun_scores_as_a_known_word(corrector: Corrector) -> None:
    """Kiwi scores 데이터 댐 as 데이터 + 댐 (no likelier than 데이터 랜); read as one noun, the
    compound the domain lexicon knows outscores the rival."""
    lm = corrector.lm
    compound, rival = lm.score(["국가 데이터 댐 구축", "국가 데이터 랜 구축"])
    assert abs(compound - rival) < 1.0
    [as_noun] = lm.score(["국가 데이터 댐 구축"], nouns=[(3, 8, "NNG")])
    assert as_noun > rival + 5.0


def test_sample_page_against_our_gold(sample_result: kocorrect.Correction) -> None:
    """Scored against our proofreading of the page: no change is wrong (precision first), and
    the page's three named misreads and three broken words are all repaired."""
    from kocorrect.evaluate import score_page

    gold = SAMPLE.with_name("seed_page.gold.txt").read_text(encoding="utf-8")
    metrics = score_page(sample_result.source, gold, sample_result.text).metrics()
    assert metrics["char_P"] == 1.0
    assert metrics["space_R"] == 1.0
    assert metrics["hangul_R"] >= 3 / 8


def test_a_user_lexicon_compound_decides_a_repair(tmp_path: Path) -> None:
    """The user's own compound (a dam the newsroom writes about, unknown to Kiwi and to the
    domain lexicon) is evidence like the domain's: without it the page stays as printed."""
    text = "시는 빛고을 탠 건설 사업을 마무리했다."
    lexicon = tmp_path / "newsroom.tsv"
    lexicon.write_text("form\ttag\n빛고을댐\tNNG\n", encoding="utf-8")
    assert Corrector().correct(text).text == text
    result = Corrector(config=Config(lexicons=(lexicon,))).correct(text)
    assert result.text == "시는 빛고을 댐 건설 사업을 마무리했다."
    assert "'빛고을댐'" in result.edits[0].reason


def test_correctors_share_one_loaded_model() -> None:
    """Two Correctors of the same settings in one process read through one Kiwi (~600 MB)."""
    from kocorrect import Config

    first = Corrector(config=Config(names=False))
    second = Corrector(config=Config(threshold=0.8))
    assert first.lm.kiwi is second.lm.kiwi


@pytest.mark.parametrize(
    "line",
    [
        "서울경찰청은 올해 697건 법인 검거 실적을 올렸다",  # 법인 at -13: all of it
        "광주, 글로벌 인공지능 융복합 중심 도시 도약한다",  # 인공지능: 인공 + a neighbour
    ],
)
def test_a_quiet_piece_is_varied_only_where_it_fits_poorly(corrector: Corrector, line: str) -> None:
    """A real word that fits its context poorly (법인 in `697건 법인 검거`, at -13) is searched
    at the syllables of the poorly fitting morpheme and their neighbours only; a piece that
    shows damage is varied anywhere."""
    analysis = PageAnalysis.of(line, corrector.lm)
    pieces, _bound, _particles = find_pieces(line, analysis, corrector.lexicon, [])
    quiet = [p for p in pieces if not p.suspicious]
    assert quiet, "the gate searches no quiet piece of the line"
    for piece in quiet:
        low = [
            m
            for m in analysis.all_morphs()
            if m.start < piece.end and m.end > piece.start and m.score <= QUIET_GATE_SCORE
        ]
        reach = {
            i - piece.start
            for m in low
            for i in range(m.start - FOCUS_REACH, m.end + FOCUS_REACH)
            if piece.start <= i < piece.end
        }
        assert piece.focus is not None and set(piece.focus) == reach
        table = confusion_table(None)
        word = line[piece.start : piece.end]
        for v in jamo_variants(word, table, max_cost=7.5, max_jamo=1, focus=piece.focus):
            assert set(v.changed) <= reach, (word, v.text)
    assert all(p.focus is None for p in pieces if p.suspicious)
    if "인공지능" in line:
        narrow = [p for p in quiet if line[p.start : p.end] == "인공지능"]
        assert narrow and len(narrow[0].focus or ()) == 3


def test_variants_write_only_syllables_in_common_use() -> None:
    lexicon = Lexicon.load()
    table = confusion_table(None)
    for piece in ("기뼈했습니다", "대수충은", "탠"):
        variants = searched_variants(piece, True, table, lexicon)
        assert variants
        for v in variants:
            assert all(v.text[i] in COMMON_SYLLABLES for i in v.changed), v
    # with them out of the way the right repair of a long piece is among those tried
    tried = searched_variants("기뼈했습니다", True, table, lexicon)
    assert "기뻐했습니다" in {v.text for v in tried}


def test_a_digit_read_for_a_syllable_is_repaired_and_explained(corrector: Corrector) -> None:
    source = "인간은 자기 길들이2\n가 되었다. 분석을 개선하7 위해서 모였다."
    result = corrector.correct(source)
    assert "길들이기가 되었다" in result.text and "개선하기 위해서" in result.text
    digits = [e for e in result.edits if e.original[:1] in ("2", "7")]
    assert [e.replacement for e in digits] == ["기", "기"]  # (the first also closes the break)
    assert all("glued to the syllable" in e.reason for e in digits)
    assert restore_original(result.text, result.edits) == source


def test_digit_repairs_below_the_threshold_are_only_suggested() -> None:
    lm = Corrector().lm
    text = "분석을 개선하7 위해서"
    applied, suggested = digit_repairs(text, lm)
    assert [(e.start, e.replacement) for e in applied] == [(7, "기")] and not suggested
    applied, suggested = digit_repairs(text, lm, threshold=1.01)
    assert not applied and [(e.start, e.replacement) for e in suggested] == [(7, "기")]
    # a protected span (a name, say) is never touched
    assert digit_repairs(text, lm, protected=[(4, 8)]) == ([], [])


def test_a_digit_that_ended_a_line_is_never_read_as_a_question_mark() -> None:
    """The next line may go on with the word (일7⏎지 for 일까지): the layout stage may have
    made the break a space by the time the digit is read, so the OCR's line ends are asked."""
    lm = Corrector().lm
    text = "킨 영화의 촬영이 취소되는 일7 지 벌어지고 있다."
    at = text.index("7")
    applied, _ = digit_repairs(text, lm)
    assert [e.replacement for e in applied] == ["?"]  # (inside a line the model would)
    assert digit_repairs(text, lm, line_ends={at}) == ([], [])
    assert digit_repairs(text.replace("7 ", "7\n"), lm) == ([], [])


def test_a_consonant_letter_left_alone_is_read_as_its_syllable(corrector: Corrector) -> None:
    source = "국회의원은 법률ㅇ 정하는 직을 겸할 수 없다. 그러고 나ㅅ 회의는 끝났다."
    result = corrector.correct(source)
    assert "법률이 정하는" in result.text and "그러고 나서 회의는" in result.text
    letters = [e for e in result.edits if e.original in ("ㅇ", "ㅅ")]
    assert [e.replacement for e in letters] == ["이", "서"]
    assert all("vowel stroke" in e.reason and e.confidence >= 0.5 for e in letters)
    assert restore_original(result.text, result.edits) == source


def test_a_letter_that_is_no_misread_stays() -> None:
    lm = Corrector().lm
    # a list's mark at a line's start, a letter before a digit (ㅅ1 for AI), chat letters
    for text in ("ㅇ 추진 배경\nㅇ 사업 내용", "몰타의 ㅅ1 전략 계획", "좋아요 ㅋㅋ 정말"):
        assert lone_jamo_repairs(text, lm) == ([], []), text
    text = "국회의원은 법률ㅇ 정하는 직을"
    applied, suggested = lone_jamo_repairs(text, lm, threshold=1.01)
    assert not applied and [(e.start, e.replacement) for e in suggested] == [(8, "이")]
    assert lone_jamo_repairs(text, lm, protected=[(6, 9)]) == ([], [])
    # before a lone ending inside a line the vowel stroke was read as the space: left for the
    # misread search, unless the letter ended an OCR line (the layout stage rejoins there)
    text = "그 이유는 예산이 부족했기 때문ㅇ 다."
    at = text.index("ㅇ")
    assert lone_jamo_repairs(text, lm) == ([], [])
    assert [e.replacement for e in lone_jamo_repairs(text, lm, line_ends={at})[0]] == ["이"]
