"""One character read where a syllable was printed, read again in context before the Hangul search.

tesseract reads a narrow syllable as a digit (기 as 7, 이 as 0: `digits`) and, when the thin
vowel stroke of 이, 서 or 다 fades, as the consonant letter alone (법률ㅇ: `lone_jamo`). The
Hangul search never sees these (neither a digit nor a loose letter is part of a Hangul piece),
so they are decided here: each such character is read again with every character its table
lists for it, and with itself, in a window of one word either side, and the language model's
best reading wins when it leads every other, the character as read included, by a margin.

This module is what both share: the window, the scoring and the decision. The lead becomes a
confidence on the misread model's scale (the margin reads as 0.5, the default threshold):
applied at or above the threshold, suggested above the suggestion threshold. Each repair
replaces one character by one, so offsets stay as they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..analysis import LanguageModel
from ..errors import DataFileError
from ..types import Edit
from ..wordlists import read_entries

__all__ = ["Site", "load_glyph_table", "repair_glyphs", "site", "sites_within"]

# The window's reach on either side: one whitespace word, at most this many characters (text
# whose spaces the OCR lost has no words to stop at).
_SIDE_CHARS = 12


@dataclass(frozen=True, slots=True)
class Site:
    """A character read again: where it stands, what it was read as, the readings tried (the
    character itself last) and their windows of text, in the same order."""

    at: int
    char: str
    readings: tuple[str, ...]
    windows: tuple[str, ...]


def load_glyph_table(
    path: Path,
    read: Callable[[str], bool],
    printed: Callable[[str], bool],
    *,
    read_as: str,
    printed_as: str,
) -> Mapping[str, tuple[str, ...]]:
    """character -> what may have been printed, from a three-column table (the character, the
    space-separated readings, the look-alike), checked: read as every word list is
    (`wordlists.read_entries`: one character a line, listed once); each character must pass
    `read` and each reading `printed` (`read_as`, `printed_as` say what they must be)."""
    table: dict[str, tuple[str, ...]] = {}
    for number, fields in read_entries(path, columns=3):
        char, readings = fields[0], (fields[1].split() if len(fields) > 1 else [])
        if len(char) != 1 or not read(char):
            raise DataFileError(path, f"{char!r} is not {read_as}", number)
        bad = [r for r in readings if not printed(r)]
        if not readings or bad:
            raise DataFileError(path, f"the readings must be {printed_as}, got {bad}", number)
        table[char] = tuple(readings)
    return table


def site(text: str, at: int, readings: Sequence[str]) -> Site:
    """The site of text[at], read as each of `readings` and as itself."""
    lo, hi = _window(text, at)
    tried = (*readings, text[at])
    return Site(at, text[at], tried, tuple(text[lo:at] + r + text[at + 1 : hi] for r in tried))


def sites_within(
    text: str,
    positions: Iterable[int],
    table: Mapping[str, tuple[str, ...]],
    protected: Sequence[tuple[int, int]],
    budget: int,
) -> list[Site]:
    """The sites at `positions` (in order) whose character `table` lists, outside the
    `protected` spans, until their windows would hand the language model more than `budget`
    characters: the rest are left as read."""
    found: list[Site] = []
    for at in positions:
        if text[at] not in table or any(s <= at < e for s, e in protected):
            continue
        here = site(text, at, table[text[at]])
        budget -= sum(map(len, here.windows))
        if budget < 0:
            break
        found.append(here)
    return found


def repair_glyphs(
    text: str,
    lm: LanguageModel,
    positions: Iterable[int],
    table: Mapping[str, tuple[str, ...]],
    protected: Sequence[tuple[int, int]],
    budget: int,
    *,
    margin: float,
    threshold: float,
    suggest_threshold: float,
    keep: Callable[[Site, str], bool],
    damage: str,
    read_as: str,
) -> tuple[list[Edit], list[Edit]]:
    """(applied, suggested) repairs of the sites `sites_within` finds at `positions`: the best
    reading, where it is not the character itself and `keep(site, reading)` does not say to
    leave it, becomes an edit whose confidence is the logistic of its lead over the runner-up
    less `margin`. Its reason names the `damage` the scan did and the character as read
    (`read_as`: "the digit"). What the digit and the lone-letter stages share."""
    sites = sites_within(text, positions, table, protected, budget)
    if not sites:
        return [], []
    scores = iter(lm.score([window for s in sites for window in s.windows]))
    applied: list[Edit] = []
    suggested: list[Edit] = []
    for s in sites:
        ranked = sorted(zip((next(scores) for _ in s.windows), s.readings), reverse=True)
        (best, printed), (runner_up, _) = ranked[0], ranked[1]
        if printed == s.char or keep(s, printed):
            continue
        lead = best - runner_up
        confidence = 1.0 / (1.0 + math.exp(-(lead - margin)))
        edit = Edit(
            s.at,
            s.at + 1,
            s.char,
            printed,
            "ocr-misread",
            round(confidence, 3),
            f"OCR look-alike {s.char}→{printed}: {damage}; the language model reads {printed!r} "
            f"there better than any other reading, {read_as} included, by {lead:.1f} (log-prob)",
        )
        if confidence >= threshold:
            applied.append(edit)
        elif confidence >= suggest_threshold:
            suggested.append(edit)
    return applied, suggested


def _window(text: str, at: int) -> tuple[int, int]:
    """[lo, hi) around text[at]: its whitespace word and one word either side, each side cut
    to _SIDE_CHARS characters."""
    # (no step goes past the cut: in a run without spaces each look stays _SIDE_CHARS long)
    floor, ceiling = max(0, at - _SIDE_CHARS), min(len(text), at + 1 + _SIDE_CHARS)
    lo = at
    for _ in range(2):  # to the start of this word, then of the one before
        while lo > floor and text[lo - 1].isspace():
            lo -= 1
        while lo > floor and not text[lo - 1].isspace():
            lo -= 1
    hi = at + 1
    for _ in range(2):
        while hi < ceiling and text[hi].isspace():
            hi += 1
        while hi < ceiling and not text[hi].isspace():
            hi += 1
    return lo, hi
