"""The candidate search's shortcuts find what the plain searches they replace find.

`_bridged` refuses a join whose two syllables no lexicon word holds in a row before it looks
for a word across the join; checked here against the plain search written out (the code before
the shortcut) on many joins.
"""

from __future__ import annotations

import random

from kocorrect.lexicon import GENERAL_SOURCE, Lexicon, LexiconEntry
from kocorrect.misreads.candidates import _bridged

WORDS = ["대한", "대한민국", "민국", "사건", "내용", "때", "데이터", "데이터댐", "자택", "정부"]
TAILS = ["을", "를", "에", "는", "에서", "으로"]


def _lexicon() -> Lexicon:
    entries = [LexiconEntry(w, "NNG", GENERAL_SOURCE) for w in WORDS]
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
