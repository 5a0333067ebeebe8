"""The misread search's shortcuts find what the plain searches they replace find.

`covering_word` refuses most variants by the lexicon's syllable pairs and the syllables that end
a particle or ending, `Lexicon.is_tail` by a tail's first syllable and length, and
`jamo_variants` plans only the alternatives that can be among the cheapest kept; the search of a
piece's variants (`searched_variants`) reads what they share off the piece and builds each
variant only when it is reached. Each is checked here against the plain search written out (the code
before the shortcuts) on many inputs.
"""

from __future__ import annotations

import random

import pytest

from kocorrect.hangul import COMMON_SYLLABLES
from kocorrect.lexicon import GENERAL_SOURCE, Lexicon, LexiconEntry
from kocorrect.misreads.variants import (
    ALONE_VARIANTS,
    MAX_VARIANTS_TRIED,
    PAIR_ALTERNATIVES,
    QUIET_VARIANTS,
    Variant,
    confusion_table,
    covering_word,
    jamo_variants,
    piece_variants,
    searched_variants,
    tried,
)

WORDS = [
    "대한",
    "대한민국",
    "민국",
    "사건",
    "내용",
    "때",
    "층",
    "데이터",
    "데이터댐",
    "훔치",
    "정부",
]
TAILS = ["을", "를", "에", "는", "에는", "으로", "다", "었다"]


def _lexicon() -> Lexicon:
    entries = [LexiconEntry(w, "NNG", GENERAL_SOURCE) for w in WORDS]
    entries += [LexiconEntry(t, "FUNC", GENERAL_SOURCE) for t in TAILS]
    return Lexicon(entries)


def _plain_is_tail(text: str, functional: frozenset[str]) -> bool:
    return text in functional or any(
        text[:k] in functional and text[k:] in functional for k in range(1, len(text))
    )


def _plain_covering_word(text: str, lo: int, hi: int, lexicon: Lexicon) -> str | None:
    best: str | None = None
    shortest = 1 if len(text) == 1 else 2
    for a in range(max(0, hi - lexicon.longest), lo + 1):
        floor = max(hi, a + shortest, a + len(best) + 1 if best else 0)
        for b in range(min(len(text), a + lexicon.longest), floor - 1, -1):
            if text[a:b] in lexicon.tags:
                best = text[a:b]
                break
    if best is None:
        for k in range(len(text) - 1, 0, -1):
            if text[:k] in lexicon.tags and _plain_is_tail(text[k:], lexicon.functional):
                return text
    return best


def _texts(rng: random.Random, count: int) -> list[str]:
    """Texts made of the lexicon's words and tails and of their syllables shuffled."""
    syllables = sorted({s for w in WORDS + TAILS for s in w} | set("가나탠"))
    out = []
    for _ in range(count):
        parts = [rng.choice(WORDS + TAILS + syllables) for _ in range(rng.randint(1, 4))]
        out.append("".join(parts)[:10])
    return out


def test_is_tail_matches_the_plain_test() -> None:
    lexicon = _lexicon()
    for text in [*_texts(random.Random(7), 3000), "", "에는을", "에는에는에"]:
        for k in range(len(text) + 1):
            assert lexicon.is_tail(text[k:]) == _plain_is_tail(text[k:], lexicon.functional)


def test_covering_word_matches_the_plain_search() -> None:
    lexicon = _lexicon()
    for text in _texts(random.Random(11), 3000):
        for lo in range(len(text)):
            for hi in range(lo + 1, len(text) + 1):  # (a repair changes one syllable or more)
                expected = _plain_covering_word(text, lo, hi, lexicon)
                assert covering_word(text, lo, hi, lexicon) == expected, (text, lo, hi)


