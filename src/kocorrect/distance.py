"""The OCR channel: how likely tesseract reads one jamo for another, and the distance it implies.

Costs are -ln P(read | intended) per jamo position, calibrated from aligned OCR/gold pages by
`scripts/calibrate_confusions.py` and shipped as `dictionaries/confusions.tsv` (format in
dictionaries/README.md). A small cost means a common look-alike (ㅢ read for ㅚ); pairs that
are absent are treated as impossible for one-jamo repairs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from jamo import h2j
from rapidfuzz.distance import Levenshtein

from .errors import DataFileError
from .hangul import FINALS, INITIALS, MEDIALS, decompose, is_hangul_syllable
from .resources import data_path

__all__ = ["LINE_END", "Confusion", "ConfusionTable", "jamo_distance"]

POSITIONS = ("initial", "medial", "final")
# The vowel of a syllable that ends a printed line: the column edge clips right-hand strokes,
# so there ㅏ is read as ㅣ about forty times as often as inside a line.
LINE_END = "medial-at-line-end"
_INVENTORY = {
    "initial": set(INITIALS),
    "medial": set(MEDIALS),
    "final": set(FINALS) - {""},
    LINE_END: set(MEDIALS),
}
_NONE = "-"  # how the table writes "no final consonant"


# What each jamo adds to a syllable's code (`hangul.compose`: BASE + (i * 21 + m) * 28 + f),
# by position.
_BASE = 0xAC00
_TERMS = (
    {jamo: index * 21 * 28 for index, jamo in enumerate(INITIALS)},
    {jamo: index * 28 for index, jamo in enumerate(MEDIALS)},
    {jamo: index for index, jamo in enumerate(FINALS)},
)


def _term(position: int, jamo: str) -> int:
    """What `jamo` adds to a syllable's code at `position` (0 initial, 1 medial, 2 final); 0
    for no vowel (such a change makes no syllable, and is left out)."""
    if position == 1 and not jamo:
        return 0
    try:
        return _TERMS[position][jamo]
    except KeyError:
        raise ValueError(f"no syllable has jamo {jamo!r} in that position") from None


@dataclass(frozen=True, slots=True)
class Confusion:
    position: str
    intended: str
    read: str
    cost: float


class ConfusionTable:
    """Confusions indexed by what the OCR read, so a repair asks: what could have been printed?"""

    def __init__(self, confusions: list[Confusion]) -> None:
        self.confusions = confusions
        self._by_read: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
        self._cost: dict[tuple[str, str, str], float] = {}
        self._syllable_cache: dict[
            tuple[str, bool, float], tuple[tuple[str, float, int, str], ...]
        ] = {}
        for c in confusions:
            self._by_read[(c.position, c.read)].append((c.intended, c.cost))
            self._cost[(c.position, c.intended, c.read)] = c.cost
        for options in self._by_read.values():
            options.sort(key=lambda item: item[1])

    @classmethod
    def load(cls, path: Path | None = None) -> ConfusionTable:
        path = Path(path) if path is not None else data_path("confusions.tsv")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise DataFileError(path, f"cannot read the confusion table: {err}") from err
        confusions: list[Confusion] = []
        header_seen = False
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if not header_seen:
                if fields[:3] != ["position", "intended", "read"]:
                    raise DataFileError(
                        path,
                        "the first row must be the header 'position intended read count cost'",
                        number,
                    )
                header_seen = True
                continue
            if len(fields) != 5:
                raise DataFileError(
                    path, f"expected 5 tab-separated fields, found {len(fields)}", number
                )
            position, intended, read, _count, cost_text = fields
            if position not in _INVENTORY:
                raise DataFileError(
                    path, f"position {position!r} is not one of {tuple(_INVENTORY)}", number
                )
            intended = "" if intended == _NONE else intended
            read = "" if read == _NONE else read
            for jamo in (intended, read):
                if jamo and jamo not in _INVENTORY[position]:
                    raise DataFileError(
                        path, f"{jamo!r} cannot stand in {position} position", number
                    )
            if not intended and position != "final":
                raise DataFileError(
                    path, f"only a final may be absent from the print ('{_NONE}')", number
                )
            if not read and position == "initial":
                raise DataFileError(path, f"an initial cannot be lost ('{_NONE}')", number)
            try:
                cost = float(cost_text)
            except ValueError:
                raise DataFileError(path, f"cost {cost_text!r} is not a number", number) from None
            if not cost >= 0:
                raise DataFileError(path, f"cost {cost} must be zero or more", number)
            confusions.append(Confusion(position, intended, read, cost))
        if not header_seen:
            raise DataFileError(path, "no header row: is this a confusion table?")
        return cls(confusions)

    def syllable_alternatives(
        self, read: str, *, at_line_end: bool = False, max_cost: float = math.inf
    ) -> tuple[tuple[str, float, int, str], ...]:
        """Syllables that may have been printed where `read` was recognised, one or two jamo
        away: (syllable, cost, jamo changed, description), cheapest first, those of cost up to
        `max_cost`. Cached per syllable.

        `at_line_end`: the syllable ended a printed line, where the line-end vowel confusions
        apply too (the cheaper of the two costs counts).
        """
        key = (read, at_line_end, max_cost)
        cached = self._syllable_cache.get(key)
        if cached is not None:
            return cached
        if read in _INVENTORY["initial"]:
            # A loose consonant: a syllable whose vowel the scan lost (ㅇ read for 이).
            parts: tuple[str, str, str] = (read, "", "")
        elif is_hangul_syllable(read):
            parts = decompose(read)
        else:
            return ()  # a jamo that cannot start a syllable (ㄺ): nothing to rebuild it from
        # Each one-jamo change as (position, what the jamo adds to the syllable's code, the
        # vowel it leaves, cost, description): a syllable's code is BASE + (initial * 21 +
        # medial) * 28 + final, so a change swaps one term (what `compose` computes, without its
        # look-ups in the inner loop).
        terms = [_TERMS[p].get(part, 0) for p, part in enumerate(parts)]
        code = _BASE + sum(terms)
        singles: list[tuple[int, int, str, float, str]] = []
        group_ends = []
        for p, position in enumerate(POSITIONS):
            options = {
                intended: (cost, position)
                for intended, cost in self.printed_alternatives(position, parts[p])
            }
            if at_line_end and position == "medial":
                for intended, cost in self.printed_alternatives(LINE_END, parts[p]):
                    if cost < options.get(intended, (math.inf, ""))[0]:
                        options[intended] = (cost, "medial, at the line's end")
            for intended, (cost, where) in options.items():
                why = f"{parts[p] or '∅'}→{intended or '∅'} ({where})"
                vowel = intended if p == 1 else parts[1]
                singles.append((p, _term(p, intended), vowel, cost, why))
            group_ends.append(len(singles))
        # Only those within `max_cost` are built: sorted by cost (a stable sort), they are the
        # same as the cheapest of them all. A syllable needs a vowel (a loose consonant's
        # alternatives must give it one).
        out: list[tuple[str, float, int, str]] = []
        for p, term, vowel, cost, why in singles:
            changed = code - terms[p] + term
            if vowel and cost <= max_cost:
                out.append((chr(changed), cost, 1, why))
            # (the changes at the later positions, in order: two at one position are no pair)
            for q, other, other_vowel, other_cost, other_why in singles[group_ends[p] :]:
                if cost + other_cost > max_cost:
                    continue
                if other_vowel if q == 1 else vowel:
                    both = chr(changed - terms[q] + other)
                    out.append((both, cost + other_cost, 2, f"{why}, {other_why}"))
        result = tuple(sorted(out, key=itemgetter(1)))
        self._syllable_cache[key] = result
        return result

    def printed_alternatives(self, position: str, read: str) -> list[tuple[str, float]]:
        """Jamo that may have been printed where `read` was recognised, cheapest first."""
        return self._by_read.get((position, read), [])

    def cost(self, position: str, intended: str, read: str) -> float | None:
        return self._cost.get((position, intended, read))

    def syllable_cost(self, intended: str, read: str) -> float | None:
        """Channel cost of reading syllable `read` where `intended` was printed (None: unseen)."""
        if intended == read:
            return 0.0
        if not (is_hangul_syllable(intended) and is_hangul_syllable(read)):
            return None
        total = 0.0
        for position, i, r in zip(POSITIONS, decompose(intended), decompose(read)):
            if i != r:
                cost = self.cost(position, i, r)
                if cost is None:
                    return None
                total += cost
        return total


def jamo_distance(a: str, b: str) -> int:
    """Plain Levenshtein distance between the jamo spellings of two strings.

    One misread stroke changes one jamo, so OCR near-misses are close in jamo even when every
    syllable differs. Initial and final consonants are different jamo (conjoining jamo, as
    `jamo.h2j` spells them): 각아 and 가가 are two edits apart, not one.

    >>> jamo_distance("탠", "댐")
    2
    >>> jamo_distance("원스톱", "윈스톱")
    1
    >>> jamo_distance("인전혁", "임전혁"), jamo_distance("각아", "가가")
    (1, 2)
    """
    return int(Levenshtein.distance(h2j(a), h2j(b)))
