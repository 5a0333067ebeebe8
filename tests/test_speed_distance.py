"""`ConfusionTable.syllable_alternatives` builds each alternative's code from the jamo's terms
and pairs only changes at different positions; checked here against the plain construction
written out (the code before the shortcut) on many syllables."""

from __future__ import annotations

import math
import random

import pytest

from kocorrect.distance import LINE_END, POSITIONS, ConfusionTable
from kocorrect.hangul import compose, decompose, is_hangul_syllable
from kocorrect.misreads.variants import confusion_table


def _plain_alternatives(
    table: ConfusionTable, read: str, at_line_end: bool, max_cost: float
) -> tuple[tuple[str, float, int, str], ...]:
    if read in "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ":
        parts: tuple[str, str, str] = (read, "", "")
    elif is_hangul_syllable(read):
        parts = decompose(read)
    else:
        return ()
    singles: list[tuple[int, str, float, str]] = []
    for p, position in enumerate(POSITIONS):
        options = {
            intended: (cost, position)
            for intended, cost in table.printed_alternatives(position, parts[p])
        }
        if at_line_end and position == "medial":
            for intended, cost in table.printed_alternatives(LINE_END, parts[p]):
                if cost < options.get(intended, (math.inf, ""))[0]:
                    options[intended] = (cost, "medial, at the line's end")
        for intended, (cost, where) in options.items():
            why = f"{parts[p] or '∅'}→{intended or '∅'} ({where})"
            singles.append((p, intended, cost, why))
    out: list[tuple[str, float, int, str]] = []
    for index, (p, intended, cost, why) in enumerate(singles):
        changed = list(parts)
        changed[p] = intended
        if changed[1] and cost <= max_cost:
            out.append((compose(*changed), cost, 1, why))
        for q, other, other_cost, other_why in singles[index + 1 :]:
            if q == p or cost + other_cost > max_cost:
                continue
            both = list(changed)
            both[q] = other
            if both[1]:
                out.append((compose(*both), cost + other_cost, 2, f"{why}, {other_why}"))
    return tuple(sorted(out, key=lambda item: item[1]))


@pytest.mark.parametrize("max_cost", [7.5, 16.0, math.inf])
@pytest.mark.parametrize("at_line_end", [False, True])
def test_syllable_alternatives_match_the_plain_construction(at_line_end, max_cost) -> None:
    table = confusion_table(None)
    rng = random.Random(3)
    reads = [chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(300)]
    reads += [*"가나다탠댐의", *"ㄱㅇㅎㄺ", "a"]
    for read in reads:
        expected = _plain_alternatives(table, read, at_line_end, max_cost)
        got = table.syllable_alternatives(read, at_line_end=at_line_end, max_cost=max_cost)
        assert got == expected, read
