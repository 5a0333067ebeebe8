"""Unicode clean-up before anything else, every change recorded as an edit.

Scanners and converters hand us text in more shapes than the later stages expect: decomposed
syllables (NFD, from macOS or HWP converters), loose compatibility jamo that spell a syllable
(ㅇㅏㄴ for 안), lone surrogates (which cannot be written as UTF-8), fullwidth Latin letters and
digits, and ㆍ (HANGUL LETTER ARAEA), which tesseract reads for nearly every middle dot · (and
* for some; ㅡ for a dash —). This stage puts them into one form and says what it did, so a
proofreader can undo any of it.

Precision comes first. Jamo that are text stay: ㅋㅋ, ㅠㅠ, a list marker ㄱ. — only a run of
loose jamo that spells whole syllables from start to end is composed. ㆍ inside old Hangul
(next to jamo) stays. CJK compatibility ideographs (U+F900…U+FAFF) are not NFC-folded: KS X
1001 encodes one hanja once per reading (樂 as 락, 악, 요), and NFC would erase the reading.
Fullwidth punctuation (～, ：, 「」) is kept: only fullwidth letters and digits are folded, and
not where one word mixes them with ASCII ones (tesseract's reading of a Latin word it could not
read, 1Ｌ0 for LG).

The fixes run as phases, each on the text the previous one produced, so that every decision
sees the neighbours it will have in the output (which is what makes a second pass a no-op):
fullwidth folding, then surrogates and NFC, then loose jamo, then ㆍ, then list bullets, then
colons, then * and ㅡ between syllables, then stray periods, then quotes. Each phase is one scan
with a regular expression made of a single character class (no nested quantifiers, so no
backtracking), and only the runs it finds are examined: the stage is linear in the text.

>>> [(e.original, e.replacement) for e in normalize_text("ㅇㅏㄴ녕 ㅋㅋ")]
[('ㅇㅏㄴ', '안')]
>>> normalize_text("경제ㆍ사회")[0].replacement
'·'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .hangul import FINALS, INITIALS, MEDIALS, compose
from .types import Edit, apply_edits, common_ends, compose_edits
from .wordlists import load_words

if TYPE_CHECKING:
    from .analysis import LanguageModel

__all__ = ["KIND", "normalize_text", "quotes_beside", "uniform_list_separators"]

KIND = "normalize"
_CONFIDENCE = 1.0

ARAEA = "\u318d"  # ㆍ HANGUL LETTER ARAEA
MIDDLE_DOT = "\u00b7"  # ·
REPLACEMENT = "\ufffd"

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

_FULLWIDTH_RUN = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_FULLWIDTH_OFFSET = 0xFF01 - 0x21
_SURROGATES = "\ud800-\udfff"
_SURROGATE = re.compile(f"[{_SURROGATES}]")
# Modern compatibility jamo ㄱ (U+3131) … ㅣ (U+3163); old ones (ㅥ … ㆎ) follow up to U+318E.
_LOOSE_JAMO_RUN = re.compile("[\u3131-\u3163]{2,}")
_ARAEA_CHAR = re.compile(ARAEA)
_CJK_COMPATIBILITY = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
# How far the ㆍ decision looks for a word past whitespace (경제 ㆍ사회, 보전ㆍ<newline>국가);
# a fixed bound keeps the scan linear whatever the input.
_CONTEXT = 16

Phase = Callable[[str], list[Edit]]


def _edit(text: str, start: int, end: int, replacement: str, reason: str) -> Edit:
    return Edit(start, end, text[start:end], replacement, KIND, _CONFIDENCE, reason)


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


# --------------------------------------------------------------- phase 1: fullwidth ----


# A fullwidth run glued to ASCII letters or digits in one word (\41Ｌ, 1Ｌ0, 4ＬＬ) is no text a
# converter wrote in fullwidth: it is tesseract's reading of a Latin word it could not read (MIL,
# LG, XAML). Folding it would change no reading and look like a repair: on the training pages
# all four such folds sat in a word still wrong. It is left as the OCR read it.
_ASCII_ALNUM = re.compile("[0-9A-Za-z]")


def _fold_fullwidth(text: str) -> list[Edit]:
    """Fullwidth Latin letters and digits (ＡＢＣ１２３) become ASCII; punctuation stays. A run
    in a word that also holds ASCII letters or digits stays (see `_ASCII_ALNUM`)."""
    edits = []
    word_end = -1  # the end of the word of the last run, and whether it mixes widths
    mixed = False
    for m in _FULLWIDTH_RUN.finditer(text):
        if m.start() >= word_end:
            # (each word is scanned once: the next run's word starts after this one's end)
            word_start, word_end = m.start(), m.end()
            while word_start > 0 and not text[word_start - 1].isspace():
                word_start -= 1
            while word_end < len(text) and not text[word_end].isspace():
                word_end += 1
            mixed = _ASCII_ALNUM.search(text, word_start, word_end) is not None
        if mixed:
            continue
        folded = "".join(chr(ord(c) - _FULLWIDTH_OFFSET) for c in m.group())
        edits.append(
            _edit(text, m.start(), m.end(), folded, "fullwidth letters or digits folded to ASCII")
        )
    return edits


# ------------------------------------------------------- phase 2: surrogates and NFC ----


@functools.cache
def _nfc_sensitive_class() -> str:
    """A regex class of the code points near which NFC may change text (built once, ~0.2 s).

    They are the combining marks, the characters NFC changes on their own, and the starters
    that compose with the character before them (Hangul medials and finals among them). A run
    of other characters is left unchanged by NFC whatever surrounds it. Only texts that are
    not NFC already (or hold surrogates) need it.
    """
    found: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
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
    codes = sorted(code for code in found if not _CJK_COMPATIBILITY.match(chr(code)))
    return _class_body(codes)


def _class_body(codes: Sequence[int]) -> str:
    """A regex character-class body for sorted `codes`, written as ranges."""
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
def _encoding_run_pattern() -> re.Pattern[str]:
    return re.compile(f"[{_SURROGATES}{_nfc_sensitive_class()}]+")


def _fix_surrogates(piece: str) -> tuple[str, list[str]]:
    """Join surrogate pairs into their character; replace lone surrogates by U+FFFD."""
    out: list[str] = []
    reasons: list[str] = []
    i = 0
    while i < len(piece):
        code = ord(piece[i])
        following = ord(piece[i + 1]) if i + 1 < len(piece) else 0
        if 0xD800 <= code <= 0xDBFF and 0xDC00 <= following <= 0xDFFF:
            joined = chr(0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00))
            reasons.append(f"surrogate pair U+{code:04X} U+{following:04X} joined to {joined}")
            out.append(joined)
            i += 2
            continue
        if 0xD800 <= code <= 0xDFFF:
            reasons.append(f"lone surrogate U+{code:04X} replaced by U+FFFD")
            out.append(REPLACEMENT)
        else:
            out.append(piece[i])
        i += 1
    return "".join(out), reasons


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


def _nfc_reason(piece: str) -> str:
    if any(0x1100 <= ord(c) <= 0x11FF for c in piece):
        return "NFD syllable composed (NFC)"
    return "decomposed characters composed (NFC)"


def _encoding_piece(piece: str) -> tuple[str, list[str]]:
    fixed, reasons = _fix_surrogates(piece) if _SURROGATE.search(piece) else (piece, [])
    composed = _nfc(fixed)
    if composed != fixed:
        reasons.append(_nfc_reason(fixed))
    return composed, reasons


def _fix_encoding(text: str) -> list[Edit]:
    """Surrogates (joined or replaced) and NFC, on runs of the characters that may need them.

    Each run is widened by the character before it, so that NFC can compose a base letter
    with the marks that follow it; the character after a run never composes with it.
    """
    if not _SURROGATE.search(text) and unicodedata.is_normalized("NFC", text):
        return []
    edits: list[Edit] = []
    previous_end = 0
    for match in _encoding_run_pattern().finditer(text):
        start = match.start() - 1 if match.start() > previous_end else match.start()
        end = previous_end = match.end()
        piece = text[start:end]
        fixed, reasons = _encoding_piece(piece)
        if fixed != piece:
            edits.append(_trimmed_edit(text, start, end, fixed, "; ".join(reasons)))
    return edits


def _trimmed_edit(text: str, start: int, end: int, replacement: str, reason: str) -> Edit:
    """The edit of text[start:end] minus what it leaves unchanged at either end.

    At least one character is kept on each side, so no edit is an empty insertion.
    """
    head, tail = common_ends(text[start:end], replacement, keep=1)
    return _edit(
        text, start + head, end - tail, replacement[head : len(replacement) - tail], reason
    )


# ------------------------------------------------------------- phase 3: loose jamo ----


def _parse_loose_jamo(run: str) -> str | None:
    """The syllables a run of modern compatibility jamo spells, or None if it is not syllables.

    Every consonant must be an initial or a final and every vowel must follow an initial, so
    ㅋㅋ, ㅠㅠ and ㄱ stay text. A consonant followed by a vowel starts the next syllable.

    >>> _parse_loose_jamo("ㄷㅏㄹㄱㅇㅣ"), _parse_loose_jamo("ㅋㅋ")
    ('닭이', None)
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
            if pair in _COMPOUND_FINALS and pair_ends:
                final, i = _COMPOUND_FINALS[pair], i + 2
            else:
                final, i = run[i], i + 1
        syllables.append(compose(initial, medial, final))
    return "".join(syllables)


