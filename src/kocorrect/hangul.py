"""Hangul syllables and their jamo: the unit OCR confuses is a stroke group, i.e. one jamo.

A syllable is (initial, medial, final) with final "" when there is none. Jamo are given as
compatibility jamo (ㄱ, ㅏ ...), which is how people write and read them in tables and reasons.
"""

from __future__ import annotations

__all__ = [
    "COMMON_SYLLABLES",
    "FINALS",
    "INITIALS",
    "MEDIALS",
    "compose",
    "decompose",
    "is_hangul_syllable",
    "jamo_string",
]

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

_BASE = 0xAC00
_LAST = 0xD7A3
_INITIAL_INDEX = {j: i for i, j in enumerate(INITIALS)}
_MEDIAL_INDEX = {j: i for i, j in enumerate(MEDIALS)}
_FINAL_INDEX = {j: i for i, j in enumerate(FINALS)}

COMMON_SYLLABLES = frozenset(
    bytes((row, cell)).decode("euc_kr") for row in range(0xB0, 0xC9) for cell in range(0xA1, 0xFF)
)
"""The 2,350 syllables of KS X 1001, the Korean national character set (EUC-KR's two-byte
Hangul codes, rows 0xB0-0xC8): the syllables modern text is written in. Of the 11,172 Unicode
syllables the others are rare or never used (헀, 냬, 긲); no gold text of the benchmark pages
has one."""


def is_hangul_syllable(char: str) -> bool:
    return len(char) == 1 and _BASE <= ord(char) <= _LAST


def decompose(syllable: str) -> tuple[str, str, str]:
    """(initial, medial, final) of a precomposed syllable.

    >>> decompose("댐")
    ('ㄷ', 'ㅐ', 'ㅁ')
    >>> decompose("다")
    ('ㄷ', 'ㅏ', '')
    """
    code = ord(syllable) - _BASE
    if not 0 <= code <= _LAST - _BASE:
        raise ValueError(f"{syllable!r} is not a precomposed Hangul syllable")
    initial, rest = divmod(code, 21 * 28)
    medial, final = divmod(rest, 28)
    return INITIALS[initial], MEDIALS[medial], FINALS[final]


def compose(initial: str, medial: str, final: str = "") -> str:
    """The syllable made of these jamo.

    >>> compose("ㄷ", "ㅐ", "ㅁ")
    '댐'
    """
    try:
        i, m, f = _INITIAL_INDEX[initial], _MEDIAL_INDEX[medial], _FINAL_INDEX[final]
    except KeyError as missing:
        raise ValueError(f"no syllable has jamo {missing} in that position") from None
    return chr(_BASE + (i * 21 + m) * 28 + f)


def jamo_string(text: str) -> str:
    """Text with every syllable spelled out as its jamo (other characters kept).

    Finals are marked with a trailing "·"-free convention: a final is written as itself, so the
    string is for distances and keys, not for display.

    >>> jamo_string("댐 1")
    'ㄷㅐㅁ 1'
    """
    out: list[str] = []
    for char in text:
        if is_hangul_syllable(char):
            out.extend(decompose(char))
        else:
            out.append(char)
    return "".join(out)
