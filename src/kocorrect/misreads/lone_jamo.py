"""Consonant letters read alone where a syllable was printed: 법률ㅇ 정하는, 그러고 나ㅅ.

When the thin vowel stroke of 이, 서 or 다 fades, tesseract keeps the consonant letter alone. The
Hangul search never sees it (a loose letter is no part of a Hangul piece), and normalizing
composes only runs of letters that spell whole syllables, so it is decided here, before the
search (`glyphs`): a consonant letter listed in `dictionaries/jamo_misreads.tsv`, with no other
letter beside it, followed by a space or a line's end and glued to the syllable before it or
alone after a space (창설 ㅇ 후), is read again as each syllable listed for it and as itself in a
window of one word either side; the language model's best reading wins when it leads every
other, the letter included, by JAMO_MARGIN.

A letter that starts a line is a list's mark (government papers set ㅇ as a bullet) and stays;
so does one before a digit or a Latin letter (ㅅ1 for AI: not Hangul at all), and one before a
space inside a line and a lone particle or ending (때문ㅇ 다.): the vowel stroke was read as that
space, and the syllable alone would leave the word split (때문이 다.), an edit still wrong; the
misread search suggests the whole repair. At an OCR line's end the layout stage closes the break
beside the repaired word (변화들ㅇ⏎다. -> 변화들이다.), so there the letter is read.
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
from ..wordlists import load_words
from .glyphs import load_glyph_table, repair_glyphs

__all__ = [
    "JAMO_MARGIN",
    "JAMO_SCORED_FLOOR",
    "JAMO_SCORED_PER_CHAR",
    "load_jamo_misreads",
    "lone_jamo_repairs",
]

# How much the best reading must lead every other (the letter itself included), in Kiwi's
# log-probability, to read as confidence 0.5. On the training pages 24 lone letters stood for a
# syllable: the best reading was the right one for 21 (18 of them leading by this or more, the
# rest by 0.3 to 0.5), the letter itself for 2, a wrong one for 1 (메ㅅ지 read 메소지: 0.0).
JAMO_MARGIN = 2.0
# A lone modern consonant letter: after a syllable or a space on the same line, before a space
# or the end of the text.
_LONE_LETTER = re.compile(r"(?<=[가-힣 \t])[ㄱ-ㅎ](?=\s|\Z)")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*\Z")
# A space and one syllable that ends the clause (다. 다, 다")
_LONE_SYLLABLE_NEXT = re.compile(r"[ \t]+([가-힣])(?=[.,!?;:…\"'”’」』)\]]|\n|\Z)")
# As in the digit stage (`digits.DIGIT_SCORED_PER_CHAR`): a text made of lone letters costs
# what any text does; letters past the budget are left as read.
JAMO_SCORED_PER_CHAR = 4
JAMO_SCORED_FLOOR = 2_000


def load_jamo_misreads(path: Path | None = None) -> Mapping[str, tuple[str, ...]]:
    """letter -> the syllables it may stand for, from `jamo_misreads.tsv` (or `path`), checked:
    one modern consonant letter a line, each with one or more Hangul syllables."""
    return load_glyph_table(
        path or data_path("jamo_misreads.tsv"),
        lambda c: "ㄱ" <= c <= "ㅎ",
        is_hangul_syllable,
        read_as="one consonant letter ㄱ-ㅎ",
        printed_as="Hangul syllables",
    )


@cache
def _shipped() -> Mapping[str, tuple[str, ...]]:
    return load_jamo_misreads()


def _before_lone_particle(text: str, end: int) -> bool:
    """Whether a space inside the line and a lone particle or ending follow `end` (때문ㅇ 다.)."""
    m = _LONE_SYLLABLE_NEXT.match(text, end)
    return m is not None and m.group(1) in load_words("short_particles")


def lone_jamo_repairs(
    text: str,
    lm: LanguageModel,
    *,
    protected: Sequence[tuple[int, int]] = (),
    threshold: float = 0.5,
    suggest_threshold: float = 0.2,
    table: Mapping[str, tuple[str, ...]] | None = None,
    line_ends: Collection[int] = (),
) -> tuple[list[Edit], list[Edit]]:
    """(applied, suggested) repairs of the lone consonant letters of `text` read where a
    syllable was printed. Each replaces one character by one, so offsets stay as they are.
    `line_ends`: offsets of the characters that ended a line of the OCR output (a break the
    layout stage may have made a space, and decides again beside the repair)."""
    return repair_glyphs(
        text,
        lm,
        (
            m.start()
            for m in _LONE_LETTER.finditer(text)
            if not _LINE_START.search(text, max(0, m.start() - 8), m.start())  # a list's mark
            and (m.start() in line_ends or not _before_lone_particle(text, m.end()))
        ),
        _shipped() if table is None else table,
        protected,
        JAMO_SCORED_PER_CHAR * len(text) + JAMO_SCORED_FLOOR,
        margin=JAMO_MARGIN,
        threshold=threshold,
        suggest_threshold=suggest_threshold,
        keep=lambda s, printed: False,
        damage="a consonant letter alone, its vowel stroke faded",
        read_as="the letter",
    )