def _compose_loose_jamo(text: str) -> list[Edit]:
    """Maximal runs of loose modern jamo that spell whole syllables (ㅇㅏㄴ → 안).

    A run next to any other jamo (old Hangul, ㆍ, conjoining jamo) is part of a longer jamo
    text and is left alone, and so is a run of chat jamo only (ㅋㅠ, ㅎㅜ).
    """
    edits: list[Edit] = []
    for match in _LOOSE_JAMO_RUN.finditer(text):
        left = text[match.start() - 1] if match.start() > 0 else ""
        right = text[match.end()] if match.end() < len(text) else ""
        if _is_jamo(left) or _is_jamo(right):
            continue
        run = match.group()
        if load_words("chat_jamo").issuperset(run):  # ㅋㅠ, ㅎㅜ: laughing and crying
            continue
        syllables = _parse_loose_jamo(run)
        if syllables is not None:
            reason = f"loose jamo {run} composed to {syllables}"
            edits.append(_edit(text, match.start(), match.end(), syllables, reason))
    return edits


# ------------------------------------------------------------------ phase 4: ㆍ → · ----


def _nearest_non_space(text: str, index: int, step: int) -> str:
    """The first non-whitespace character from `index` in direction `step` ("" if none near)."""
    for _ in range(_CONTEXT):
        if not 0 <= index < len(text):
            return ""
        if not text[index].isspace():
            return text[index]
        index += step
    return ""