def _plain_jamo_variants(
    piece: str, *, max_cost: float, max_jamo: int, line_ends=(), focus=None
) -> list[Variant]:
    table = confusion_table(None)
    # (only syllables of common use are written: COMMON_SYLLABLES_ONLY)
    per_syllable = [
        [
            alt
            for alt in table.syllable_alternatives(
                syllable, at_line_end=index in line_ends, max_cost=max_cost
            )
            if alt[0] in COMMON_SYLLABLES
        ]
        if focus is None or index in focus
        else []
        for index, syllable in enumerate(piece)
    ]
    plans = [
        (alt[1], index, k, -1, -1)
        for index, alternatives in enumerate(per_syllable)
        for k, alt in enumerate(alternatives)
        if alt[2] <= max_jamo
    ]
    if max_jamo >= 2:
        singles = [
            [(alt[1], k) for k, alt in enumerate(alternatives) if alt[2] == 1][:PAIR_ALTERNATIVES]
            for alternatives in per_syllable
        ]
        for i in range(len(piece)):
            for j in range(i + 1, len(piece)):
                for a_cost, a in singles[i]:
                    for b_cost, b in singles[j]:
                        if a_cost + b_cost <= max_cost:
                            plans.append((a_cost + b_cost, i, a, j, b))
    plans.sort()
    out = []
    for cost, i, a, j, b in plans[:MAX_VARIANTS_TRIED]:
        a_syl, _, _, a_why = per_syllable[i][a]
        if j < 0:
            out.append(Variant(piece[:i] + a_syl + piece[i + 1 :], cost, (i,), (a_why,)))
        else:
            b_syl, _, _, b_why = per_syllable[j][b]
            text = piece[:i] + a_syl + piece[i + 1 : j] + b_syl + piece[j + 1 :]
            out.append(Variant(text, cost, (i, j), (a_why, b_why)))
    return out


@pytest.mark.parametrize(
    "piece", ["탠", "데이터탠", "홈쳤다", "대한민국정부의", "ㅇ니한다", "가a나"]
)
@pytest.mark.parametrize(
    ("max_cost", "max_jamo", "line_ends", "focus"),
    [(16.0, 2, (), None), (16.0, 2, (1,), None), (7.5, 1, (), None), (7.5, 1, (0,), (0, 2))],
)
def test_jamo_variants_match_the_plain_plans(piece, max_cost, max_jamo, line_ends, focus) -> None:
    expected = _plain_jamo_variants(
        piece, max_cost=max_cost, max_jamo=max_jamo, line_ends=line_ends, focus=focus
    )
    got = jamo_variants(
        piece,
        confusion_table(None),
        max_cost=max_cost,
        max_jamo=max_jamo,
        line_ends=line_ends,
        focus=focus,
    )
    assert got == expected


def test_the_covering_words_of_searched_variants_are_the_plain_search() -> None:
    """A variant's covering word, read off what its piece shares with all its variants (the
    search `searched_variants` makes, remembered in `Lexicon.cover_cache`), is the plain
    search's, for one or two syllables replaced anywhere."""
    lexicon = _lexicon()
    table = confusion_table(None)
    rng = random.Random(13)
    pieces = [p for p in _texts(rng, 400) if len(p) >= 2] + ["데이터탠", "대한민국정부의", "사건을"]
    for piece in pieces:
        searched_variants(piece, True, table, lexicon)
    assert len(lexicon.cover_cache) > 1000
    words = 0
    for (text, lo, hi), word in lexicon.cover_cache.items():
        assert word == _plain_covering_word(text, lo, hi, lexicon), (text, lo, hi)
        words += word is not None
    assert words  # (the inputs reach the words, not only refusals)


@pytest.mark.parametrize("piece", ["데이터탠", "홈쳤다", "대한민국정부의", "사건을", "내용에는"])
@pytest.mark.parametrize("suspicious", [True, False])
def test_searched_variants_are_the_plain_tried_ones(piece, suspicious) -> None:
    """The search that builds each variant only when reached keeps the variants `tried` keeps
    of all of them."""
    table = confusion_table(None)
    wanted = ALONE_VARIANTS if suspicious else QUIET_VARIANTS
    expected = tried(piece_variants(piece, suspicious, table), _lexicon(), wanted)
    assert searched_variants(piece, suspicious, table, _lexicon()) == expected
