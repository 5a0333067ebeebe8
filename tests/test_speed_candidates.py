"""The candidate search's compound test (`completes_compound`, which reads what every repair of a
piece shares once) finds what the plain definition finds: a lexicon word of three or more
syllables that starts where the pair of the repaired token and a Hangul neighbour across one
space starts, spans the space and reaches into the repair, where the original pair starts with
no word of that shape. Checked on many generated inputs against the definition written out.
"""

from __future__ import annotations

import random

from kocorrect.lexicon import GENERAL_SOURCE, Lexicon, LexiconEntry
from kocorrect.misreads.candidates import completes_compound
from kocorrect.misreads.gate import PIECE, TOKEN

WORDS = ["대한", "대한민국", "민국", "사건", "내용", "때", "데이터", "데이터댐", "자택", "정부"]
TAILS = ["을", "를", "에", "는", "에서", "으로"]
OURS = ["데이터댐", "교통정책과장", "민국정부"]  # words only the domain lexicon knows


def _lexicon() -> Lexicon:
    entries = [LexiconEntry(w, "NNG", "domain lexicon") for w in OURS]
    entries += [LexiconEntry(w, "NNG", GENERAL_SOURCE) for w in WORDS]
    entries += [LexiconEntry(t, "FUNC", GENERAL_SOURCE) for t in TAILS]
    return Lexicon(entries)


def _syllables() -> list[str]:
    return sorted({s for w in WORDS + TAILS + OURS for s in w} | set("지가탠"))


def _split_word(rng: random.Random) -> list[str]:
    """A word of three or more syllables split by a space somewhere, with a tail or noise around
    it, or whole before noise: the pairs whose repair may complete a compound."""
    word = rng.choice([w for w in WORDS + OURS if len(w) >= 3])
    k = rng.randrange(1, len(word))
    left, right = word[:k], word[k:] + rng.choice(["", *TAILS])
    noise = ["".join(rng.choice(_syllables()) for _ in range(rng.randint(1, 2)))]
    return rng.choice([[left, right], [*noise, left, right], [left, right, *noise], [word, *noise]])


def _plain_starts_with_word(pair: str, shortest: int, lexicon: Lexicon) -> bool:
    return any(pair[:b] in lexicon.tags for b in range(max(shortest, 3), len(pair) + 1))


def _plain_completes(
    text: str,
    tokens: list[tuple[int, int]],
    t_index: int,
    piece: tuple[int, int],
    repair: str,
    lexicon: Lexicon,
) -> bool:
    start, end = piece
    t_start, t_end = tokens[t_index]
    original = text[t_start:t_end]
    repaired = text[t_start:start] + repair + text[end:t_end]
    for other in (t_index - 1, t_index + 1):
        if not 0 <= other < len(tokens):
            continue
        o_start, o_end = tokens[other]
        neighbour = text[o_start:o_end]
        gap = (o_end, t_start) if other < t_index else (t_end, o_start)
        if text[gap[0] : gap[1]] != " " or not PIECE.fullmatch(neighbour):
            continue
        if other < t_index:  # the word starts in the neighbour and reaches into the repair
            if _plain_starts_with_word(neighbour + original, len(neighbour) + 1, lexicon):
                continue
            reach = len(neighbour) + start - t_start + 1
            if _plain_starts_with_word(neighbour + repaired, reach, lexicon):
                return True
        else:  # the word starts in the token, takes in the repair and reaches the neighbour
            if _plain_starts_with_word(original + neighbour, len(original) + 1, lexicon):
                continue
            if _plain_starts_with_word(repaired + neighbour, len(repaired) + 1, lexicon):
                return True
    return False


def test_completes_compound_matches_the_plain_definition() -> None:
    lexicon = _lexicon()
    rng = random.Random(9)
    syllables = _syllables()
    found = 0
    for _ in range(600):
        printed = " ".join(_split_word(rng))
        # One syllable misread: its repairs are the printed one and others.
        damaged = rng.choice([i for i, char in enumerate(printed) if char != " "])
        text = printed[:damaged] + rng.choice(syllables) + printed[damaged + 1 :]
        tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        t_index = next(i for i, (a, b) in enumerate(tokens) if a <= damaged < b)
        t_start, t_end = tokens[t_index]
        start = rng.randrange(t_start, damaged + 1)
        end = rng.randrange(damaged + 1, t_end + 1)
        for fix in [printed[damaged], *rng.sample(syllables, 4)]:
            repair = text[start:damaged] + fix + text[damaged + 1 : end]
            expected = _plain_completes(text, tokens, t_index, (start, end), repair, lexicon)
            got = completes_compound(text, tokens, t_index, (start, end), repair, lexicon)
            assert got == expected, (text, repair)
            found += expected
    assert found  # (the inputs reach the words, not only refusals)