# A page prints the letter ㆍ itself (not a middle dot) when tesseract set a space before most
# of its ㆍ between words (시장 ㆍ군수 ㆍ구청장): at least this many, and twice as many as the
# tight ones. On the training pages that picked the two law pages that print ㆍ in most of
# their lists and no page that prints ·; a laxer rule (more spaced than tight) also took a
# page printing · with three spaced and two tight dots.
ARAEA_PAGE_MIN_SPACED = 4
_SPACED_ARAEA = re.compile(f"[가-힣] +{ARAEA}(?=[가-힣])")
_TIGHT_ARAEA = re.compile(f"(?<=[가-힣]){ARAEA}(?=[가-힣\n])")


def _page_prints_araea(text: str) -> bool:
    """Whether the page's own usage says its ㆍ are the printed letter, decided per page."""
    spaced = len(_SPACED_ARAEA.findall(text))
    return spaced >= ARAEA_PAGE_MIN_SPACED and spaced >= 2 * len(_TIGHT_ARAEA.findall(text))


# A middle dot joins two nouns (경제·사회); after a word that ends in a particle of two or more
# syllables (동안이나, 지역에서: case_particles.txt) a ㆍ is a speck or a lost mark, never a dot.
# One-syllable particles are also noun endings (국가ㆍ, 심의ㆍ): they say nothing.
_LONG_PARTICLE_SYLLABLES = 2
_WORD_BEFORE = re.compile(r"\S+$")


def _after_long_particle(text: str, at: int) -> bool:
    """Whether the word that ends at `at` is a stem and a particle of two or more syllables
    (동안+이나, 비판'+이나), so a mark after it does not join two nouns."""
    word = _WORD_BEFORE.search(text, max(0, at - PARTICLE_RUN_MAX), at)
    if word is None:
        return False
    word_text = word.group()
    return any(
        len(particle) >= _LONG_PARTICLE_SYLLABLES
        and len(word_text) > len(particle)
        and word_text.endswith(particle)
        for particle in load_words("case_particles")
    )


def _misread_middle_dots(text: str) -> list[Edit]:
    """ㆍ between two modern words is a misread middle dot ·; next to jamo it is old Hangul.

    A line break may follow the dot (보전ㆍ<newline>국가): on the training pages that ㆍ was a
    middle dot 16 times in 19, and one directly between two words 150 times in 159. A ㆍ after
    whitespace (경제 ㆍ사회) is left alone: tesseract sets a space before the wide letter ㆍ
    that some law texts print themselves, so there it was · in only 16 of 38 cases, the rest
    that letter, specks of dust and damaged numbers (1차 ㆍ 부검). A page whose own usage
    shows the letter (`_page_prints_araea`) keeps every ㆍ.
    """
    if _page_prints_araea(text):
        return []
    edits: list[Edit] = []
    for match in _ARAEA_CHAR.finditer(text):
        start, end = match.start(), match.end()
        if start == 0 or text[start - 1].isspace():
            continue
        left = _nearest_non_space(text, match.start() - 1, -1)
        right = _nearest_non_space(text, match.end(), 1)
        if _is_word_char(left) and _is_word_char(right) and not _after_long_particle(text, start):
            start, end = match.start(), match.end()
            # Korean sets · tight (경제·사회): the spaces tesseract put after the dot go too,
            # but never a blank line, which may be a real paragraph or column break.
            right_run = end
            while right_run < len(text) and text[right_run] in " \t\n":
                right_run += 1
            if "\n\n" not in text[end:right_run]:
                end = right_run
            reason = "ㆍ between words is a misread middle dot ·"
            if end - start > 1:
                reason += "; the spaces around it go, as Korean sets · tight"
            edits.append(_edit(text, start, end, MIDDLE_DOT, reason))
    return edits


# ------------------------------------------------------- phase 4b: bullets of a list ----

# A list whose bullets tesseract read as ㆍ (or *): a page with at least this many lines that
# start with ㆍ sets a list, and each such line starts with the bullet • and a space. On the
# training pages the six pages with three or more such lines set 30 bullets, every one •;
# pages with one or two (law text) had specks of dust or a lost numeral there, left alone.
BULLET_MIN_LINES = 3
_ARAEA_LINE_START = re.compile(f"(?m)^[ \t]*{ARAEA}")
_BULLET = re.compile(f"(?m)^([ \t]*)([{ARAEA}*][ \t]*)(?=[가-힣])")
BULLET = "\u2022"  # •


def _list_bullets(text: str) -> list[Edit]:
    """ㆍ (or *) starting a line of a page whose own usage shows a list (BULLET_MIN_LINES lines
    start with ㆍ) is the bullet •, set with one space before the item."""
    if len(_ARAEA_LINE_START.findall(text)) < BULLET_MIN_LINES:
        return []
    reason = f"{ARAEA} starting a line is a list's bullet {BULLET} (the page starts several so)"
    return [
        _edit(text, m.start(2), m.end(2), BULLET + " ", reason)
        for m in _BULLET.finditer(text)
        if m.group(2) != BULLET + " "
    ]


