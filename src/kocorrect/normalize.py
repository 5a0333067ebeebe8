"""Unicode clean-up before anything else, every change recorded as an edit.

Scanners and converters hand us text in more shapes than the later stages expect: decomposed
syllables (NFD, from macOS or HWP converters), loose compatibility jamo that spell a syllable
(ㅇㅏㄴ for 안), lone surrogates (which cannot be written as UTF-8), fullwidth Latin letters and
digits, and ㆍ (HANGUL LETTER ARAEA), which tesseract reads for nearly every middle dot ·.
This stage puts them into one form and says what it did, so a proofreader can undo any of it.

Precision comes first. Jamo that are text stay: ㅋㅋ, ㅠㅠ, a list marker ㄱ. — only a run of
loose jamo that spells whole syllables from start to end is composed. ㆍ inside old Hangul
(next to jamo) stays. CJK compatibility ideographs (U+F900…U+FAFF) are not NFC-folded: KS X
1001 encodes one hanja once per reading (樂 as 락, 악, 요), and NFC would erase the reading.
Fullwidth punctuation (～, ：, 「」) is kept: only fullwidth letters and digits are folded.

The scan is linear: one regular expression with a single character class (no nested
quantifiers) finds the runs of characters that may need work, and only those runs, each with
the character before it, are examined. A text that needs nothing costs one C-speed scan.

>>> [(e.original, e.replacement) for e in normalize_text("ㅇㅏㄴ녕 ㅋㅋ")]
[('ㅇㅏㄴ', '안')]
>>> normalize_text("경제ㆍ사회")[0].replacement
'·'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .hangul import FINALS, INITIALS, MEDIALS, compose
from .types import Edit

__all__ = ["KIND", "normalize_text"]

KIND = "normalize"
_CONFIDENCE = 1.0

ARAEA = "\u318d"  # ㆍ HANGUL LETTER ARAEA
MIDDLE_DOT = "\u00b7"  # ·
REPLACEMENT = "\ufffd"

# Modern compatibility jamo ㄱ (U+3131) … ㅣ (U+3163); old ones (ㅥ … ㆎ) follow up to U+318E.
_MODERN_JAMO = range(0x3131, 0x3164)
_INITIAL_SET = frozenset(INITIALS)
_MEDIAL_SET = frozenset(MEDIALS)
_FINAL_SET = frozenset(FINALS) - {""}

# Two loose jamo that a syllable writes as one: a compound vowel or a double final.
_COMPOUND_MEDIALS = {
    "ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ",
    "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ",
}  # fmt: skip
_COMPOUND_FINALS = {
    "ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ",
    "ㄹㅅ": "ㄽ", "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ",
}  # fmt: skip

# Characters that can start work in a text that is already NFC. Each class is one range list.
_SURROGATES = "\ud800-\udfff"
_COMPAT_JAMO = "\u3131-\u318e"
_FULLWIDTH_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_BASIC_CLASS = _SURROGATES + _COMPAT_JAMO + _FULLWIDTH_ALNUM
_CJK_COMPATIBILITY = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_FULLWIDTH_OFFSET = 0xFF01 - 0x21


def _is_jamo(char: str) -> bool:
    """Any Hangul jamo: conjoining (modern or old) or compatibility ("" is none)."""
    if not char:
        return False
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xD7B0 <= code <= 0xD7FF
    )


def _is_word_char(char: str) -> bool:
    """A character of a modern word: a syllable, a letter or a digit that is not a jamo."""
    return char.isalnum() and not _is_jamo(char)


@functools.cache
def _nfc_sensitive_codepoints() -> tuple[int, ...]:
    """Code points near which NFC may change the text (built once, ~0.15 s, only if needed).

    They are the combining marks, the characters NFC changes on their own, and the starters
    that compose with the character before them (Hangul medials and finals among them). A run
    of other characters is left unchanged by NFC whatever surrounds it.
    """
    found: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if unicodedata.combining(char):
            found.add(code)
            continue
        decomposition = unicodedata.decomposition(char)
        if not decomposition or decomposition.startswith("<"):
            continue
        parts = decomposition.split()
        if len(parts) == 2:
            found.add(int(parts[1], 16))
        if unicodedata.normalize("NFC", char) != char:
            found.add(code)
    return tuple(sorted(code for code in found if not _CJK_COMPATIBILITY.match(chr(code))))


def _ranges(codes: tuple[int, ...]) -> str:
    """A regex character-class body for `codes` written as ranges."""
    parts: list[str] = []
    start = previous = codes[0]
    for code in (*codes[1:], -1):
        if code == previous + 1:
            previous = code
            continue
        last = "-" + re.escape(chr(previous)) if previous > start else ""
        parts.append(re.escape(chr(start)) + last)
        start = previous = code
    return "".join(parts)


@functools.cache
def _run_pattern(nfc_needed: bool) -> re.Pattern[str]:
    body = _BASIC_CLASS + (_ranges(_nfc_sensitive_codepoints()) if nfc_needed else "")
    return re.compile(f"[{body}]+")


@dataclass(frozen=True, slots=True)
class _Region:
    """A stretch of the text to normalise, with the characters just outside it as context."""

    start: int
    end: int
    before: str
    after: str


def _regions(text: str) -> Iterator[_Region]:
    """Runs of characters that may need work, each widened by the character before it.

    The widening lets NFC compose a base letter with the marks that follow it. Regions never
    overlap: a run always ends before a character outside the class, which is its own start.
    """
    pattern = _run_pattern(not unicodedata.is_normalized("NFC", text))
    previous_end = 0
    for match in pattern.finditer(text):
        start = match.start()
        if start > previous_end:
            start -= 1
        end = match.end()
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        previous_end = end
        yield _Region(start, end, before, after)


# ------------------------------------------------------------------------ the fixes ----


def _fix_surrogates(piece: str, reasons: list[str]) -> str:
    """Join surrogate pairs into their character; replace lone surrogates by U+FFFD."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in piece):
        return piece
    out: list[str] = []
    i = 0
    while i < len(piece):
        char = piece[i]
        code = ord(char)
        nxt = ord(piece[i + 1]) if i + 1 < len(piece) else 0
        if 0xD800 <= code <= 0xDBFF and 0xDC00 <= nxt <= 0xDFFF:
            joined = chr(0x10000 + ((code - 0xD800) << 10) + (nxt - 0xDC00))
            reasons.append(f"surrogate pair U+{code:04X} U+{nxt:04X} joined to {joined}")
            out.append(joined)
            i += 2
            continue
        if 0xD800 <= code <= 0xDFFF:
            reasons.append(f"lone surrogate U+{code:04X} replaced by U+FFFD")
            out.append(REPLACEMENT)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _fix_fullwidth(piece: str, reasons: list[str]) -> str:
    """Fold fullwidth Latin letters and digits (ＡＢＣ１２３) to ASCII; punctuation stays."""
    out = []
    for char in piece:
        code = ord(char)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - _FULLWIDTH_OFFSET))
        else:
            out.append(char)
    folded = "".join(out)
    if folded != piece:
        reasons.append("fullwidth letters or digits folded to ASCII")
    return folded


