"""Property tests: whatever text comes in, the invariants of a `Correction` hold.

Texts are Korean-heavy mixtures of what scanners and converters produce: syllables, spaces
and line breaks, punctuation, digits, loose and conjoining jamo, combining marks, lone
surrogates, fullwidth forms, emoji and control characters, plus NFD-decomposed Korean.

The invariants, for every input `s` and `r = correct(s)`:
- offsets are valid, sorted and non-overlapping, and each edit's `original` is `s` there;
- `apply_edits(s, r.edits) == r.text` and `restore_original(r.text, r.edits) == s`;
- `r.text` can be written as UTF-8 (no surrogates survive);
- a second pass changes nothing: `correct(r.text).edits == ()`.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kocorrect import Config, Correction, Corrector, apply_edits, restore_original
from kocorrect.normalize import normalize_text
from kocorrect.types import Edit

COMMON_SYLLABLES = "가나다라마바사아자차카타파하국민정부대통령경제사회문화"
COMMON_SYLLABLES += "의을를이가은는에서로고다했한"
SYLLABLES = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
COMMON = st.sampled_from(COMMON_SYLLABLES)
SPACING = st.sampled_from([" ", " ", "\n", "\n\n", "\t", "  "])
PUNCTUATION = st.sampled_from(list(".,·ㆍ-()[]「」\"'“”‘’…~%①②"))
DIGITS_LATIN = st.sampled_from(list("0123456789ABCabcＡＢ１２"))
LOOSE_JAMO = st.sampled_from(
    ["ㅇㅏㄴ", "ㄱ.", "ㅋㅋ", "ㅠㅠ", "ㄱ", "ㅏ", "ㄷㅏㄹㄱ", "ㅎㅏㄴㄱㅡ"]
)
OLD_HANGUL = st.sampled_from(["ᄒᆞᆫ", "ᄀᆞᄅᆞᆷ", "ㆍ", "ㅿ", "ᅀᅵ"])
ODD = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\ud800", "\udc00", "\ud83d\ude00", "😀", "👍🏽", "\ufeff", "\u200b",
     "\u0301", "\u1100", "\u1161", "\u11a8", "\uf900", "\u3000", "\r\n", "\ufffd"]
)  # fmt: skip

PIECE = st.one_of(
    COMMON, COMMON, COMMON, SYLLABLES, SPACING, SPACING, PUNCTUATION, DIGITS_LATIN, LOOSE_JAMO,
    OLD_HANGUL, ODD,
)  # fmt: skip
korean_text = st.lists(PIECE, max_size=40).map("".join)
nfd_korean = korean_text.map(lambda s: unicodedata.normalize("NFD", s))
any_text = st.one_of(korean_text, korean_text, nfd_korean, st.text(max_size=30))


FIXTURE_OK = [HealthCheck.function_scoped_fixture]


def assert_invariants(source: str, result: Correction) -> None:
    """The invariants every Correction must satisfy against its source."""
    assert result.source == source
    previous_end = 0
    for edit in result.edits:
        assert previous_end <= edit.start <= edit.end <= len(source), edit
        assert source[edit.start : edit.end] == edit.original
        assert edit.original != edit.replacement
        assert edit.reason, edit
        previous_end = edit.end
    assert apply_edits(source, result.edits) == result.text
    assert restore_original(result.text, result.edits) == source
    result.text.encode("utf-8")  # no lone surrogate survives
    for item in (*result.suggestions, *result.flags):
        assert 0 <= item.start <= item.end <= len(source), item


# ------------------------------------------------------------------ normalize stage ----


def assert_edit_list(text: str, edits: list[Edit]) -> None:
    previous_end = 0
    for edit in edits:
        assert previous_end <= edit.start < edit.end <= len(text)
        assert text[edit.start : edit.end] == edit.original
        assert edit.kind == "normalize" and edit.reason
        previous_end = edit.end


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_normalize_edits_are_valid_recoverable_and_stable(text: str) -> None:
    edits = normalize_text(text)
    assert_edit_list(text, edits)
    output = apply_edits(text, edits)
    assert restore_original(output, edits) == text
    assert normalize_text(output) == []
    output.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_normalize_output_is_nfc_except_compatibility_hanja(text: str) -> None:
    output = apply_edits(text, normalize_text(text))
    # Both blocks of CJK compatibility ideographs are kept on purpose (one code point per reading).
    if not any(0xF900 <= ord(c) <= 0xFAFF or 0x2F800 <= ord(c) <= 0x2FA1F for c in output):
        assert unicodedata.is_normalized("NFC", output)


@settings(max_examples=200, deadline=None)
@given(korean_text)
def test_normalize_undoes_nfd(text: str) -> None:
    """Decomposing precomposed Korean and normalizing gives back the composed text.

    (NFD itself folds compatibility hanja, which normalize deliberately keeps.)
    """
    assume(not any(0xF900 <= ord(c) <= 0xFAFF for c in text))
    composed = apply_edits(text, normalize_text(text))
    decomposed = unicodedata.normalize("NFD", composed)
    assert apply_edits(decomposed, normalize_text(decomposed)) == composed


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(["ㅋ", "ㅎ", "ㄱ", "ㄴ", "ㄷ", "ㅇ", " ", ".", "\n"])),
        st.lists(st.sampled_from(["ㅠ", "ㅜ", "ㅏ", "ㅡ", " ", ".", "\n"])),
        st.lists(st.sampled_from(["ㅋ", "ㅎ", "ㅠ", "ㅜ", " ", "!"])),
    ).map("".join)
)
def test_normalize_keeps_jamo_that_are_text(text: str) -> None:
    """Consonant-only or vowel-only jamo (ㄱ. list markers) and chat jamo (ㅋㅋ, ㅎㅎ, ㅠㅠ,
    ㅋㅠ) are text: never touched."""
    assert normalize_text(text) == []


# -------------------------------------------------------------------- whole pipeline ----


@pytest.fixture(scope="module")
def corrector_all_on() -> Corrector:
    return Corrector()


@pytest.fixture(scope="module")
def corrector_layout_only() -> Corrector:
    return Corrector(config=Config(correct=False, names=False))


@pytest.fixture(scope="module")
def corrector_all_off() -> Corrector:
    return Corrector(config=Config(normalize=False, layout=False, names=False, correct=False))


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=any_text)
def test_pipeline_with_every_stage_off_returns_the_input(
    corrector_all_off: Corrector, text: str
) -> None:
    result = corrector_all_off.correct(text)
    assert result.text == text and result.edits == ()


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=any_text)
def test_pipeline_invariants_normalize_and_layout(
    corrector_layout_only: Corrector, text: str
) -> None:
    result = corrector_layout_only.correct(text)
    assert_invariants(text, result)
    assert corrector_layout_only.correct(result.text).edits == ()


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=korean_text)
def test_pipeline_invariants_everything_on(corrector_all_on: Corrector, text: str) -> None:
    result = corrector_all_on.correct(text)
    assert_invariants(text, result)
    assert corrector_all_on.correct(result.text).edits == ()