# ---------------------------------------------------- phase 5: quotes of the page ----

# The page's own evidence decides its quotes (tesseract reads ‘ ’ as ' and often ” as ", but
# reads “ well): a page that shows at least this many curly double quotes prints curly quotes.
# On the training pages (train and train-mixed) a threshold of 2 changed no page for the
# worse; 1 made three pages worse, and a news page that prints ' with one stray ” lost most.
CURLY_EVIDENCE = 2
# A page that sets only single quotes shows that it prints them curly where tesseract read one
# as a curly ‘ ’ or, at a word's start, as ` or 、 (a straight ' is never read so): one such
# sign is enough. On the training pages this took 20 more right quotes and 6 wrong ones (on
# pages that also print straight '); a backtick at a word's end was left out as evidence
# (specks at line ends: 뮤`<newline>지컬).
CURLY_SINGLE_EVIDENCE = 1
_CURLY_SINGLE_SIGN = re.compile("[‘’]|(?:^|(?<=\\s))[`\u3001](?=[가-힣])")
_OPENS_BEFORE = "([{「『“‘<《〈"
_STRAIGHT_OPENER = re.compile('(?:^|(?<=[\\s([{「『<《〈]))"(?=\\S)')


def _opens_after_comma(before: str, after: str) -> bool:
    """Whether a quote glued between a comma and a syllable (들고,'일 원) opens a quotation:
    Korean sets a space after a comma, which tesseract lost, and a closing quote after a comma
    is followed by no word (the gold of the training pages has no ,’ or ,” before a syllable;
    the one such quote of their scans was an opening ‘)."""
    return before == "," and "가" <= after <= "힣"


def _quote_side(text: str, index: int) -> str:
    """Where the quote at `index` stands: "open" (a word's start, or glued to one after a
    comma), "close" (its end or inside it) or "" (alone between spaces, or an apostrophe inside
    a Latin word)."""
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    opens = before.isspace() or before in _OPENS_BEFORE or _opens_after_comma(before, after)
    if opens and not after.isspace():
        return "open"
    if not before.isspace():
        if before.isascii() and before.isalnum() and after.isascii() and after.isalpha():
            return ""  # don't
        return "close"
    return ""


def _page_quotes(text: str) -> list[Edit]:
    """Straight quotes become curly where the page itself shows curly ones.

    Decided per page, from its own text: a page with at least CURLY_EVIDENCE curly double
    quotes prints curly quotes, so a straight ' is ‘ at a word's start and ’ at its end
    (tesseract reads no curly single quote at all), and 、 at the start of a Hangul word is ‘.
    A straight " becomes curly only if the page shows more “ than straight openers ("이런): a
    page that sets its quotations in straight quotes keeps them. An opening " closed by a single
    quote is ‘, and so is an opening “ that one ends (`_ends_at_single`): tesseract reads ‘ as
    either. A closing " while a single quote is open is its ’ (tesseract reads ’ as " too). A
    page without that evidence (news sets '...' straight) is left as printed, and so is a quote
    next to another quote.
    """
    curly = text.count("“") + text.count("”")
    singles = len(_CURLY_SINGLE_SIGN.findall(text))
    if curly < CURLY_EVIDENCE and singles < CURLY_SINGLE_EVIDENCE:
        return []
    doubles = text.count("“") > len(_STRAIGHT_OPENER.findall(text))
    if curly >= CURLY_EVIDENCE:
        reason_tail = f" (the page shows {curly} curly double quotes)"
    else:
        reason_tail = f" (the page shows {singles} curly single quotes)"
    edits: list[Edit] = []
    open_quotes: list[str] = []  # the kinds of the quotes opened so far and not yet closed
    last_close = -1  # where the last closing quote stands
    for match in _ANY_QUOTE.finditer(text):
        index, char = match.start(), match.group()
        if char == "“" and _quote_side(text, index) == "open" and _ends_at_single(text, index):
            _track(open_quotes, "single", "open")
            reason = f"“ closed by a single quote is the curly quote ‘{reason_tail}"
            edits.append(_edit(text, index, index + 1, "‘", reason))
            continue
        if char in _CURLY_KIND:
            _track(open_quotes, *_CURLY_KIND[char])
            if char in "’”":
                last_close = index
            continue
        side = _quote_side(text, index)
        end = index + 1
        if not side and _opens_apart(text, index):
            side = "open"
            if text[index + 1] == " ":
                end = index + 2  # the space after it goes: Korean sets ‘ tight
        around = text[index - 1 : index] + text[end : end + 1]
        if not side or any(c in _QUOTE_CHARS for c in around):
            continue
        if char == "\u3001" and (side != "open" or not "가" <= text[index + 1] <= "힣"):
            continue
        single = (
            char != '"'
            or (side == "close" and open_quotes[-1:] == ["single"])
            or (side == "open" and _closed_by_single(text, index))
        )
        if not single and not doubles:
            continue
        kind = "single" if single else "double"
        if not _has_partner(text, index, side, kind, open_quotes, last_close):
            continue
        if side == "close" and not _closes_here(text, index):
            _track(open_quotes, kind, side)
            continue
        if side == "close":
            last_close = index
        _track(open_quotes, kind, side)
        curly_quote = {"single": "‘’", "double": "“”"}[kind][side == "close"]
        word = "start" if side == "open" else "end"
        reason = f"{char} at a word's {word} is the curly quote {curly_quote}{reason_tail}"
        if end > index + 1:
            reason += "; the space after it goes"
        edits.append(_edit(text, index, end, curly_quote, reason))
    return edits