def _nfc(piece: str) -> str:
    """NFC, except that CJK compatibility ideographs keep their reading-specific code point."""
    if not _CJK_COMPATIBILITY.search(piece):
        return unicodedata.normalize("NFC", piece)
    out: list[str] = []
    cursor = 0
    for match in _CJK_COMPATIBILITY.finditer(piece):
        out.append(unicodedata.normalize("NFC", piece[cursor : match.start()]))
        out.append(match.group())
        cursor = match.end()
    out.append(unicodedata.normalize("NFC", piece[cursor:]))
    return "".join(out)


def _fix_nfc(piece: str, reasons: list[str]) -> str:
    composed = _nfc(piece)
    if composed != piece:
        hangul = any(0x1100 <= ord(c) <= 0x11FF for c in piece)
        reasons.append(
            "NFD syllable composed (NFC)" if hangul else "decomposed characters composed (NFC)"
        )
    return composed


def _parse_loose_jamo(run: str) -> str | None:
    """The syllables a run of modern compatibility jamo spells, or None if it is not syllables.

    Every consonant must be an initial or a final and every vowel must follow an initial, so
    ㅋㅋ, ㅠㅠ and ㄱ stay text. A consonant followed by a vowel starts the next syllable.
    """
    syllables: list[str] = []
    i, n = 0, len(run)
    while i < n:
        initial = run[i]
        if initial not in _INITIAL_SET or i + 1 >= n or run[i + 1] not in _MEDIAL_SET:
            return None
        medial, i = run[i + 1], i + 2
        if i < n and medial + run[i] in _COMPOUND_MEDIALS:
            medial, i = _COMPOUND_MEDIALS[medial + run[i]], i + 1
        final = ""
        starts_next = i + 1 < n and run[i + 1] in _MEDIAL_SET
        if i < n and run[i] in _FINAL_SET and not starts_next:
            pair = run[i : i + 2]
            pair_ends = i + 2 >= n or run[i + 2] not in _MEDIAL_SET
            if len(pair) == 2 and pair in _COMPOUND_FINALS and pair_ends:
                final, i = _COMPOUND_FINALS[pair], i + 2
            else:
                final, i = run[i], i + 1
        syllables.append(compose(initial, medial, final))
    return "".join(syllables)


