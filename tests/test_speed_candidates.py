"""The candidate search's shortcuts find what the plain searches they replace find.

`_bridged` refuses a join whose two syllables no lexicon word holds in a row before it looks
for a word across the join; `_compound_of` asks whether a word is a compound before whether
what follows it is a tail; `_completes_with` reads what every repair of a piece shares off
`_compound_probes`. Each is checked here against the plain search written out (the code before
the shortcut) on many inputs.
"""

from __future__ import annotations

import random

from kocorrect.lexicon import GENERAL_SOURCE, Lexicon, LexiconEntry
from kocorrect.misreads.candidates import (
    _bridged,
    _completes,
    _completes_with,
    _compound_of,
    _compound_probes,
    _compound_sides,
)
from kocorrect.misreads.gate import TOKEN

WORDS = ["대한", "대한민국", "민국", "사건", "내용", "때", "데이터", "데이터댐", "자택", "정부"]
TAILS = ["을", "를", "에", "는", "에서", "으로"]
OURS = ["데이터댐", "교통정책과장", "민국정부"]  # words only the domain lexicon knows


def _lexicon() -> Lexicon:
    entries = [LexiconEntry(w, "NNG", "domain lexicon") for w in OURS]
    entries += [LexiconEntry(w, "NNG", GENERAL_SOURCE) for w in WORDS]
    entries += [LexiconEntry(t, "FUNC", GENERAL_SOURCE) for t in TAILS]
    return Lexicon(entries)


def _plain_bridged(
    joined: str, join_at: int, right_start: int, bound: set[int], lexicon: Lexicon
) -> bool:
    if right_start in bound:
        return True
    for a in range(max(0, join_at - lexicon.longest + 1), join_at):
        for b in range(join_at + 1, min(len(joined), a + lexicon.longest) + 1):
            if joined[a:b] in lexicon:
                return True
    return False


def test_bridged_matches_the_plain_search() -> None:
    lexicon = _lexicon()
    rng = random.Random(5)
    syllables = sorted({s for w in WORDS + TAILS for s in w} | set("지가탠"))
    for _ in range(5000):
        parts = [rng.choice(WORDS + TAILS + syllables) for _ in range(rng.randint(1, 4))]
        joined = "".join(parts)[:10]
        if len(joined) < 2:
            continue
        join_at = rng.randrange(1, len(joined))
        right_start = rng.randrange(20)
        bound = {rng.randrange(20) for _ in range(3)}
        expected = _plain_bridged(joined, join_at, right_start, bound, lexicon)
        assert _bridged(joined, join_at, right_start, bound, lexicon) == expected, (
            joined,
            join_at,
        )


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


def test_completes_with_matches_completes() -> None:
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
        sides = _compound_sides(text, tokens, t_index, lexicon)
        start = rng.randrange(t_start, damaged + 1)
        end = rng.randrange(damaged + 1, t_end + 1)
        probes = _compound_probes(sides, text, (t_start, t_end), (start, end), lexicon)
        for fix in [printed[damaged], *rng.sample(syllables, 4)]:
            repair = text[start:damaged] + fix + text[damaged + 1 : end]
            expected = _completes(sides, text, (t_start, t_end), (start, end), repair, lexicon)
            assert _completes_with(probes, repair, lexicon) == expected, (text, repair)
            found += expected
    assert found  # (the inputs reach the words, not only refusals)


def _plain_compound_of(
    head: str, token: str, lexicon: Lexicon, *, reach: int, any_layer: bool = False
) -> tuple[str, str] | None:
    known = lexicon.tags if any_layer else lexicon.unknown_to_kiwi
    for k in range(len(token), max(reach, 1) - 1, -1):
        tail = token[k:]
        if tail and not lexicon.is_tail(tail):
            continue
        word = head + token[:k]
        if word in known:
            nouns = sorted(t for t in lexicon.tags[word] if t.startswith("NN"))
            if nouns:
                return word, nouns[0]
    return None


def test_compound_of_matches_the_plain_search() -> None:
    lexicon = _lexicon()
    rng = random.Random(2)
    found = 0
    for _ in range(3000):
        word = rng.choice([w for w in OURS + WORDS if len(w) >= 2])
        k = rng.randrange(1, len(word))
        head = word[:k]
        token = word[k:] + "".join(rng.choice(["", *TAILS, *_syllables()]) for _ in range(2))
        reach = rng.randrange(len(token) + 1)
        for any_layer in (False, True):
            expected = _plain_compound_of(head, token, lexicon, reach=reach, any_layer=any_layer)
            assert _compound_of(head, token, lexicon, reach=reach, any_layer=any_layer) == expected
            found += expected is not None
    assert found