_QUOTE_CHARS = "\"'\u3001`“”‘’"
_ANY_QUOTE = re.compile(f"[{_QUOTE_CHARS}]")
_CURLY_KIND = {"“": ("double", "open"), "”": ("double", "close"), "‘": ("single", "open"),
               "’": ("single", "close")}  # fmt: skip


_SINGLE_CLOSER = "'’"


def _closed_by_single(text: str, index: int) -> bool:
    """Whether the opening " at `index` is closed by a single quote: the next quote within
    QUOTE_PARTNER_CHARS is ' or ’ glued to the word before it, with no word or a particle
    after it ("이동 상태'에): tesseract read the opening ‘ as ". A quote inside a word that
    goes on without a particle is a speck (예서의'양성), no closer."""
    closer = _single_closer(text, index)
    if closer is None:
        return False
    word = _glued_word(text, closer.end())
    return word is None or word.startswith(_quote_particles())


def _ends_at_single(text: str, index: int) -> bool:
    """Whether the curly “ at `index` opens a quotation a single quote ends: the next quote
    within QUOTE_PARTNER_CHARS is ' or ’ after a sentence's end (했다.') or before a particle
    glued to it (과정'을). Stricter than `_closed_by_single`: tesseract reads “ well, so a
    closer with a word after it (이'⏎전, 말' 거야: specks inside a quotation) is no evidence. On
    the training pages 2 “ pass this test, both ‘ in the text, but on pages without the
    evidence for curly quotes (a single “), which are left as printed: counting such a “ as
    evidence took 9 right quotes there and 3 wrong. The looser test made 2 right “ wrong."""
    closer = _single_closer(text, index)
    if closer is None:
        return False
    if text[closer.start() - 1] in ".?!…":
        return True
    word = _glued_word(text, closer.end())
    return word is not None and word.startswith(_quote_particles())


def _single_closer(text: str, index: int) -> re.Match[str] | None:
    """The next quote after the opener at `index`, within QUOTE_PARTNER_CHARS, when it closes
    and is a single quote (' or ’), else None."""
    closer = _next_closer(text, index + 1, index + QUOTE_PARTNER_CHARS)
    return closer if closer is not None and closer.group() in _SINGLE_CLOSER else None


def _glued_word(text: str, end: int) -> str | None:
    """The Hangul word glued to the quote that ends at `end` (None: a space, or no syllable,
    comes first)."""
    word = _NEXT_WORD.match(text[end : end + 6])
    return word.group(1) if word is not None and word.start(1) == 0 else None


# How far after a quote set apart (간 '⏎관계' 문제) its closing quote may stand.
APART_QUOTE_CHARS = 40


def _opens_apart(text: str, index: int) -> bool:
    """Whether a straight quote or backtick with whitespace on either side opens a quotation
    (간 '<newline>관계' 문제, 이른바 ' 지능형 교육'을): tesseract ends a line after an opening quote
    or sets a space after it, where Korean sets the quote tight. It does when a Hangul
    word follows after one space or line break and the next quote, within APART_QUOTE_CHARS,
    closes (is glued to the word before it). On the training pages this picks 7 quotes: 6
    openers ‘ and a straight " on a page that prints straight double quotes (which the page's
    own evidence keeps). A quote apart before a number (' 10. 8, the year '10), a speck
    (파국 ' 을) or a quote with no closer after it is left as printed."""
    if text[index] not in "'\"`" or not text[index - 1 : index].isspace():
        return False
    if text[index + 1 : index + 2] not in (" ", "\n"):
        return False
    if not "가" <= text[index + 2 : index + 3] <= "힣":
        return False
    return _next_closer(text, index + 2, index + 2 + APART_QUOTE_CHARS) is not None


def _next_closer(text: str, start: int, stop: int) -> re.Match[str] | None:
    """The first quote in text[start:stop] when it closes (is glued to the character before
    it), else None."""
    quote = _ANY_QUOTE.search(text, start, stop)
    return quote if quote is not None and not text[quote.start() - 1].isspace() else None


# How far (in characters) a quote looks for its partner: a quotation on a page rarely runs
# longer; a stray mark (a speck read as ' inside a word: 이' 전) has no partner at all.
QUOTE_PARTNER_CHARS = 300
# An opening quote at a word's start: a straight or curly one, or what tesseract makes of one it
# misreads (*히요코, 「알 수 없는, 、상식).
_MISREAD_OPENER = re.compile("(?:^|(?<=\\s))[*「『\u3001`'\"‘“]")
_NEXT_WORD = re.compile("\\s?([가-힣]+)")