_LOOSE_JAMO_RUN = re.compile("[\u3131-\u3163]{2,}")


def _fix_loose_jamo(piece: str, before: str, after: str, reasons: list[str]) -> str:
    """Compose maximal runs of loose modern jamo that spell whole syllables (ㅇㅏㄴ → 안)."""
    out: list[str] = []
    cursor = 0
    for match in _LOOSE_JAMO_RUN.finditer(piece):
        run = match.group()
        left = piece[match.start() - 1] if match.start() > 0 else before
        right = piece[match.end()] if match.end() < len(piece) else after
        if _is_jamo(left) or _is_jamo(right):
            continue  # part of a longer jamo text (old Hangul, ㆍ): not ours to compose
        syllables = _parse_loose_jamo(run)
        if syllables is None:
            continue
        reasons.append(f"loose jamo {run} composed to {syllables}")
        out.append(piece[cursor : match.start()])
        out.append(syllables)
        cursor = match.end()
    if not out:
        return piece
    out.append(piece[cursor:])
    return "".join(out)


def _fix_araea(piece: str, before: str, after: str, reasons: list[str]) -> str:
    """ㆍ between two modern words is a misread middle dot; beside jamo it is old Hangul."""
    if ARAEA not in piece:
        return piece
    chars = list(piece)
    for i, char in enumerate(chars):
        if char != ARAEA:
            continue
        left = chars[i - 1] if i > 0 else before
        right = chars[i + 1] if i + 1 < len(chars) else after
        if _is_word_char(left) and _is_word_char(right):
            chars[i] = MIDDLE_DOT
    fixed = "".join(chars)
    if fixed != piece:
        reasons.append("ㆍ between words is a misread middle dot ·")
    return fixed


def _normalize_piece(piece: str, before: str, after: str) -> tuple[str, list[str]]:
    """Apply every fix to one region until nothing changes (at most a few rounds)."""
    reasons: list[str] = []
    for _ in range(4):
        current = _fix_surrogates(piece, reasons)
        current = _fix_fullwidth(current, reasons)
        current = _fix_nfc(current, reasons)
        current = _fix_loose_jamo(current, before, after, reasons)
        current = _fix_nfc(current, reasons)
        current = _fix_araea(current, before, after, reasons)
        if current == piece:
            break
        piece = current
    return piece, list(dict.fromkeys(reasons))


def _minimal_edit(text: str, region: _Region, replacement: str, reasons: list[str]) -> Edit:
    """The edit of `region`, trimmed of the characters it leaves unchanged at either end."""
    original = text[region.start : region.end]
    head = 0
    limit = min(len(original), len(replacement))
    while head < limit - 1 and original[head] == replacement[head]:
        head += 1
    tail = 0
    limit -= head
    while tail < limit - 1 and original[-1 - tail] == replacement[-1 - tail]:
        tail += 1
    start, end = region.start + head, region.end - tail
    new = replacement[head : len(replacement) - tail]
    return Edit(start, end, text[start:end], new, KIND, _CONFIDENCE, "; ".join(reasons))


def normalize_text(text: str) -> list[Edit]:
    """Edits (kind "normalize") that put `text` into the form the later stages expect.

    One edit per changed run, each with a reason; applying them is idempotent (a second call
    on the result returns no edits).

    >>> [(e.original, e.replacement, e.reason) for e in normalize_text("\\ud800x")]
    [('\\ud800', '�', 'lone surrogate U+D800 replaced by U+FFFD')]
    >>> normalize_text("ㄱ. 항목 ㅋㅋ ㅠㅠ")
    []
    """
    if text.isascii():
        return []
    edits: list[Edit] = []
    for region in _regions(text):
        piece = text[region.start : region.end]
        fixed, reasons = _normalize_piece(piece, region.before, region.after)
        if fixed != piece:
            edits.append(_minimal_edit(text, region, fixed, reasons))
    return edits
