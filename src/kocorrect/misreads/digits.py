"""Digits read where a syllable or a question mark was printed: 개선하7 위해, 길들이2, 무엇일까7".

tesseract reads the narrow syllables 기 and 가 (ㄱ and a thin vowel) as 7, 리 or 기 as 2, 이 as 0,
and a question mark as 7 or 2. The Hangul search never sees these (a digit ends a Hangul piece),
so they are decided here, before it (`glyphs`): a digit glued to the syllable before it, and
not followed by another digit or a number's punctuation (3.5, 30%, a footnote's 3)), is read
again with each of the characters `dictionaries/digit_misreads.tsv` lists for it, and with
itself, in a window of one word either side; the language model's best reading wins when it
leads every other, the digit included, by a margin. A number written after a syllable (제2조,
종로2가, 3억7천) reads best as the digit, so it stays.

The lead becomes a confidence on the misread model's scale (DIGIT_MARGIN reads as 0.5, the
default threshold): applied at or above the threshold, suggested above the suggestion threshold.
On the training pages (train, train-mixed: over a hundred digits glued to a syllable, most of
them numbers after 제 or 조의) the pipeline reads 16 again, each to what the text has (one of
them, 7" -> ?", in a unit still wrong for its quote, which the page prints straight), and no
number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path

from ..analysis import LanguageModel
from ..hangul import is_hangul_syllable
from ..resources import data_path
from ..types import Edit
from .glyphs import Site, load_glyph_table, repair_glyphs

__all__ = [
    "DIGIT_MARGIN",
    "DIGIT_SCORED_FLOOR",
    "DIGIT_SCORED_PER_CHAR",
    "digit_repairs",
    "load_digit_misreads",
]

# How much the best reading must lead every other (the digit itself included), in Kiwi's
# log-probability, to read as confidence 0.5. On the training pages the right readings led by 1.2
# to 24, all but three by more than this, and no wrong one led by more than 0.6; on the dev
# sets one wrong reading led by 7.3 (사0 '제 for 사이에: a syllable lost as well).
DIGIT_MARGIN = 3.0
# A digit glued to a Hangul syllable, not part of a longer number, a decimal, a percentage, an
# ordinal list (3.) or a footnote mark (리3)).
_GLUED_DIGIT = re.compile(r"(?<=[가-힣])[0-9](?![0-9.,%)\]])")
_PUNCTUATION = "?!."
# The characters the stage hands the language model, at most this many per character of the text
# (and DIGIT_SCORED_FLOOR for any text): a page has a few glued digits, each read in six or seven
# windows of up to 25 characters; a text made of them (가2나2다2…) would make it 120 per
# character, where the Hangul search of such a text already reads about 50 and
# tests/test_bounds.py allows 60. Digits past the budget are left as read.
DIGIT_SCORED_PER_CHAR = 4
DIGIT_SCORED_FLOOR = 2_000


def load_digit_misreads(path: Path | None = None) -> Mapping[str, tuple[str, ...]]:
    """digit -> what may have been printed, from `digit_misreads.tsv` (or `path`), checked:
    one digit a line, each with one or more Hangul syllables or marks of `_PUNCTUATION`."""
    return load_glyph_table(
        path or data_path("digit_misreads.tsv"),
        lambda c: c.isdigit() and c.isascii(),
        lambda r: is_hangul_syllable(r) or r in _PUNCTUATION,
        read_as="one digit 0-9",
        printed_as=f"Hangul syllables or {_PUNCTUATION!r}",
    )


@cache
def _shipped() -> Mapping[str, tuple[str, ...]]:
    return load_digit_misreads()


def digit_repairs(
    text: str,
    lm: LanguageModel,
    *,
    protected: Sequence[tuple[int, int]] = (),
    threshold: float = 0.5,
    suggest_threshold: float = 0.2,
    table: Mapping[str, tuple[str, ...]] | None = None,
    line_ends: Collection[int] = (),
) -> tuple[list[Edit], list[Edit]]:
    """(applied, suggested) repairs of the digits of `text` read where a syllable or a question
    mark was printed. Each replaces one character by one, so offsets stay as they are.
    `line_ends`: offsets of the characters that ended a line of the OCR output (the layout stage
    may have closed the break since)."""

    def ends_line(s: Site, printed: str) -> bool:
        # The next line may go on with the word (일7⏎지 for 일까지), which a question mark would
        # end, and the reading that comes second is no surer: left as read. (On the training
        # pages all four were followed by a closing mark: 무엇일까7", 빠져볼까2』.)
        line_end = s.at in line_ends or text[s.at + 1 : s.at + 2] in ("\n", "\r")
        return line_end and printed in _PUNCTUATION

    return repair_glyphs(
        text,
        lm,
        (m.start() for m in _GLUED_DIGIT.finditer(text)),
        _shipped() if table is None else table,
        protected,
        DIGIT_SCORED_PER_CHAR * len(text) + DIGIT_SCORED_FLOOR,
        margin=DIGIT_MARGIN,
        threshold=threshold,
        suggest_threshold=suggest_threshold,
        keep=ends_line,
        damage="a digit glued to the syllable before it",
        read_as="the digit",
    )