def _has_partner(
    text: str, index: int, side: str, kind: str, open_quotes: list[str], last_close: int
) -> bool:
    """A quote is made curly only where it pairs with something: an opener with a quote later
    on, a closer with an open quote of its kind, an opener tesseract misread (*, 「, 、) since
    the last closer, or a particle after it, glued or not (’를, ’ 하고). A stray mark is left as
    printed; with nothing open, so is one glued to a word that goes on without a particle
    (예서의'양성, %'대법원: on the training pages specks, never closing quotes)."""
    if side == "open":
        return _ANY_QUOTE.search(text, index + 1, index + QUOTE_PARTNER_CHARS) is not None
    if kind in open_quotes:
        return True
    after = text[index + 1 : index + 6]
    word = _NEXT_WORD.match(after)
    if word and word.group(1).startswith(_quote_particles()):
        return True
    start = max(last_close + 1, index - QUOTE_PARTNER_CHARS)
    return _MISREAD_OPENER.search(text, start, index) is not None


# A closing quote glued to a syllable with another word after it (neither a particle, nor the
# quotative 하 of ’ 하고, nor another quotation or a mark) closes a short term ('혁신적' 발상)
# whose opener stands in its own word or the one before (TERM_QUOTE_WORDS). Further back, a
# quotation would have ended with punctuation (했다.”), and the mark is more often a speck
# (이' 전, 말' 거야) or a quote beside a misread. On the training pages this left 8 quotes
# straight that were wrong curly and 2 that were right (못하는" 암흑, 문서' (몰타). It changes
# no unit of the dev sets (a quotation right after another, '…' '…', which stays curly, was
# seen there).
_AFTER_CLOSER = re.compile(r"\s+(\S{1,6})")
TERM_QUOTE_WORDS = 2
_STOPS_AFTER_CLOSER = ",.;:?!)]」』"
# How far back the opener of a term is looked for, in characters: a bound on each look.
_TERM_CHARS = 40


def _closes_here(text: str, index: int) -> bool:
    """Whether the closing quote at `index` is made curly: after a mark (했다."), at the text's
    end, followed by a particle, 하, another quote or a mark, or closing a term opened within
    TERM_QUOTE_WORDS words (see above)."""
    if not "가" <= text[index - 1] <= "힣":
        return True
    after = _AFTER_CLOSER.match(text, index + 1)
    if after is None:
        return True
    word = after.group(1)
    if word[0] in _QUOTE_CHARS or word[0] in _STOPS_AFTER_CLOSER or word.startswith("하"):
        return True
    if word.startswith(_quote_particles()):
        return True
    lo = max(0, index - _TERM_CHARS)
    start = index
    for _ in range(TERM_QUOTE_WORDS):
        start = max(lo, text.rfind(" ", lo, start - 1), text.rfind("\n", lo, start - 1))
    # from the character before the first word: an opener set apart from it (' 녹색 성장')
    return _MISREAD_OPENER.search(text, max(lo, start - 1), index) is not None


@functools.cache
def _quote_particles() -> tuple[str, ...]:
    return tuple(load_words("case_particles") | load_words("short_particles"))


# How many open quotes are remembered: text nests two or three; an opener left unclosed further
# back than this is forgotten, which keeps every step bounded whatever the page holds.
MAX_OPEN_QUOTES = 8


def _track(open_quotes: list[str], kind: str, side: str) -> None:
    """Push an opened quote; a closing one closes the innermost quote of its kind."""
    if side == "open":
        open_quotes.append(kind)
        if len(open_quotes) > MAX_OPEN_QUOTES:
            del open_quotes[0]
    elif kind in open_quotes:
        del open_quotes[len(open_quotes) - 1 - open_quotes[::-1].index(kind) :]


def quotes_beside(
    edits: Sequence[Edit], suggestions: Sequence[Edit]
) -> tuple[list[Edit], list[Edit]]:
    """`edits` split into those kept and the curly quotes held back: a quote made curly that
    touches one of `suggestions` (the words the misread stage only suggests repairing). A quote
    beside a word still misread is wrong with it, one unit for the scorer and for the
    proofreader (‘옮다되었다 for ‘옳다되었다); held back, it goes to the proofreader with the word,
    at that suggestion's confidence (the two are right or wrong together). On the training pages
    this held back 2 quotes, both wrong, and no right one."""
    beside: dict[int, float] = {}
    for s in suggestions:
        for at in range(s.start, s.end + 1):
            beside[at] = min(beside.get(at, 1.0), s.confidence)
    kept: list[Edit] = []
    held: list[Edit] = []
    for edit in edits:
        quote = (
            edit.kind == KIND
            and edit.original[:1] in _QUOTE_CHARS
            and edit.replacement in _CURLY_KIND
        )
        touching = [beside[at] for at in range(edit.start, edit.end + 1) if at in beside]
        if quote and touching:
            held.append(
                replace(
                    edit,
                    confidence=min(edit.confidence, *touching),
                    reason=edit.reason + "; held back: the word beside it is only a suggestion",
                )
            )
        else:
            kept.append(edit)
    return kept, held


# ---------------------------------------------------------------------- composition ----


# A list of Hangul words joined by middle dots, where some separators came out as - or :
# (경찰청-서울지방경찰청·종로경찰서): one list, one separator.
# Tried only where a Hangul run starts, each run taken whole (a lookahead and its backreference
# act as an atomic group): a run of thousands of syllables with no mark in it is read once, not
# once per syllable (no backtracking into it), which kept this scan linear on any page.
_DOT_LIST = re.compile(r"(?<![가-힣])(?=([가-힣]+))\1(?:[·\-:](?=([가-힣]+))\2){2,}")
_LOOKALIKE_SEPARATOR = re.compile(r"(?<=[가-힣])-(?=[가-힣])")


def uniform_list_separators(text: str, lm: LanguageModel | None = None) -> list[Edit]:
    """In a list of three or more Hangul words separated by middle dots, a - between two of its
    words is a middle dot misread too; a list without any middle dot is left alone. A colon
    between two syllables is a middle dot wherever it stands (see `_colons_between_syllables`,
    which reads the word before it with `lm` when one is given).

    It runs after layout repair (the pipeline's last stage), once broken words are whole
    (`성매매:<newline>성폭력` became `성매매:성폭력`), so that a second pass finds nothing more
    to change.

    >>> [e.replacement for e in uniform_list_separators("경찰청-서울청·종로서")]
    ['·']
    """
    edits: list[Edit] = []
    for match in _DOT_LIST.finditer(text):
        if MIDDLE_DOT not in match.group():
            continue
        for separator in _LOOKALIKE_SEPARATOR.finditer(text, match.start(), match.end()):
            reason = (
                f"{separator.group()} between words of a ·-separated list is a misread middle dot"
            )
            edits.append(_edit(text, separator.start(), separator.end(), MIDDLE_DOT, reason))
    edits.extend(_colons_between_syllables(text, lm))
    edits.extend(_marks_between_syllables(text))
    return sorted(edits, key=lambda e: e.start)


_HANGUL_SYLLABLE = re.compile("[가-힣]")
_COLON_IN_WORD = re.compile(r"(?<=[가-힣]):(?=[가-힣])")


# Particles in a row after a word take a few syllables (에서부터는: 5); a longer run of Hangul
# is a word, and is not searched (a run of thousands would otherwise cost time per split).
PARTICLE_RUN_MAX = 8
# The Hangul after a mark, read no further than a particle run can reach (one more syllable
# says the run is longer): each look stays bounded in a run of thousands of syllables.
_HANGUL_RUN = re.compile(f"[가-힣]{{0,{PARTICLE_RUN_MAX + 1}}}")


@functools.cache
def _particles() -> frozenset[str]:
    """Particles and short endings: case_particles.txt and short_particles.txt together."""
    return load_words("case_particles") | load_words("short_particles")


def _only_particles(run: str) -> bool:
    """Whether `run` is one particle or several in a row (이나, 에서도: case_particles.txt and
    short_particles.txt), as a word's tail, never a word of its own."""
    if not run:
        return True
    if len(run) > PARTICLE_RUN_MAX:
        return False
    particles = _particles()
    # ends[i]: run[:i] is particles in a row (a split found left to right, no recursion).
    ends = [True] + [False] * len(run)
    for i in range(1, len(run) + 1):
        ends[i] = any(ends[j] and run[j:i] in particles for j in range(i))
    return ends[-1]


# A middle dot joins two nouns (성매매·성폭력, 사회적·문화적); a word before the colon that the
# language model reads as ending in an ending, a particle or the copula (장기적인:미디어,
# 었으니:궁금, 대하여:등) is no such noun, and its colon stands for a lost space or
# closing bracket. On the training pages this kept the three colons read so (the text had a
# space twice and 』 once), each made a wrong · before, and none of the 45 right ones, whose
# words end in a noun or a suffix (사회적: 사회+적). 신청<newline>에:의한 still becomes a ·: the
# colon is decided before the break is closed, on the word 에 alone.
_NOT_NOUN_END_TAG_PREFIXES = ("E", "J", "VCP")
# How far back the word before a colon is read: a bound keeps each look short in a long run.
_WORD_BEFORE_CHARS = 16


def _colons_between_syllables(text: str, lm: LanguageModel | None = None) -> list[Edit]:
    """A colon with a Hangul syllable on each side is a misread middle dot (성매매:성폭력).

    Korean sets a space after a colon (참고: 별표); on the training pages 45 of the 49 colons
    made a · were one. Unless a lone particle follows (경우:는, once a line break is closed):
    then the colon stands for a lost syllable and stays for the misread corrector; unless what
    follows is only particles (해킹:이나, 훔쳐라:에서도): a · joins two words, and a colon
    before a particle stands for a lost closing bracket or quote (『구글 해킹』이나); and, with
    a language model `lm`, unless the word before ends in an ending, a particle or the copula
    (`_NOT_NOUN_END_TAG_PREFIXES`: 장기적인:미디어).
    """
    reason = "':' between two syllables is a misread middle dot · (a colon is followed by a space)"
    found = []
    for m in _COLON_IN_WORD.finditer(text):
        after = m.end() + 1
        particle = text[m.end()] in load_words("short_particles")
        if particle and not _HANGUL_SYLLABLE.match(text, after):
            continue
        if _only_particles(_HANGUL_RUN.match(text, m.end()).group()):
            continue  # a · joins two words; before a particle the colon is a lost 』, ’ or syllable
        found.append(m.start())
    if found and lm is not None:
        words = [
            _WORD_BEFORE.search(text, max(0, at - _WORD_BEFORE_CHARS), at).group() for at in found
        ]
        readings = lm.analyze_many(words)
        found = [
            at
            for at, (tokens, _score) in zip(found, readings, strict=True)
            if not (tokens and tokens[-1].tag.startswith(_NOT_NOUN_END_TAG_PREFIXES))
        ]
    return [_edit(text, at, at + 1, MIDDLE_DOT, reason) for at in found]


# tesseract reads a middle dot as * too (저작자*발명가, 소집ㆍ동원*훈련: 7 of 7 on the
# training pages were ·), and a dash as the vowel letter ㅡ (가르치기ㅡ체코, 월경설ㅡ을: 5 of 5
# were —). Between two syllables neither is text: a footnote mark stands after a word, a
# censored word (개*) is rare in print, and ㅡ alone cannot be a syllable. An * before
# particles only is left, as a colon is (a lost closing mark).
_ASTERISK_IN_WORD = re.compile(r"(?<=[가-힣])\*(?=[가-힣])")
_EU_IN_WORD = re.compile("(?<=[가-힣])\u3161(?=[가-힣])")
EM_DASH = "\u2014"


def _marks_between_syllables(text: str) -> list[Edit]:
    """An * between two syllables is a misread middle dot, an ㅡ a misread dash —."""
    edits = [
        _edit(
            text,
            m.start(),
            m.end(),
            MIDDLE_DOT,
            "* between two syllables is a misread middle dot ·",
        )
        for m in _ASTERISK_IN_WORD.finditer(text)
        if not _only_particles(_HANGUL_RUN.match(text, m.end()).group())
    ]
    edits += [
        _edit(
            text,
            m.start(),
            m.end(),
            EM_DASH,
            "the letter ㅡ alone between two syllables is a misread dash —",
        )
        for m in _EU_IN_WORD.finditer(text)
    ]
    return sorted(edits, key=lambda e: e.start)


# --------------------------------------------------- phase 5b: periods inside a line ----

# tesseract reads a speck of the scan as a period. A period after whitespace and directly
# before a word ends nothing (` .토지`): on the training pages all 16 were not in the text. A
# period squeezed between two syllables after a particle (데이터에.내재된) stands for a space:
# 16 of 16 on the training pages where the word before ends in a particle and the word after
# is no particle; after a syllable that may end a sentence (했다.그: sentence_end_syllables.txt)
# the text itself may print it so (16 of 16 stayed), and before particles alone (잡문.이라는) it
# stands for a lost 』 or 」: both stay as printed.
_LONE_PERIOD = re.compile(r"(?m)(?:^|(?<=\s))\.(?=[가-힣])")
_SQUEEZED_PERIOD = re.compile("(?<=[가-힣])\\.(?=[가-힣])")
_HANGUL_TAIL = re.compile("[가-힣]+$")


def _stray_periods(text: str) -> list[Edit]:
    """Periods that a speck made: alone before a word (deleted), or between a particle and the
    next word (a space)."""
    edits = [
        _edit(text, m.start(), m.end(), "", "a period alone before a word ends nothing: a speck")
        for m in _LONE_PERIOD.finditer(text)
    ]
    if _SQUEEZED_PERIOD.search(text) is None:
        return edits
    ends = load_words("sentence_end_syllables")
    particles = _particles()
    for m in _SQUEEZED_PERIOD.finditer(text):
        word = _HANGUL_TAIL.search(text, max(0, m.start() - PARTICLE_RUN_MAX), m.start())
        left = word.group() if word else ""
        if not left or left[-1] in ends:
            continue  # the sentence may end here
        if left[-1:] not in particles and left[-2:] not in particles:
            continue  # nothing says the word before is done
        if _only_particles(_HANGUL_RUN.match(text, m.end()).group()):
            continue  # before particles alone the period stands for a lost bracket
        reason = f"a period between {left} and the next word stands for a space (a speck)"
        edits.append(_edit(text, m.start(), m.end(), " ", reason))
    return sorted(edits, key=lambda e: e.start)


def _phases(lm: LanguageModel | None) -> tuple[Phase, ...]:
    """The phases in order; the colon phase reads words with `lm` when one is given."""
    return (
        _fold_fullwidth,
        _fix_encoding,
        _compose_loose_jamo,
        _misread_middle_dots,
        _list_bullets,
        functools.partial(_colons_between_syllables, lm=lm),
        _marks_between_syllables,
        _stray_periods,
        _page_quotes,
    )


def normalize_text(text: str, lm: LanguageModel | None = None) -> list[Edit]:
    """Edits (kind "normalize") that put `text` into the form the later stages expect.

    One edit per changed run, each with a reason. Applying them is idempotent: a second call
    on the result (with the same `lm`) returns no edits. Only the colon phase reads words with
    the language model `lm`; without one the stage uses no model at all.

    >>> [(e.original, e.replacement, e.reason) for e in normalize_text("\\ud800x")]
    [('\\ud800', '�', 'lone surrogate U+D800 replaced by U+FFFD')]
    >>> normalize_text("ㄱ. 항목 ㅋㅋ ㅠㅠ")
    []
    """
    if text.isascii():
        return []
    edits: list[Edit] = []
    current = text
    for phase in _phases(lm):
        found = phase(current)
        if not found:
            continue
        following = apply_edits(current, found)
        edits = compose_edits(text, edits, found) if edits else found
        current = following
    return edits
